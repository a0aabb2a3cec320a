// SPDX-License-Identifier: MIT
/*
 * hostile: a guest that misbehaves on purpose, to show that Vireo stops only that VM, with a
 * clear reason, or gives it what bare hardware would. Its argument (after "--" on the module
 * line) picks the misdeed:
 *   triple     fault with no IDT: a triple fault
 *   oob-read   read guest-physical memory it does not own
 *   oob-write  write guest-physical memory it does not own
 *   spin       loop for ever with interrupts off (use timeout= on its module line)
 *   cr8        raise CR8 (the task priority) to 15, then spin: the host must not notice
 *   db-loop    a data breakpoint on the stack slot #DB delivery writes: #DB for ever
 *   traps      many misdeeds bare hardware answers with #GP or #UD, in one VM: MSRs, control
 *              and debug registers, hidden instructions, bad hypercall arguments, then a scan
 *              of every I/O port; one line "case NAME: RESULT" each
 *   insn NAME  run one virtualization instruction (vmrun, vmxon, getsec, ...): #UD where the
 *              CPU lacks it, else Vireo stops the VM
 *   invd       run INVD: a no-op for a guest
 *   forge      print text that looks like the hypervisor's own log lines
 *   flood      print lines much faster than the console's rate limit
 *   kbd-reset  reset the machine through the 8042 (command 0xFE to port 0x64), as a PC OS
 *              reboots; give the VM the "keyboard" device
 *   exec-oob   jump to guest-physical 3 GiB, which is no RAM
 *   apic-icr   write an INIT IPI to the local APIC's ICR at 0xFEE00300 (no APIC: no RAM)
 *   ioapic-read  read the I/O APIC's window at 0xFEC00000 (no I/O APIC: no RAM)
 *   high-read  read guest-physical 511 GiB
 *   bad-cr3    point CR3 at guest-physical 3 GiB: the CPU walks page tables outside RAM
 *   outs-end   REP OUTSB reading across the end of RAM
 *   ins-end    REP INSB writing across the end of RAM
 *   minikvm-bad  an unknown command on the mini-kvm port 0x500
 *   df-loop    #DF for ever: every exception's delivery faults on a non-canonical stack
 *   hlt-cli    HLT with interrupts off: nothing but an NMI can wake it
 *   irq-storm  an interrupt handler that raises the same interrupt again, for ever
 *   pit-storm  the PIT at its highest rate, the PIC in auto-EOI: give the VM "pic" and "pit"
 *   cr3-reserved  write CR3 with reserved bit 52 set: #GP
 *   exit-storm N  N rounds of mixed exits (OUT, IN, CPUID, RDMSR, a hypercall), a 10 us sleep
 *              every 1000 rounds, then exit: the soak's load (tests/integration/test_soak.py)
 *   ctl-chars  print control characters and escape sequences through every console path
 *   cf9-reset  reset it through the reset control register (0x06 to port 0xCF9)
 *   fast-reset turn A20 on through port 0x92, read it back, then set its fast reset bit
 *              (both need a PC device, such as "keyboard")
 */
#include "guests/lib/guest.h"
#include "vmm/pvclock.h"

#define PTE_PRESENT_WRITABLE 0x3ULL
#define PTE_LARGE 0x80ULL
#define PTE_ADDRESS 0x000ffffffffff000ULL
#define FOREIGN_GPA 0xc0000000ULL	/* 3 GiB: beyond any test VM's RAM */
#define MSR_KVM_WALL_CLOCK_NEW 0x4b564d00
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define FLOOD_LINES 3000

static u64 extra_directory[512] __aligned(4096);

/* Map gpa (below 512 GiB) with a 2 MiB page in our own tables: the access reaches NPT/EPT. */
static volatile u64 *map_foreign_memory(u64 gpa)
{
	u64 cr3, *pml4, *pdpt;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (u64 *)(cr3 & PTE_ADDRESS);
	pdpt = (u64 *)(pml4[0] & PTE_ADDRESS);
	extra_directory[0] = gpa | PTE_LARGE | PTE_PRESENT_WRITABLE;
	pdpt[gpa >> 30] = (u64)extra_directory | PTE_PRESENT_WRITABLE;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
	return (volatile u64 *)gpa;
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
	__asm__ volatile("cli");
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

/*
 * Run one instruction that may fault under the IDT's default handler: a fault skips exactly
 * the instruction (the distance between the labels). What it did is left in fault_vector.
 */
#define TRY(insn, ...) __asm__ volatile("movq $(2f - 1f), fault_skip(%%rip)\n1:\t" insn "\n2:\n" \
					__VA_ARGS__)

