// SPDX-License-Identifier: MIT
/*
 * hostile32: the misdeeds that need legacy 32-bit protected mode. Its argument picks one:
 *   ac-loop      an #AC whose delivery raises #AC again, for ever: ring 3 with EFLAGS.AC and
 *                CR0.AM on a misaligned stack, its #AC gate leading to ring 3 (CVE-2015-5307)
 *   lme-nopg     set EFER.LME with paging (and PAE) off, a legal state, then keep running
 *   lme-paged    set EFER.LME with 32-bit paging on: the CPU refuses it with #GP
 *   task-switch  a far JMP to a TSS: a hardware task switch
 *   ac-in-irq    an interrupt whose delivery raises #AC (its gate leads to ring 3, the ring-3
 *                stack is misaligned, AC is on): the #AC must come first, its handler fixes
 *                the stack, then the interrupt must come (the VMM holds it meanwhile)
 *   ring3-hypercall  the hypercall instruction from ring 3 (VIREO_HC_EXIT, code 7): #UD
 */
#include "guests/lib/guest.h"

#define SEL_CODE0 0x08
#define SEL_DATA0 0x10
#define SEL_CODE3 0x1b		/* index 3, RPL 3 */
#define SEL_DATA3 0x23
#define SEL_TSS_A 0x28
#define SEL_TSS_B 0x30
#define MSR_EFER 0xc0000080u
#define EFER_LME BIT(8)
/* 32-bit constants: a 64-bit one would not fit the registers of inline assembly here. */
#define CR0_AM (1u << 18)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define RFLAGS_AC (1u << 18)
#define RFLAGS_IF (1u << 9)

struct __packed tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap;
};

struct __packed gate32 {
	u16 offset_low, selector;
	u8 zero, type;
	u16 offset_high;
};

static u64 gdt[7] __aligned(8);
static struct gate32 idt[256] __aligned(8);
static struct tss32 tss_a, tss_b;
static u8 ring0_stack[4096] __aligned(16), ring3_stack[4096] __aligned(16);
static u32 page_directory[1024] __aligned(4096);
static volatile u32 gp_count;
static volatile char event_order[8];	/* 'A' for each #AC, 'I' for each interrupt */
static volatile u32 events_seen;
#define ORDER_VECTOR 0x41

/* A flat segment descriptor: base 0, limit 4 GiB, access byte access (SDM Vol. 3A 3.4.5). */
static u64 flat_descriptor(u8 access)
{
	return 0x00cf00000000ffffULL | (u64)access << 40;
}

static u64 tss_descriptor(const struct tss32 *t)
{
	u32 base = (u32)t;

	return (sizeof(*t) - 1) | (u64)(base & 0xffffff) << 16 | 0x89ULL << 40 |
	       (u64)(base >> 24) << 56;
}

static void set_gate(u8 vector, void (*fn)(void), u16 selector, u8 dpl)
{
	u32 f = (u32)fn;

	idt[vector] = (struct gate32){ (u16)f, selector, 0, (u8)(0x8e | dpl << 5), (u16)(f >> 16) };
}

extern void ac_handler(void), gp_handler(void), ring3_misaligned(void), task_b_entry(void);

/* The #AC handler is never reached: its delivery already faults. #GP skips a 2-byte WRMSR. */
__asm__(".text\n"
	"ac_handler: jmp ac_handler\n"
	"gp_handler: incl gp_count\n"
	"	addl $4, %esp\n"
	"	addl $2, (%esp)\n"
	"	iret\n"
	"ring3_misaligned: movl (%esp), %eax\n"
	"	jmp ring3_misaligned\n");

/*
 * ac-in-irq: ring 3 waits for two events. The interrupt's gate leads to ring 3, so its
 * delivery pushes onto the misaligned ring-3 stack and raises #AC; the #AC's gate leads to
 * ring 0, whose stack is aligned: it notes 'A' and aligns the interrupted ESP. The interrupt,
 * delivered again, notes 'I'. INT 0x80 then takes ring 3 back to ring 0 to report.
 */
extern void ac_fix_handler(void), order_irq_handler(void), ring3_wait_two(void),
	order_report_entry(void);

