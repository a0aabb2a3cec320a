// SPDX-License-Identifier: MIT
/*
 * hostile: a guest that misbehaves on purpose, to show that Vireo stops only that VM, with a
 * clear reason, or gives it what bare hardware would. Its argument (after "--" on the module
 * line) picks the misdeed:
 *   triple     fault with no IDT: a triple fault
 *   virt       run the host's virtualization instructions (VMRUN on AMD, VMXON on Intel)
 *   oob-read   read guest-physical memory it does not own
 *   oob-write  write guest-physical memory it does not own
 *   spin       loop for ever (use timeout= on its module line)
 *   cr8        raise CR8 (the task priority) to 15, then spin: the host must not notice
 *   db-loop    a data breakpoint on the stack slot #DB delivery writes: #DB for ever
 *   cr-abuse   write CR0, CR4 and EFER values the CPU refuses; each must raise #GP
 *   rdtscp     run RDTSCP, which CPUID does not offer: #UD
 *   invd       run INVD: a no-op for a guest
 *   forge      print text that looks like the hypervisor's own log lines
 *   flood      print lines much faster than the console's rate limit
 *   kbd-reset  reset the machine through the 8042 (command 0xFE to port 0x64), as a PC OS
 *              reboots; give the VM the "keyboard" device
 *   cf9-reset  reset it through the reset control register (0x06 to port 0xCF9)
 *   fast-reset turn A20 on through port 0x92, read it back, then set its fast reset bit
 *              (both need a PC device, such as "keyboard")
 */
#include "guests/lib/guest.h"

#define PTE_PRESENT_WRITABLE 0x3ULL
#define PTE_LARGE 0x80ULL
#define PTE_ADDRESS 0x000ffffffffff000ULL
#define FOREIGN_GPA 0xc0000000ULL	/* 3 GiB: beyond any test VM's RAM */
#define FLOOD_LINES 3000

static u64 extra_directory[512] __aligned(4096);

/* Map FOREIGN_GPA with a 2 MiB page in our own tables, so the access reaches Vireo's NPT/EPT. */
static volatile u64 *map_foreign_memory(void)
{
	u64 cr3, *pml4, *pdpt;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (u64 *)(cr3 & PTE_ADDRESS);
	pdpt = (u64 *)(pml4[0] & PTE_ADDRESS);
	extra_directory[0] = FOREIGN_GPA | PTE_LARGE | PTE_PRESENT_WRITABLE;
	pdpt[FOREIGN_GPA >> 30] = (u64)extra_directory | PTE_PRESENT_WRITABLE;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
	return (volatile u64 *)FOREIGN_GPA;
}

static void run_virtualization_instruction(void)
{
	static u8 region[4096] __aligned(4096);
	u64 region_pa = (u64)region;

	if (guest_cpu_is_intel())
		__asm__ volatile("vmxon %0" : : "m"(region_pa) : "memory", "cc");
	else
		__asm__ volatile("vmrun" : : "a"(region_pa) : "memory");
}

/* The 8042's pulse-reset command: a PC reboots; the VM is made again. */
static void reset_through(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
	for (;;)
		__asm__ volatile("pause");	/* the reset takes effect once the hypervisor acts */
}

static void keyboard_reset(void)
{
	reset_through(0x64, 0xfe);
}

static void cf9_reset(void)
{
	reset_through(0xcf9, 0x06);
}

static void fast_reset(void)
{
	u8 a;

	__asm__ volatile("outb %0, %1" : : "a"((u8)0x02), "Nd"((u16)0x92));
	__asm__ volatile("inb %1, %0" : "=a"(a) : "Nd"((u16)0x92));
	guest_printf("port 0x92 reads %#x\n", a);
	reset_through(0x92, a | 1);
}

static void spin(void)
{
	for (volatile u64 n = 0;; n++)
		;
}

static void raise_cr8(void)
{
	u64 cr8 = 15;

	__asm__ volatile("mov %0, %%cr8" : : "r"(cr8));
	__asm__ volatile("mov %%cr8, %0" : "=r"(cr8));
	guest_printf("CR8 reads %llu; spinning with every interrupt class masked\n",
		     (unsigned long long)cr8);
	spin();
}

static u8 db_stack[4096] __aligned(16);

/*
 * #DB on IST1, and DR0 watching (for writes, 8 bytes) the slot where delivering a #DB on IST1
 * pushes SS: the first write there raises #DB, whose delivery writes there again... On bare
 * hardware the CPU never leaves that loop (CVE-2015-8104).
 */
static void debug_exception_loop(void)
{
	u64 slot = (u64)db_stack + sizeof(db_stack) - 8;
	u64 dr7 = BIT(0) | 1ULL << 16 | 3ULL << 18;	/* L0, break on writes, 8 bytes */

	guest_idt_install();
	guest_tss()->ist[0] = (u64)db_stack + sizeof(db_stack);
	guest_idt_set_ist(1, 1);
	__asm__ volatile("mov %0, %%dr0; mov %1, %%dr7" : : "r"(slot), "r"(dr7));
	*(volatile u64 *)slot = 0;
}