static const char *outcome(void)
{
	switch (fault_vector) {
	case GUEST_NO_FAULT: return "no fault";
	case 6: return "#UD";
	case 13: return "#GP";
	case 14: return "#PF";
	default: return "another exception";
	}
}

static void report(const char *name)
{
	guest_printf("case %s: %s\n", name, outcome());
}

static u64 try_rdmsr(u32 msr)
{
	u32 lo = 0, hi = 0;

	fault_vector = GUEST_NO_FAULT;
	TRY("rdmsr", : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return (u64)hi << 32 | lo;
}

static void try_wrmsr(u32 msr, u64 value)
{
	fault_vector = GUEST_NO_FAULT;
	TRY("wrmsr", : : "c"(msr), "a"((u32)value), "d"((u32)(value >> 32)) : "memory");
}

static void try_cr0(u64 v)
{
	fault_vector = GUEST_NO_FAULT;
	TRY("mov %0, %%cr0", : : "r"(v) : "memory");
}

static void try_cr4(u64 v)
{
	fault_vector = GUEST_NO_FAULT;
	TRY("mov %0, %%cr4", : : "r"(v) : "memory");
}

static void try_cr3(u64 v)
{
	fault_vector = GUEST_NO_FAULT;
	TRY("mov %0, %%cr3", : : "r"(v) : "memory");
}

static void try_efer(u64 v)
{
	try_wrmsr(0xc0000080u, v);
}

static u64 read_cr0(void)
{
	u64 v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static u64 read_cr4(void)
{
	u64 v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static u64 read_cr3(void)
{
	u64 v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/*
 * Control register and EFER values the CPU refuses, or that set a feature CPUID does not
 * offer: each must raise #GP and change nothing.
 */
static void control_register_cases(void)
{
	/* CR0: bit 32; PE cleared with NE flipped (PG without PE); NW without CD. */
	static const struct { const char *name; u64 bits; } cr0[] = {
		{ "cr0-bit32", BIT(32) }, { "cr0-pg-without-pe", BIT(0) | BIT(5) },
		{ "cr0-nw-without-cd", BIT(29) },
	}, cr4[] = {	/* reserved 31, 26; LA57, VMXE, SMXE, PCIDE, OSXSAVE, PKE, CET, PKS */
		{ "cr4-bit31", BIT(31) }, { "cr4-bit26", BIT(26) }, { "cr4-la57", BIT(12) },
		{ "cr4-vmxe", BIT(13) }, { "cr4-smxe", BIT(14) }, { "cr4-pcide", BIT(17) },
		{ "cr4-osxsave", BIT(18) }, { "cr4-pke", BIT(22) }, { "cr4-cet", BIT(23) },
		{ "cr4-pks", BIT(24) },
	}, efer[] = {	/* LME cleared in 64-bit mode; SVME, which CPUID hides; reserved 63 */
		{ "efer-lme-clear", BIT(8) }, { "efer-svme", BIT(12) }, { "efer-bit63", BIT(63) },
	};
	u64 cr0_now = read_cr0(), cr4_now = read_cr4(), cr3_now = read_cr3();
	u64 efer_now = try_rdmsr(0xc0000080u);

	for (u32 i = 0; i < ARRAY_SIZE(cr0); i++) {
		try_cr0(cr0_now ^ cr0[i].bits);
		report(cr0[i].name);
	}
	for (u32 i = 0; i < ARRAY_SIZE(cr4); i++) {
		try_cr4(cr4_now ^ cr4[i].bits);
		report(cr4[i].name);
	}
	for (u32 i = 0; i < ARRAY_SIZE(efer); i++) {
		try_efer(efer_now ^ efer[i].bits);
		report(efer[i].name);
	}
	fault_vector = GUEST_NO_FAULT;
	TRY("mov %0, %%cr8", : : "r"(16ULL) : "memory");	/* CR8 holds 4 bits */
	report("cr8-above-15");
	fault_vector = GUEST_NO_FAULT;
	TRY("mov %0, %%dr7", : : "r"(BIT(32)) : "memory");	/* DR7[63:32] must be 0 */
	report("dr7-bit32");
	fault_vector = GUEST_NO_FAULT;
	TRY(".byte 0x0f, 0x22, 0xc8", : : "a"(0ULL) : "memory");	/* MOV to CR1 */
	report("cr1-write");
	guest_printf("case cr-unchanged: %s\n", read_cr0() == cr0_now && read_cr4() == cr4_now &&
		     read_cr3() == cr3_now && try_rdmsr(0xc0000080u) == efer_now ?
		     "CR0, CR3, CR4 and EFER unchanged" : "CHANGED");
}

/*
 * CR3 bit 52: above every physical address width, reserved (SDM Vol. 3A 4.5): #GP. Its own
 * misdeed, for a CPU that takes the value (QEMU's TCG) leaves it in the VMCB, and VMRUN refuses.
 */
static void cr3_reserved_bit(void)
{
	u64 cr3 = read_cr3();

	guest_idt_install();
	try_cr3(cr3 | BIT(52));
	report("cr3-reserved-bit52");
	try_cr3(cr3);
	guest_exit(0);
}

static u64 ram_end(void)
{
	return boot_info->ram[0].base + boot_info->ram[0].size;
}

/* MSRs a guest may not touch: #GP as on a CPU without the feature; a few read as fixed. */
static void msr_cases(void)
{
	static const struct { const char *name; u32 msr; bool write; u64 value; } cases[] = {
		{ "rdmsr-feature-control", 0x3a, false, 0 },
		{ "wrmsr-feature-control", 0x3a, true, 0x5 },	/* lock, VMX outside SMX */
		{ "rdmsr-apic-base", 0x1b, false, 0 },
		{ "wrmsr-apic-base", 0x1b, true, 0xfee00c00 },	/* enable, x2APIC */
		{ "rdmsr-vm-hsave-pa", 0xc0010117, false, 0 },
		{ "wrmsr-vm-hsave-pa", 0xc0010117, true, 0x100000 },
		{ "rdmsr-vm-cr", 0xc0010114, false, 0 },
		{ "wrmsr-vm-cr", 0xc0010114, true, 0 },
		{ "rdmsr-vmx-basic", 0x480, false, 0 },
		{ "wrmsr-x2apic-icr-init", 0x830, true, 0xc4500 },	/* INIT to all but self */
		{ "wrmsr-x2apic-icr-sipi", 0x830, true, 0xc4608 },	/* SIPI, vector 8 */
		{ "rdmsr-tsc-aux", 0xc0000103, false, 0 },
		{ "rdmsr-hypervisor-range", 0x40000000, false, 0 },
		{ "rdmsr-unknown", 0x12345678, false, 0 },
		{ "wrmsr-unknown", 0xc0011fff, true, 1 },
		{ "rdmsr-ffffffff", 0xffffffff, false, 0 },
		{ "rdmsr-misc-enable", 0x1a0, false, 0 },
		{ "wrmsr-misc-enable", 0x1a0, true, 0 },
		{ "rdmsr-bios-sign-id", 0x8b, false, 0 },	/* no microcode update: revision 0 */
		{ "wrmsr-bios-sign-id", 0x8b, true, 0 },	/* Intel's way to read it; AMD: #GP */
	};
	u32 gp_reads = 0, gp_writes = 0;

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 value = 0;

		if (cases[i].write)
			try_wrmsr(cases[i].msr, cases[i].value);
		else
			value = try_rdmsr(cases[i].msr);
		if (!cases[i].write && fault_vector == GUEST_NO_FAULT)
			guest_printf("case %s: reads %#llx\n", cases[i].name,
				     (unsigned long long)value);
		else
			report(cases[i].name);
	}
	/* The whole x2APIC range, read and written: no x2APIC is offered. */
	for (u32 msr = 0x800; msr <= 0x8ff; msr++) {
		try_rdmsr(msr);
		gp_reads += fault_vector == 13;
		try_wrmsr(msr, 0);
		gp_writes += fault_vector == 13;
	}
	guest_printf("case x2apic-range: %u of 256 reads, %u of 256 writes #GP\n", gp_reads,
		     gp_writes);
}

/*
 * KVM's clock (the VM has the kvmclock device): its records may only go to guest RAM, 4-byte
 * aligned, or the MSR write is #GP and the MSR keeps its value; one in RAM is written at once.
 */
static void kvmclock_cases(void)
{
	static struct pvclock_vcpu_time_info record __aligned(32);
	u64 value;

	try_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0x40000000 | 1);	/* 1 GiB: past the 4 MiB of RAM */
	report("wrmsr-kvmclock-outside-ram");
	try_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (ram_end() - 16) | 1);
	report("wrmsr-kvmclock-straddles-ram-end");
	try_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, ((u64)&record + 2) | 1);
	report("wrmsr-kvmclock-misaligned");
	try_wrmsr(MSR_KVM_WALL_CLOCK_NEW, ram_end() - 4);
	report("wrmsr-kvmclock-wall-straddles-ram-end");
	value = try_rdmsr(MSR_KVM_SYSTEM_TIME_NEW);
	guest_printf("case rdmsr-kvmclock-after-refusals: reads %#llx\n", (unsigned long long)value);
	try_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (u64)&record | 1);
	guest_printf("case wrmsr-kvmclock-record: %s\n",
		     fault_vector != GUEST_NO_FAULT ? outcome() :
		     record.version % 2 == 0 && record.version &&
		     record.tsc_to_system_mul >= 1u << 31 && record.tsc_timestamp &&
		     record.flags == PVCLOCK_TSC_STABLE_BIT ? "written" : "WRONG");
	try_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	report("wrmsr-kvmclock-off");
}