__asm__(".text\n"
	"ac_fix_handler: pushl %eax\n"
	"	movl events_seen, %eax\n"
	"	movb $'A', event_order(%eax)\n"
	"	incl events_seen\n"
	"	popl %eax\n"
	"	addl $4, %esp\n"		/* the error code: EIP, CS, EFLAGS, ESP, SS remain */
	"	andl $-4, 12(%esp)\n"	/* the interrupted ring-3 ESP, aligned */
	"	iret\n"
	"order_irq_handler: pushl %eax\n"
	"	movl events_seen, %eax\n"
	"	movb $'I', event_order(%eax)\n"
	"	incl events_seen\n"
	"	popl %eax\n"
	"	iret\n"
	"ring3_wait_two: cmpl $2, events_seen\n"
	"	jb ring3_wait_two\n"
	"	int $0x80\n"
	"order_report_entry: pushl $0\n"
	"	call order_report\n");

void order_report(void);

__noreturn void order_report(void)
{
	bool ac_first = events_seen == 2 && event_order[0] == 'A' && event_order[1] == 'I';

	guest_puts(ac_first ? "hostile32: #AC while delivering interrupt 0x41 came first, then "
		   "the interrupt\n" : "hostile32: the #AC and the interrupt came in the wrong "
		   "order\n");
	guest_exit(ac_first ? 0 : 1);
}

static void ac_in_interrupt_delivery(void)
{
	u32 cr0, esp3 = (u32)ring3_stack + sizeof(ring3_stack) - 2;	/* misaligned */

	set_gate(17, ac_fix_handler, SEL_CODE0, 0);
	set_gate(ORDER_VECTOR, order_irq_handler, SEL_CODE3, 0);
	set_gate(0x80, order_report_entry, SEL_CODE0, 3);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_AM));
	/* Ring 3 reads events_seen through DS: a ring-0 DS would be nulled by the IRET. */
	__asm__ volatile("mov %0, %%ds; mov %0, %%es" : : "r"(SEL_DATA3));
	/* Raised with interrupts off: it arrives once ring 3 runs with IF set. */
	hypercall(VIREO_HC_SEND_INTERRUPT, 0, ORDER_VECTOR);
	guest_puts("hostile32: to ring 3 with AC set on a misaligned stack, interrupt 0x41 due\n");
	__asm__ volatile("pushl %0; pushl %1; pushl %2; pushl %3; pushl %4; iret"
			 : : "i"(SEL_DATA3), "r"(esp3), "i"(RFLAGS_AC | RFLAGS_IF | 2),
			   "i"(SEL_CODE3), "r"(ring3_wait_two) : "memory");
}

/*
 * ring3-hypercall: ring 3 asks to exit with code 7. The ABI allows ring 0 alone, so #UD must
 * come instead; its ring-0 handler reloads the data segments (IRET to ring 3 nulled them).
 */
extern void ring3_vmcall(void), ring3_vmmcall(void), ring3_ud_entry(void);

__asm__(".text\n"
	"ring3_vmcall: movl $2, %eax\n"
	"	movl $7, %ebx\n"
	"	vmcall\n"
	"	jmp ring3_vmcall\n"
	"ring3_vmmcall: movl $2, %eax\n"
	"	movl $7, %ebx\n"
	"	vmmcall\n"
	"	jmp ring3_vmmcall\n"
	"ring3_ud_entry: movl $0x10, %eax\n"
	"	movl %eax, %ds\n"
	"	movl %eax, %es\n"
	"	pushl $0\n"
	"	call ring3_ud_report\n");

void ring3_ud_report(void);

__noreturn void ring3_ud_report(void)
{
	guest_puts("hostile32: hypercall from ring 3: #UD\n");
	guest_exit(0);
}

static void ring3_hypercall(void)
{
	u32 esp3 = (u32)ring3_stack + sizeof(ring3_stack);

	set_gate(6, ring3_ud_entry, SEL_CODE0, 0);
	guest_puts("hostile32: to ring 3 for a hypercall\n");
	__asm__ volatile("pushl %0; pushl %1; pushl %2; pushl %3; pushl %4; iret"
			 : : "i"(SEL_DATA3), "r"(esp3), "i"(2), "i"(SEL_CODE3),
			   "r"(guest_cpu_is_intel() ? ring3_vmcall : ring3_vmmcall) : "memory");
}