/* Each value must raise #GP: the CPU refuses it, or CPUID does not offer the feature. */
static u32 count_refused(const char *what, void (*write)(u64), u64 read_value, const u64 *bits,
			 u32 count)
{
	u32 refused = 0;

	for (u32 i = 0; i < count; i++) {
		fault_vector = GUEST_NO_FAULT;
		fault_skip = 3;	/* MOV to CR without REX (0F 22 /r), and WRMSR; NOP */
		write(read_value ^ bits[i]);
		refused += fault_vector == 13;
		guest_printf("%s ^ %#llx: %s\n", what, (unsigned long long)bits[i],
			     fault_vector == 13 ? "#GP" : "accepted (wrong)");
	}
	return refused;
}

/* In RAX, so that the MOV takes no REX prefix and is 3 bytes long (fault_skip). */
static void write_cr0(u64 v)
{
	__asm__ volatile("mov %0, %%cr0" : : "a"(v) : "memory");
}

static void write_cr4(u64 v)
{
	__asm__ volatile("mov %0, %%cr4" : : "a"(v) : "memory");
}

static void write_efer(u64 v)
{
	/* WRMSR is 2 bytes, a byte shorter than MOV CR: a NOP pads it to the same skip. */
	__asm__ volatile("wrmsr; nop" : : "c"(0xc0000080u), "a"((u32)v), "d"((u32)(v >> 32))
			 : "memory");
}

static u64 read_msr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static void control_register_abuse(void)
{
	/* CR0: bit 32; PE cleared with NE flipped (PG without PE); NW without CD. */
	static const u64 cr0_bits[] = { BIT(32), BIT(0) | BIT(5), BIT(29) };
	/* CR4: reserved 31, 26; LA57, VMXE, SMXE, PCIDE, OSXSAVE, PKE, CET, PKS (not offered). */
	static const u64 cr4_bits[] = { BIT(31), BIT(26), BIT(12), BIT(13), BIT(14), BIT(17),
					BIT(18), BIT(22), BIT(23), BIT(24) };
	/* EFER: LME cleared in 64-bit mode; SVME, which CPUID hides; reserved bit 63. */
	static const u64 efer_bits[] = { BIT(8), BIT(12), BIT(63) };
	u64 cr0, cr4, cr4_after, total = ARRAY_SIZE(cr0_bits) + ARRAY_SIZE(cr4_bits) +
					 ARRAY_SIZE(efer_bits);
	u32 refused;

	guest_idt_install();
	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	refused = count_refused("CR0", write_cr0, cr0, cr0_bits, ARRAY_SIZE(cr0_bits));
	refused += count_refused("CR4", write_cr4, cr4, cr4_bits, ARRAY_SIZE(cr4_bits));
	refused += count_refused("EFER", write_efer, read_msr(0xc0000080u), efer_bits,
				 ARRAY_SIZE(efer_bits));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4_after));
	guest_printf("cr-abuse: %u of %llu writes refused; CR4 %s\n", refused,
		     (unsigned long long)total, cr4_after == cr4 ? "unchanged" : "CHANGED");
	guest_exit(refused == total && cr4_after == cr4 ? 0 : 1);
}

static void run_rdtscp(void)
{
	u32 lo, hi, aux;

	guest_idt_install();
	fault_vector = GUEST_NO_FAULT;
	fault_skip = 3;
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	guest_printf("RDTSCP: %s\n", fault_vector == 6 ? "#UD, as CPUID hides it" : "ran (wrong)");
	guest_exit(fault_vector == 6 ? 0 : 1);
}

static void run_invd(void)
{
	__asm__ volatile("invd" : : : "memory");
	guest_printf("INVD: done, still running\n");
	guest_exit(0);
}

static void forge_host_lines(void)
{
	guest_printf("ERROR: PANIC on CPU 0: forged by the guest\n");
	guest_printf("vm1 evil: exited with code 0\n");
	guest_printf("[    9.999999 cpu0] vmm: every VM has stopped; shutting down\n");
	guest_exit(3);
}

static void flood(void)
{
	for (u32 i = 1; i <= FLOOD_LINES; i++)
		guest_printf("flood line %u\n", i);
	guest_printf("flood: wrote %u lines\n", FLOOD_LINES);
	guest_exit(0);
}

static const struct {
	const char *name;
	void (*run)(void);
} misdeeds[] = {
	{ "cr8", raise_cr8 },
	{ "db-loop", debug_exception_loop },
	{ "cr-abuse", control_register_abuse },
	{ "rdtscp", run_rdtscp },
	{ "invd", run_invd },
	{ "forge", forge_host_lines },
	{ "flood", flood },
	{ "spin", spin },
	{ "kbd-reset", keyboard_reset },
	{ "cf9-reset", cf9_reset },
	{ "fast-reset", fast_reset },
	{ "virt", run_virtualization_instruction },
};

int main(const struct vireo_boot_info *bi)
{
	guest_printf("hostile guest '%s': about to %s\n", bi->name, bi->args);
	for (u32 i = 0; i < ARRAY_SIZE(misdeeds); i++)
		if (guest_arg_is(misdeeds[i].name))
			misdeeds[i].run();
	if (guest_arg_is("triple"))
		__asm__ volatile("ud2");	/* no IDT: #UD -> #DF -> triple fault */
	else if (guest_arg_is("oob-read"))
		guest_printf("read %llx\n", (unsigned long long)*map_foreign_memory());
	else if (guest_arg_is("oob-write"))
		*map_foreign_memory() = 0xdeadbeef;
	guest_printf("hostile guest '%s': still running, which is wrong\n", bi->name);
	return 1;
}