/* Instructions CPUID hides, or that belong to the other vendor: #UD, and INVD a no-op. */
static void instruction_cases(void)
{
	u32 a, d, c;

	fault_vector = GUEST_NO_FAULT;
	TRY("rdtscp", : "=a"(a), "=d"(d), "=c"(c) : : "memory");
	report("rdtscp");
	fault_vector = GUEST_NO_FAULT;
	TRY("xsetbv", : : "a"(1), "d"(0), "c"(0) : "memory");
	report("xsetbv");
	fault_vector = GUEST_NO_FAULT;
	TRY("monitor", : : "a"(boot_info), "c"(0), "d"(0) : "memory");
	report("monitor");
	fault_vector = GUEST_NO_FAULT;
	TRY("mwait", : : "a"(0), "c"(0) : "memory");
	report("mwait");
	fault_vector = GUEST_NO_FAULT;
	TRY("invd", : : : "memory");
	report("invd");
	/* The hypercall instruction of the other vendor: that CPU does not have it. */
	fault_vector = GUEST_NO_FAULT;
	a = VIREO_HC_NOP;
	if (guest_cpu_is_intel())
		TRY("vmmcall", : "+a"(a) : : "memory");
	else
		TRY("vmcall", : "+a"(a) : : "memory");
	report("other-vendors-hypercall");
}