static void load_tables(void)
{
	struct __packed {
		u16 limit;
		u32 base;
	} gdtr = { sizeof(gdt) - 1, (u32)gdt }, idtr = { sizeof(idt) - 1, (u32)idt };

	gdt[1] = flat_descriptor(0x9a);
	gdt[2] = flat_descriptor(0x92);
	gdt[3] = flat_descriptor(0xfa);
	gdt[4] = flat_descriptor(0xf2);
	gdt[5] = tss_descriptor(&tss_a);
	gdt[6] = tss_descriptor(&tss_b);
	tss_a.esp0 = (u32)ring0_stack + sizeof(ring0_stack);
	tss_a.ss0 = SEL_DATA0;
	tss_a.iomap = sizeof(struct tss32);
	set_gate(13, gp_handler, SEL_CODE0, 0);
	__asm__ volatile("lgdt %0; lidt %1; ltr %w2" : : "m"(gdtr), "m"(idtr), "r"(SEL_TSS_A));
}

static void ac_loop(void)
{
	u32 cr0, esp3 = (u32)ring3_stack + sizeof(ring3_stack) - 2;	/* misaligned */

	set_gate(17, ac_handler, SEL_CODE3, 3);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_AM));
	guest_puts("hostile32: to ring 3 with AC set on a misaligned stack\n");
	__asm__ volatile("pushl %0; pushl %1; pushl %2; pushl %3; pushl %4; iret"
			 : : "i"(SEL_DATA3), "r"(esp3), "i"(RFLAGS_AC | 2), "i"(SEL_CODE3),
			   "r"(ring3_misaligned) : "memory");
}

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static void wrmsr(u32 msr, u64 value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)value), "d"((u32)(value >> 32)) : "memory");
}

static void lme_without_paging(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	/* Each of these is an exit with LME set and paging off. */
	for (int i = 0; i < 3; i++)
		debug_putc('.');
	debug_putc('\n');
	guest_puts(rdmsr(MSR_EFER) & EFER_LME ? "hostile32: EFER.LME set with paging off, "
		   "still running\n" : "hostile32: EFER.LME did not stick (wrong)\n");
	guest_exit(rdmsr(MSR_EFER) & EFER_LME ? 0 : 1);
}

static void lme_with_paging(void)
{
	u32 cr0, cr4;

	for (u32 i = 0; i < 1024; i++)		/* identity, 4 MiB pages: P, RW, PS */
		page_directory[i] = i << 22 | 0x83;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE));
	__asm__ volatile("mov %0, %%cr3" : : "r"(page_directory));
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	guest_puts(gp_count == 1 && !(rdmsr(MSR_EFER) & EFER_LME)
		   ? "hostile32: EFER.LME with paging on: #GP\n"
		   : "hostile32: EFER.LME with paging on: accepted (wrong)\n");
	guest_exit(gp_count == 1 ? 0 : 1);
}

__asm__(".text\n"
	"task_b_entry: pushl $0\n"
	"	call task_b\n");

void task_b(void);

__noreturn void task_b(void)
{
	guest_puts("hostile32: running in task B after a hardware task switch\n");
	guest_exit(0);
}

static void task_switch(void)
{
	tss_b = (struct tss32){ .eip = (u32)task_b_entry, .eflags = 2, .cs = SEL_CODE0,
				.ss = SEL_DATA0, .ds = SEL_DATA0, .es = SEL_DATA0,
				.fs = SEL_DATA0, .gs = SEL_DATA0,
				.esp = (u32)ring0_stack + sizeof(ring0_stack) - 256,
				.iomap = sizeof(struct tss32) };
	guest_puts("hostile32: far JMP to task B\n");
	__asm__ volatile("ljmp %0, $0" : : "i"(SEL_TSS_B));
}

int main(const struct vireo_boot_info *bi)
{
	(void)bi;
	load_tables();
	if (guest_arg_is("ac-loop"))
		ac_loop();
	else if (guest_arg_is("lme-nopg"))
		lme_without_paging();
	else if (guest_arg_is("lme-paged"))
		lme_with_paging();
	else if (guest_arg_is("task-switch"))
		task_switch();
	else if (guest_arg_is("ac-in-irq"))
		ac_in_interrupt_delivery();
	else if (guest_arg_is("ring3-hypercall"))
		ring3_hypercall();
	guest_puts("hostile32: still running, which is wrong\n");
	return 1;
}
