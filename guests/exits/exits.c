// SPDX-License-Identifier: MIT
/*
 * exits: a tour of every exit the VMM handles for a well-behaved guest, checking what each
 * one gives back: IN of each size, CPUID, RDMSR and WRMSR of EFER, MOV to CR0, CR4 and CR8,
 * HLT woken by an interrupt, INVD, instructions CPUID hides, single steps over exiting and
 * non-exiting instructions, hypercalls. With two vCPUs (vcpus=2 on its module line) vCPU 0
 * starts vCPU 1, sleeps in HLT and is woken by an interrupt vCPU 1 sends it. Each check prints
 * "ok:" or "FAIL:"; the exit code is the number of failures.
 */
#include "guests/lib/guest.h"
#include "kernel/errno.h"

#define MSR_EFER 0xc0000080u
#define EFER_NXE BIT(11)
#define EFER_RESERVED BIT(2)
#define CR0_NE BIT(5)
#define CR4_VMXE BIT(13)
#define RFLAGS_TF BIT(8)
#define DR6_BS BIT(14)
#define UNCLAIMED_PORT 0x2f0
#define SELF_VECTOR 0x41
#define WAKE_VECTOR 0x42
#define AP_STACK_SIZE 8192

static u32 failures;
static volatile u32 interrupts_taken[256];
static volatile u64 last_db_rip, last_db_dr6;
static volatile u32 db_count;
static volatile bool ap_up;
static u8 ap_stack[AP_STACK_SIZE] __aligned(16);

static void check(bool ok, const char *what)
{
	guest_printf("%s %s\n", ok ? "ok:" : "FAIL:", what);
	failures += !ok;
}

static void count_interrupt(struct guest_trap_frame *f)
{
	interrupts_taken[f->vector]++;
}

static void note_debug(struct guest_trap_frame *f)
{
	u64 dr6;

	__asm__ volatile("mov %%dr6, %0" : "=r"(dr6));
	last_db_rip = f->rip;
	last_db_dr6 = dr6;
	db_count++;
	f->rflags &= ~RFLAGS_TF;
	__asm__ volatile("mov %0, %%dr6" : : "r"(0xffff0ff0ULL));
}

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

/* WRMSR; true when it raised #GP (fault_skip is 2: WRMSR's length). */
static bool wrmsr_faults(u32 msr, u64 value)
{
	fault_vector = GUEST_NO_FAULT;
	fault_skip = 2;
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)value), "d"((u32)(value >> 32)) : "memory");
	return fault_vector == 13;
}

static void tour_io(void)
{
	u64 rax = 0x1122334455667788ULL;

	/* An 8- or 16-bit IN keeps the rest of RAX; a 32-bit one clears its upper half. */
	__asm__ volatile("inb %%dx, %%al" : "+a"(rax) : "d"((u16)VIREO_DEBUG_PORT));
	check(rax == 0x11223344556677e9ULL, "IN AL from the debug port reads 0xE9, RAX kept");
	__asm__ volatile("inw %%dx, %%ax" : "+a"(rax) : "d"((u16)UNCLAIMED_PORT));
	check(rax == 0x112233445566ffffULL, "IN AX from an unclaimed port reads all ones");
	__asm__ volatile("inl %%dx, %%eax" : "+a"(rax) : "d"((u16)UNCLAIMED_PORT));
	check(rax == 0xffffffffULL, "IN EAX reads all ones and clears RAX's upper half");
}

static void tour_cpuid_and_msrs(void)
{
	u32 a, b, c, d, nx;
	u64 efer = rdmsr(MSR_EFER);

	guest_cpuid(0x40000000, 0, &a, &b, &c, &d);
	check(b == 0x65726956 && c == 0x7269566f && d == 0x69566f65, "CPUID 0x40000000: Vireo");
	guest_cpuid(0x80000001, 0, &a, &b, &c, &nx);
	check((efer & 0x500) == 0x500, "RDMSR EFER: LME and LMA set in long mode");
	if (nx & BIT(20)) {
		bool faulted = wrmsr_faults(MSR_EFER, efer ^ EFER_NXE);

		check(!faulted && rdmsr(MSR_EFER) == (efer ^ EFER_NXE), "WRMSR EFER toggles NXE");
		wrmsr_faults(MSR_EFER, efer);
	}
	check(wrmsr_faults(MSR_EFER, efer | EFER_RESERVED), "WRMSR EFER with a reserved bit: #GP");
	check(rdmsr(MSR_EFER) == efer, "EFER unchanged by the refused write");
}