/* Hypercall buffers that wrap, straddle the end of RAM or lie outside it: -EFAULT, no stop. */
static void hypercall_cases(void)
{
	u64 end = ram_end();
	static const char *const names[] = {
		"hc-write-wraps", "hc-write-straddles-ram-end", "hc-write-outside-ram",
		"hc-write-too-long", "hc-vm-info-straddles-ram-end", "hc-unknown-number",
		"hc-interrupt-bad-vector", "hc-interrupt-bad-vcpu", "hc-sleep-zero",
	};
	long results[ARRAY_SIZE(names)];

	results[0] = hypercall(VIREO_HC_WRITE, (long)0xfffffffffffff800ULL, 0x1000);
	results[1] = hypercall(VIREO_HC_WRITE, (long)(end - 8), 16);
	results[2] = hypercall(VIREO_HC_WRITE, 0xc0000000L, 16);
	results[3] = hypercall(VIREO_HC_WRITE, (long)boot_info, 4097);
	results[4] = hypercall(VIREO_HC_VM_INFO, (long)(end - 4), sizeof(struct vireo_vm_info));
	results[5] = hypercall(9999, 0, 0);
	results[6] = hypercall(VIREO_HC_SEND_INTERRUPT, 0, 5);
	results[7] = hypercall(VIREO_HC_SEND_INTERRUPT, 99, 0x40);
	results[8] = hypercall(VIREO_HC_SLEEP, 0, 0);
	for (u32 i = 0; i < ARRAY_SIZE(names); i++)
		guest_printf("case %s: returns %ld\n", names[i], results[i]);
}

