// SPDX-License-Identifier: MIT
/*
 * The interrupt descriptor table: for each vector, where the CPU goes when it happens. Vectors
 * 0-31 are the CPU's own exceptions; we put the 8259As' IRQs at 32-47 (pic.c), past them.
 * Every gate leads to a stub in isr.asm, and every stub to trap_entry() below.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define VECTORS 48
#define VECTOR_PF 14

extern const u32 isr_stubs[VECTORS];	/* isr.asm */

/* A 32-bit gate (SDM vol. 3A, 6.11 "IDT Descriptors"). */
struct __packed idt_gate {
	u16 offset_low;
	u16 selector;		/* the code segment the handler runs in */
	u8 zero;
	u8 type;		/* present, ring allowed to INT n, gate kind */
	u16 offset_high;
};

/*
 * 0x8E: present, DPL 0, a 32-bit interrupt gate. An interrupt gate clears EFLAGS.IF on the
 * way in (a trap gate would not), so handlers run with interrupts off and never nest; IRET
 * restores IF from the saved EFLAGS.
 */
#define GATE_INTERRUPT32 0x8e

static struct idt_gate idt[VECTORS] __aligned(8);

bool shell_started;

/* SDM vol. 3A, table 6-1. */
static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range exceeded", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack-segment fault", "#GP general protection",
	"#PF page fault", "reserved (15)", "#MF x87 floating-point error", "#AC alignment check",
	"#MC machine check", "#XM SIMD floating-point", "#VE virtualization exception",
	"#CP control protection", "reserved (22)", "reserved (23)", "reserved (24)",
	"reserved (25)", "reserved (26)", "reserved (27)", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security exception", "reserved (31)",
};

void idt_init(void)
{
	struct __packed {
		u16 limit;
		u32 base;
	} idtr = { sizeof(idt) - 1, (u32)idt };

	for (u32 v = 0; v < VECTORS; v++)
		idt[v] = (struct idt_gate){ (u16)isr_stubs[v], KERNEL_CS, 0, GATE_INTERRUPT32,
					    (u16)(isr_stubs[v] >> 16) };
	/* A vector past the limit, 48 and up, raises #GP: we never ask for one. */
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static __noreturn void exception(const struct trap_frame *f)
{
	u32 cr2;

	console_printf("\nexception: %s (vector %u), error code 0x%x, EIP 0x%08x\n",
		       exception_names[f->vector], f->vector, f->error_code, f->eip);
	if (f->vector == VECTOR_PF) {
		/* CR2 holds the linear address that faulted; the error code says how (bit 0:
		 * the page was present, bit 1: a write, bit 2: from ring 3; SDM vol. 3A, 4.7). */
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		console_printf("exception: the address was 0x%08x (%s, %s)\n", cr2,
			       f->error_code & 1 ? "a protection violation" : "a page not present",
			       f->error_code & 2 ? "writing" : "reading");
	}
	/*
	 * The faulting code cannot go on, but the OS can: a shell program is abandoned and the
	 * shell starts over. A fault in an interrupt handler, or before the shell runs, would
	 * leave the devices half-served: then we stop.
	 */
	if (shell_started && !in_irq) {
		console_write("exception: the program is stopped; back to the menu\n");
		kernel_restart();
	}
	console_write("exception: in the kernel itself; system halted\n");
	cpu_stop();
}

void trap_entry(struct trap_frame *f);	/* isr.asm calls it */

void trap_entry(struct trap_frame *f)
{
	if (f->vector < IRQ_BASE)
		exception(f);
	else
		pic_dispatch(f->vector - IRQ_BASE);
}