/* MOV to CR0 and CR4 with the value in RAX (no REX prefix: 3 bytes, fault_skip). */
static bool write_cr0_faults(u64 value)
{
	fault_vector = GUEST_NO_FAULT;
	fault_skip = 3;
	__asm__ volatile("mov %%rax, %%cr0" : : "a"(value) : "memory");
	return fault_vector == 13;
}

static bool write_cr4_faults(u64 value)
{
	fault_vector = GUEST_NO_FAULT;
	fault_skip = 3;
	__asm__ volatile("mov %%rax, %%cr4" : : "a"(value) : "memory");
	return fault_vector == 13;
}

static u64 read_cr(int n)
{
	u64 v = 0;

	if (n == 0)
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	else if (n == 4)
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	else if (n == 8)
		__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static void tour_control_registers(void)
{
	u64 cr0 = read_cr(0), cr4 = read_cr(4);

	/* CR0.NE is fixed to 1 under VT-x: the guest must still see what it wrote. */
	check(!write_cr0_faults(cr0 & ~CR0_NE) && read_cr(0) == (cr0 & ~CR0_NE),
	      "MOV to CR0 clears NE, and CR0 reads back without it");
	check(!write_cr0_faults(cr0) && read_cr(0) == cr0, "MOV to CR0 sets NE again");
	check(write_cr0_faults(cr0 & ~0x80000000ULL), "MOV to CR0 clearing PG in long mode: #GP");
	check(write_cr4_faults(cr4 | CR4_VMXE), "MOV to CR4 setting VMXE, which CPUID hides: #GP");
	check(read_cr(4) == cr4, "CR4 unchanged by the refused write");
	__asm__ volatile("mov %0, %%cr8" : : "r"(5ULL));
	check(read_cr(8) == 5, "MOV to CR8 5 reads back 5");
	__asm__ volatile("mov %0, %%cr8" : : "r"(0ULL));
}

static void tour_hlt(void)
{
	u32 before = interrupts_taken[SELF_VECTOR];

	/* Raised with interrupts off; STI's shadow covers HLT, so the wake-up comes in HLT. */
	__asm__ volatile("cli");
	check(hypercall(VIREO_HC_SEND_INTERRUPT, boot_info->vcpu_id, SELF_VECTOR) == 0,
	      "SEND_INTERRUPT to myself");
	check(interrupts_taken[SELF_VECTOR] == before, "no interrupt taken with IF clear");
	__asm__ volatile("sti; hlt; cli");
	check(interrupts_taken[SELF_VECTOR] == before + 1, "HLT woken by the interrupt, taken once");
	check(hypercall(VIREO_HC_SEND_INTERRUPT, boot_info->vcpu_id, 31) != 0,
	      "SEND_INTERRUPT refuses an exception vector");
}

static void tour_instructions(void)
{
	volatile u64 written = 0x600dcafeULL;

	__asm__ volatile("invd" : : : "memory");
	check(written == 0x600dcafeULL, "INVD runs as a no-op: memory written before it is kept");
	fault_vector = GUEST_NO_FAULT;
	fault_skip = 3;
	__asm__ volatile("rdtscp" : : : "rax", "rcx", "rdx");
	check(fault_vector == 6, "RDTSCP, which CPUID hides: #UD");
	fault_vector = GUEST_NO_FAULT;
	__asm__ volatile("xsetbv" : : "a"(1), "c"(0), "d"(0));
	check(fault_vector == 6, "XSETBV, which CPUID hides: #UD");
}

/* One instruction under TF: a #DB with DR6.BS must arrive right after it. */
static void tour_single_step(void)
{
	u64 after_cpuid, after_nop;
	u32 count = db_count, leaf = 0;

	__asm__ volatile("pushfq; orq %2, (%%rsp); popfq\n\t"
			 "cpuid\n\t"
			 "1: lea 1b(%%rip), %0"
			 : "=r"(after_cpuid), "+a"(leaf) : "i"(RFLAGS_TF) : "rbx", "rcx", "rdx");
	check(db_count == count + 1 && last_db_rip == after_cpuid && (last_db_dr6 & DR6_BS),
	      "single step over CPUID (an emulated instruction): #DB with BS after it");
	count = db_count;
	__asm__ volatile("pushfq; orq %1, (%%rsp); popfq\n\t"
			 "nop\n\t"
			 "1: lea 1b(%%rip), %0"
			 : "=r"(after_nop) : "i"(RFLAGS_TF) : "memory");
	check(db_count == count + 1 && last_db_rip == after_nop && (last_db_dr6 & DR6_BS),
	      "single step over NOP: #DB with BS, reflected by the VMM");
	count = db_count;
	__asm__ volatile("pushfq; orq %2, (%%rsp); popfq\n\t"
			 "outb %%al, %%dx\n\t"
			 "1: lea 1b(%%rip), %0"
			 : "=r"(after_nop) : "a"('.'), "i"(RFLAGS_TF), "d"((u16)VIREO_DEBUG_PORT));
	debug_putc('\n');
	check(db_count == count + 1 && last_db_rip == after_nop, "single step over OUT: #DB after it");
}

static void tour_hypercalls(void)
{
	check(hypercall(VIREO_HC_NOP, 0, 0) == 0, "the null hypercall returns 0");
	check(hypercall(VIREO_HC_YIELD, 0, 0) == 0, "YIELD returns 0");
	check(hypercall(VIREO_HC_SLEEP, 1000000, 0) == 0, "SLEEP 1 ms returns 0");
	check(hypercall(VIREO_HC_SLEEP, 0, 0) == -EINVAL, "SLEEP refuses 0 ns");
	check(hypercall(VIREO_HC_SLEEP, 61000000000L, 0) == -EINVAL, "SLEEP refuses 61 s");
	check(hypercall(VIREO_HC_WRITE, 0, 5000) < 0, "WRITE refuses 5000 bytes");
	check(hypercall(VIREO_HC_SEND_NMI, 99, 0) < 0, "SEND_NMI refuses a vCPU that is not there");
}

/* vCPU 1: say where it is, then wake vCPU 0, and halt for good. */
static void __noreturn ap_main(u64 arg)
{
	u64 rflags;

	__asm__ volatile("pushfq; pop %0" : "=r"(rflags));
	guest_printf("vCPU 1 up (argument %#lx, interrupts %s)\n", (unsigned long)arg,
		     rflags & BIT(9) ? "on" : "off");
	ap_up = true;
	hypercall(VIREO_HC_SEND_INTERRUPT, 0, WAKE_VECTOR);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void tour_second_vcpu(void)
{
	u32 sleeps = 0;
	long started;

	started = hypercall4(VIREO_HC_START_VCPU, 1, (long)ap_main,
			     (long)(ap_stack + AP_STACK_SIZE - 8), 0x5eed);
	check(started == 0, "START_VCPU 1");
	check(hypercall4(VIREO_HC_START_VCPU, 1, (long)ap_main, 0, 0) != 0,
	      "START_VCPU of a started vCPU is refused");
	/* Interrupts are off between the HLTs: the wake-up cannot be missed. */
	while (interrupts_taken[WAKE_VECTOR] == 0) {
		__asm__ volatile("sti; hlt; cli");
		sleeps++;
	}
	check(ap_up, "vCPU 1 ran before it sent the interrupt");
	check(interrupts_taken[WAKE_VECTOR] == 1, "vCPU 0 woken in HLT by vCPU 1's interrupt");
	guest_printf("slept in HLT %u time(s)\n", sleeps);
}

int main(const struct vireo_boot_info *bi)
{
	guest_idt_install();
	guest_idt_set(1, note_debug);
	guest_idt_set(SELF_VECTOR, count_interrupt);
	guest_idt_set(WAKE_VECTOR, count_interrupt);
	guest_printf("exit tour on vCPU %u of %u\n", bi->vcpu_id, bi->vcpu_count);
	tour_io();
	tour_cpuid_and_msrs();
	tour_control_registers();
	tour_hlt();
	tour_instructions();
	tour_single_step();
	tour_hypercalls();
	if (bi->vcpu_count > 1)
		tour_second_vcpu();
	guest_printf("exit tour done: %u failure(s)\n", failures);
	return (int)failures;
}