static u8 port_in8(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/*
 * Every port, 0 to 0xFFFF, read and written as a byte and as a dword (0x0A: no device takes
 * it for a command that acts, and port 0xE9 shows it as a line end). The VM has no mini-kvm
 * port (minikvm-bad tests it). Lists the ports that answer anything but all ones.
 */
static void port_scan(void)
{
	u32 answered = 0;

	for (u32 port = 0; port <= 0xffff; port++) {
		u32 dword;
		u8 byte = port_in8((u16)port);

		__asm__ volatile("inl %w1, %0" : "=a"(dword) : "Nd"((u16)port));
		__asm__ volatile("outb %b0, %w1" : : "a"(0x0a), "Nd"((u16)port));
		__asm__ volatile("outl %0, %w1" : : "a"(0x0a0a0a0a), "Nd"((u16)port));
		if (byte != 0xff && answered++ < 64)
			guest_printf("port %#x reads %#x\n", port, byte);
	}
	guest_printf("case port-scan: 65536 ports read and written (bytes, dwords); %u answer\n",
		     answered);
}

static void traps(void)
{
	guest_idt_install();
	control_register_cases();
	msr_cases();
	kvmclock_cases();
	instruction_cases();
	hypercall_cases();
	port_scan();
	guest_printf("traps: done, still running\n");
	guest_exit(0);
}

static bool str_is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool str_prefix(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return !*prefix;
}

/* One virtualization instruction, named by the argument after "insn". */
static void virtualization_instruction(const char *name)
{
	static u8 region[4096] __aligned(4096);
	u64 pa = (u64)region, value = 0;
	struct __packed { u64 id, address; } descriptor = { 0, 0 };

	guest_idt_install();
	fault_vector = GUEST_NO_FAULT;
	if (str_is(name, "vmrun"))
		TRY("vmrun", : : "a"(pa) : "memory");
	else if (str_is(name, "vmload"))
		TRY("vmload", : : "a"(pa) : "memory");
	else if (str_is(name, "vmsave"))
		TRY("vmsave", : : "a"(pa) : "memory");
	else if (str_is(name, "stgi"))
		TRY("stgi", : : : "memory");
	else if (str_is(name, "clgi"))
		TRY("clgi", : : : "memory");
	else if (str_is(name, "skinit"))
		TRY("skinit", : : "a"(pa) : "memory");
	else if (str_is(name, "invlpga"))
		TRY("invlpga", : : "a"(pa), "c"(0) : "memory");
	else if (str_is(name, "vmxon"))
		TRY("vmxon %0", : : "m"(pa) : "memory");
	else if (str_is(name, "vmclear"))
		TRY("vmclear %0", : : "m"(pa) : "memory");
	else if (str_is(name, "vmptrld"))
		TRY("vmptrld %0", : : "m"(pa) : "memory");
	else if (str_is(name, "vmread"))
		TRY("vmread %1, %0", : "=r"(value) : "r"(0x6c00ULL) : "memory");	/* HOST_CR0 */
	else if (str_is(name, "vmwrite"))
		TRY("vmwrite %0, %1", : : "r"(0ULL), "r"(0x6c00ULL) : "memory");
	else if (str_is(name, "vmlaunch"))
		TRY("vmlaunch", : : : "memory");
	else if (str_is(name, "invept"))
		TRY("invept %0, %1", : : "m"(descriptor), "r"(2ULL) : "memory");
	else if (str_is(name, "invvpid"))
		TRY("invvpid %0, %1", : : "m"(descriptor), "r"(2ULL) : "memory");
	else if (str_is(name, "getsec"))
		TRY("getsec", : : "a"(0) : "memory");	/* CAPABILITIES */
	else
		guest_exit(2);
	guest_printf("case %s: %s\n", name, outcome());
	guest_exit(0);
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

static void execute_outside_ram(void)
{
	((void (*)(void))FOREIGN_GPA)();
}

/* INIT to every other CPU through a local APIC the VM does not have: 0xFEE00300 is no RAM. */
static void apic_icr_write(void)
{
	*(volatile u32 *)0xfee00300ULL = 0xc4500;
}

/*
 * INIT to every CPU, this one too, through the VM's local APIC: the bootstrap CPU would start
 * over at the reset vector, which is a reset of the VM.
 */
static void init_all(void)
{
	*(volatile u32 *)0xfee00300ULL = 0x84500;
	guest_printf("init-all: still running, which is wrong\n");
}

static void ioapic_read(void)
{
	guest_printf("read %x\n", *(volatile u32 *)0xfec00010ULL);
}

static void high_read(void)
{
	guest_printf("read %llx\n", (unsigned long long)*map_foreign_memory(511 * GiB));
}

/* The CPU must walk page tables at 3 GiB on its next fetch: outside RAM, in the walk. */
static void bad_cr3(void)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(FOREIGN_GPA) : "memory");
}

static void outs_across_ram_end(void)
{
	u64 from = ram_end() - 8, count = 16;

	__asm__ volatile("rep outsb" : "+S"(from), "+c"(count) : "d"(VIREO_POST_PORT) : "memory");
}

static void ins_across_ram_end(void)
{
	u64 to = ram_end() - 4, count = 8;

	__asm__ volatile("rep insb" : "+D"(to), "+c"(count) : "d"(VIREO_POST_PORT) : "memory");
}

static void minikvm_bad_command(void)
{
	__asm__ volatile("outb %b0, %w1" : : "a"(0x0a), "Nd"((u16)VIREO_MINIKVM_PORT));
}

static u8 df_stack[4096] __aligned(16);
static volatile u64 double_faults;

static void count_double_fault(struct guest_trap_frame *f)
{
	(void)f;
	if (++double_faults == 1000)
		guest_printf("df-loop: 1000 double faults, looping\n");
}

/*
 * A non-canonical RSP: delivering the #UD of UD2 raises #SS, delivering that raises #DF, whose
 * IST stack is sound; its handler returns to the UD2 and the stack, and round it goes.
 */
static void double_fault_loop(void)
{
	guest_idt_install();
	guest_tss()->ist[0] = (u64)df_stack + sizeof(df_stack);
	guest_idt_set_ist(8, 1);
	guest_idt_set(8, count_double_fault);
	__asm__ volatile("mov %0, %%rsp; ud2" : : "r"(0x8000000000000000ULL) : "memory");
}

static void halt_with_interrupts_off(void)
{
	__asm__ volatile("cli; hlt");
}

#define STORM_VECTOR 0x40
static volatile u64 storm_interrupts;

static void raise_again(struct guest_trap_frame *f)
{
	(void)f;
	if (++storm_interrupts == 10)
		guest_printf("irq-storm: 10 interrupts, raising more\n");
	hypercall(VIREO_HC_SEND_INTERRUPT, 0, STORM_VECTOR);
}

static void interrupt_storm(void)
{
	guest_idt_install();
	guest_idt_set(STORM_VECTOR, raise_again);
	hypercall(VIREO_HC_SEND_INTERRUPT, 0, STORM_VECTOR);
	__asm__ volatile("sti");
	spin();
}

static void outb(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static void count_tick(struct guest_trap_frame *f)
{
	(void)f;
	if (++storm_interrupts == 20)
		guest_printf("pit-storm: 20 timer interrupts, never an EOI\n");
}

/* The PIT's channel 0 at divisor 1 (mode 2), the PIC in auto-EOI: IRQ 0 as often as it comes. */
static void pit_storm(void)
{
	guest_idt_install();
	guest_idt_set(0x20, count_tick);
	outb(0x20, 0x11);	/* ICW1: edge, cascade, ICW4 follows */
	outb(0x21, 0x20);	/* ICW2: vectors 0x20-0x27 */
	outb(0x21, 0x04);	/* ICW3: the slave on IRQ 2 */
	outb(0x21, 0x03);	/* ICW4: 8086 mode, auto-EOI */
	outb(0x21, 0xfe);	/* only IRQ 0 */
	outb(0x43, 0x34);	/* channel 0, low then high byte, mode 2 */
	outb(0x40, 1);
	outb(0x40, 0);
	__asm__ volatile("sti");
	for (;;)
		__asm__ volatile("pause");
}

/* Terminal controls through the write hypercall, PUTCHAR and port 0xE9: all shown escaped. */
static void control_characters(void)
{
	static const char text[] = "ctl: \x1b[2J\x1b]0;owned\x07\x1b[31mred\x08\x7f\x01 end\n";

	guest_puts(text);
	for (const char *c = text; *c; c++)
		hypercall(VIREO_HC_PUTCHAR, *c, 0);
	for (const char *c = text; *c; c++)
		debug_putc(*c);
	guest_exit(0);
}

static void exit_storm(const char *count)
{
	u32 rounds = guest_next_number(&count), a, b, c, d;

	for (u32 i = 1; i <= rounds; i++) {
		__asm__ volatile("outb %b0, %w1" : : "a"((u8)i), "Nd"((u16)VIREO_POST_PORT));
		(void)port_in8(VIREO_POST_PORT);
		guest_cpuid(0, 0, &a, &b, &c, &d);
		(void)try_rdmsr(0xc0000080u);
		hypercall(VIREO_HC_NOP, 0, 0);
		if (i % 1000 == 0)
			hypercall(VIREO_HC_SLEEP, 10000, 0);
	}
	guest_exit(0);
}

static const struct {
	const char *name;
	void (*run)(void);
} misdeeds[] = {
	{ "cr8", raise_cr8 },
	{ "db-loop", debug_exception_loop },
	{ "traps", traps },
	{ "invd", run_invd },
	{ "forge", forge_host_lines },
	{ "flood", flood },
	{ "spin", spin },
	{ "kbd-reset", keyboard_reset },
	{ "exec-oob", execute_outside_ram },
	{ "apic-icr", apic_icr_write },
	{ "init-all", init_all },
	{ "ioapic-read", ioapic_read },
	{ "high-read", high_read },
	{ "bad-cr3", bad_cr3 },
	{ "outs-end", outs_across_ram_end },
	{ "ins-end", ins_across_ram_end },
	{ "minikvm-bad", minikvm_bad_command },
	{ "df-loop", double_fault_loop },
	{ "hlt-cli", halt_with_interrupts_off },
	{ "irq-storm", interrupt_storm },
	{ "pit-storm", pit_storm },
	{ "ctl-chars", control_characters },
	{ "cr3-reserved", cr3_reserved_bit },
	{ "cf9-reset", cf9_reset },
	{ "fast-reset", fast_reset },
};

int main(const struct vireo_boot_info *bi)
{
	guest_printf("hostile guest '%s': about to %s\n", bi->name, bi->args);
	if (str_prefix(bi->args, "insn "))
		virtualization_instruction(bi->args + 5);
	if (str_prefix(bi->args, "exit-storm "))
		exit_storm(bi->args + 11);
	for (u32 i = 0; i < ARRAY_SIZE(misdeeds); i++)
		if (guest_arg_is(misdeeds[i].name))
			misdeeds[i].run();
	if (guest_arg_is("triple"))
		__asm__ volatile("ud2");	/* no IDT: #UD -> #DF -> triple fault */
	else if (guest_arg_is("oob-read"))
		guest_printf("read %llx\n", (unsigned long long)*map_foreign_memory(FOREIGN_GPA));
	else if (guest_arg_is("oob-write"))
		*map_foreign_memory(FOREIGN_GPA) = 0xdeadbeef;
	guest_printf("hostile guest '%s': still running, which is wrong\n", bi->name);
	return 1;
}
