// SPDX-License-Identifier: MIT
/*
 * lapicsmp: a 32-bit guest that uses its local APICs and starts its other CPUs the way an OS
 * does, with no Vireo hypercall until its final exit. The BSP switches its APIC to x2APIC mode
 * (IA32_APIC_BASE), runs the APIC timer periodic and counts its interrupts, then starts each
 * AP with INIT, SIPI, SIPI through a real-mode trampoline at 0x8000; each AP enters protected
 * mode, enables its own APIC, takes its own timer interrupts and sends a fixed IPI to the BSP
 * and one to the next AP of the ring of APs (a ring of one through the self-IPI register); the
 * BSP sends three to each AP. The BSP waits until every CPU has seen what it should and prints the
 * counts on the debug console (port 0xe9). Arguments: the timer ticks each CPU waits for
 * (default 10), then "xapic" to keep the APICs in xAPIC mode and reach them through their
 * MMIO window at 0xFEE00000 instead of the x2APIC MSRs, or "ioapic" to also route the PIT
 * (I/O APIC pin 2, level-triggered: each interrupt needs the EOI to reach the I/O APIC) to the
 * BSP's APIC and count ten of its interrupts (give it the pic, pit and ioapic devices), or
 * "restart" to then take its last AP back with INIT, twice, and start it again with SIPIs
 * into a second trampoline that counts its starts and halts with interrupts off; SIPIs sent
 * while it runs, and INIT and SIPI to an APIC ID no CPU has, must change nothing.
 * "platform" makes it a small OS of a PC that knows nothing of Vireo (give it the uart, acpi,
 * mptable, fwcfg and vga devices too): it finds its CPUs and I/O APIC in the MP table and in
 * the ACPI MADT, which must agree with each other and with fw_cfg, writes a line of VGA text
 * and moves the cursor, starts the APs the tables name, sends a line out of COM1 a byte per
 * transmitter-empty interrupt, routed through the I/O APIC to the last AP, and ends with an
 * ACPI power-off instead of the exit hypercall. Its console output always goes through
 * REP OUTSB.
 */
#include "guests/lib/guest.h"
#include "guests/lib/pc_firmware.h"
#include "arch/x86/io.h"

#define MAX_CPUS 8
#define TRAMPOLINE 0x8000u	/* the startup vector 0x08: CS 0x0800, IP 0 */
#define RESTART 0x9000u		/* the startup vector 0x09, of the second trampoline */
#define RESTART_ROUNDS 2
#define IGNORED_SIPIS 100
#define NO_SUCH_APIC 0x7e
#define TIMER_VECTOR 0x40
#define IPI_VECTOR 0x50
#define SPURIOUS_VECTOR 0xff
#define PIT_VECTOR 0x60
#define PIT_WANTED 10
#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_PIT_PIN 2
#define IOAPIC_UART_PIN 4	/* COM1's IRQ 4 */
#define UART_VECTOR 0x44
#define COM1 0x3f8
#define UART_IER 1
#define UART_IIR 2
#define UART_MCR 4
#define UART_IER_THRE 0x02
#define UART_IIR_THRE 0x02
#define UART_MCR_OUT2 0x08	/* gates INTR to the interrupt controller, on a PC */
#define VGA_TEXT ((volatile u16 *)0xb8000u)
#define VGA_COLUMNS 80
#define CRTC_INDEX 0x3d4
#define CRTC_DATA 0x3d5
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW 0x0f
#define PIT_100HZ 11932
#define BSP_IPIS_PER_AP 3

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_X2APIC (1u << 10)
#define X2APIC_ID 0x802
#define X2APIC_EOI 0x80b
#define X2APIC_SVR 0x80f
#define X2APIC_ICR 0x830
#define X2APIC_LVT_TIMER 0x832
#define X2APIC_LVT_LINT0 0x835
#define X2APIC_TIMER_INITIAL 0x838
#define X2APIC_TIMER_DIVIDE 0x83e
#define X2APIC_SELF_IPI 0x83f
#define ICR_INIT 0x4500		/* INIT, level assert */
#define ICR_SIPI 0x4600		/* startup, vector in bits 7:0 */
#define ICR_FIXED 0x4000
#define ICR_SELF (1u << 18)
#define TIMER_PERIODIC (1u << 17)
#define TIMER_COUNT 1000000	/* at the divide-by-1 input clock */

struct interrupt_frame;

static volatile u32 pit_ticks;
static volatile u32 ticks[MAX_CPUS], ipis[MAX_CPUS], checked_in, finished[MAX_CPUS];
static volatile u32 ap_stack_top;
static u8 ap_stacks[MAX_CPUS][4096] __attribute__((aligned(16)));
static u32 wait_ticks, cpus;
static bool x2apic = true;
static u8 apic_ids[MAX_CPUS] = { 0, 1, 2, 3, 4, 5, 6, 7 };	/* the tables' in "platform" */
static u32 ioapic_base = IOAPIC_DEFAULT_BASE;
static const u8 *fadt;
static volatile u32 uart_sent, uart_interrupts;
static const char uart_line[] = "lapicsmp: this line went out of COM1 a byte per interrupt\n";

/* The xAPIC window: a register's offset is (its x2APIC MSR - 0x800) * 16. */
#define XAPIC_WINDOW ((volatile u32 *)0xfee00000u)
#define XAPIC_ICR_HIGH 0x831	/* as if it were an MSR: offset 0x310 */

/* Flat 4 GiB code (0x08) and data (0x10), for the BSP and the APs' trampoline alike. */
static const u64 gdt[3] __attribute__((aligned(8))) = {
	0, 0x00cf9a000000ffffULL, 0x00cf92000000ffffULL,
};
static struct { u16 limit; u32 base; } __attribute__((packed)) gdtr, idtr;
static u64 idt[256];

static u32 apic_read(u32 msr)
{
	return x2apic ? (u32)guest_rdmsr(msr) : XAPIC_WINDOW[(msr - 0x800) * 4];
}

static void apic_write(u32 msr, u32 value)
{
	if (x2apic)
		guest_wrmsr(msr, value);
	else
		XAPIC_WINDOW[(msr - 0x800) * 4] = value;
}

static u32 my_id(void)
{
	return x2apic ? apic_read(X2APIC_ID) : apic_read(X2APIC_ID) >> 24;
}

__attribute__((interrupt)) static void timer_isr(struct interrupt_frame *f)
{
	(void)f;
	ticks[my_id() % MAX_CPUS]++;
	apic_write(X2APIC_EOI, 0);
}

__attribute__((interrupt)) static void ipi_isr(struct interrupt_frame *f)
{
	(void)f;
	ipis[my_id() % MAX_CPUS]++;
	apic_write(X2APIC_EOI, 0);
}

__attribute__((interrupt)) static void pit_isr(struct interrupt_frame *f)
{
	(void)f;
	pit_ticks++;
	apic_write(X2APIC_EOI, 0);	/* level-triggered: the EOI clears the pin's remote IRR */
}

/* COM1's transmitter is empty: the next byte of the line, or, after the last, no more. */
__attribute__((interrupt)) static void uart_isr(struct interrupt_frame *f)
{
	(void)f;
	uart_interrupts++;
	if ((inb(COM1 + UART_IIR) & 0x0f) == UART_IIR_THRE) {	/* reading it ends the THRE one */
		if (uart_line[uart_sent])
			outb(COM1, (u8)uart_line[uart_sent++]);
		else
			outb(COM1 + UART_IER, 0);
	}
	apic_write(X2APIC_EOI, 0);
}

__attribute__((interrupt)) static void spurious_isr(struct interrupt_frame *f)
{
	(void)f;	/* no EOI for the spurious vector (SDM Vol. 3A 11.9) */
}

/* The debug console, a string at a time: REP OUTSB, as drivers move their buffers. */
static void con_puts(const char *s)
{
	u32 n = 0;

	while (s[n])
		n++;
	__asm__ volatile("rep outsb" : "+S"(s), "+c"(n) : "d"((u16)VIREO_DEBUG_PORT) : "memory");
}

static void put_u32(u32 n)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	con_puts(buf + i);
}

static void put_hex(u32 n)
{
	char buf[11] = "0x";

	for (int i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(n >> (28 - 4 * i)) & 0xf];
	buf[10] = 0;
	con_puts(buf);
}

static void set_gate(u8 vector, void (*handler)(struct interrupt_frame *))
{
	u32 a = (u32)handler;

	/* A 32-bit interrupt gate, DPL 0, present, to selector 0x08. */
	idt[vector] = (u64)(a & 0xffff) | (0x08ull << 16) | (0x8eull << 40) |
		      ((u64)(a >> 16) << 48);
}

/* Every CPU: the GDT and IDT above, x2APIC mode, the APIC on, the timer periodic. */
static void cpu_setup(void)
{
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("lidt %0" : : "m"(idtr));
	guest_wrmsr(MSR_APIC_BASE, guest_rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE |
	      (x2apic ? APIC_BASE_X2APIC : 0));
	apic_write(X2APIC_SVR, 0x100 | SPURIOUS_VECTOR);
	apic_write(X2APIC_TIMER_DIVIDE, 0xb);
	apic_write(X2APIC_LVT_TIMER, TIMER_PERIODIC | TIMER_VECTOR);
	apic_write(X2APIC_TIMER_INITIAL, TIMER_COUNT);
}

static void send_ipi(u32 dest, u32 icr_low)
{
	if (x2apic) {
		guest_wrmsr(X2APIC_ICR, (u64)dest << 32 | icr_low);
		return;
	}
	apic_write(XAPIC_ICR_HIGH, dest << 24);
	apic_write(X2APIC_ICR, icr_low);	/* the low half sends it */
}

static void wait_for_own_ticks(u32 id)
{
	while (ticks[id] < wait_ticks)
		__asm__ volatile("sti; hlt; cli");
}

/* The x2APIC's self-IPI register, or the ICR's self shorthand in xAPIC mode. */
static void self_ipi(void)
{
	if (x2apic)
		guest_wrmsr(X2APIC_SELF_IPI, IPI_VECTOR);
	else
		apic_write(X2APIC_ICR, ICR_SELF | ICR_FIXED | IPI_VECTOR);
}

static volatile u32 ipi_lock;

/*
 * A fixed IPI to id (from id itself: a self-IPI), and a wait until its handler has counted it.
 * One IRR bit per vector: an IPI arriving while another of its vector is pending merges with
 * it, as on any APIC, so the CPUs send one at a time, each waiting for the last to land.
 */
static void send_counted_ipi(u32 from, u32 id)
{
	u32 seen;

	while (__atomic_exchange_n(&ipi_lock, 1, __ATOMIC_ACQUIRE))
		__asm__ volatile("sti; pause; cli");
	seen = ipis[id];
	if (id == from)
		self_ipi();
	else
		send_ipi(id, ICR_FIXED | IPI_VECTOR);
	for (u32 spins = 0; ipis[id] == seen && spins < 100000000; spins++)
		__asm__ volatile("sti; pause; cli");
	__atomic_store_n(&ipi_lock, 0, __ATOMIC_RELEASE);
}

/* An AP, in protected mode on its stack (from ap_entry32 below). */
__attribute__((used)) static void ap_main(void)
{
	u32 id;

	cpu_setup();	/* x2APIC mode first: its ID register is an MSR only there */
	id = my_id() % MAX_CPUS;
	__atomic_store_n(&checked_in, id, __ATOMIC_RELEASE);
	wait_for_own_ticks(id);
	u32 next = id + 1 < cpus ? id + 1 : 1;	/* the APs in a ring */

	send_counted_ipi(id, 0);
	send_counted_ipi(id, next);	/* a ring of one: a self-IPI */
	finished[id] = 1;
	for (;;)
		__asm__ volatile("sti; hlt");
}

/*
 * The trampoline, copied to TRAMPOLINE: real mode at CS = 0x0800, IP = 0. It loads the GDT
 * (its descriptor copied along, at an offset DS reaches), enters protected mode and jumps to
 * ap_entry32 at its linked address.
 */
__asm__(".section .text\n"
	".globl trampoline_start, trampoline_end\n"
	".code16\n"
	"trampoline_start:\n"
	"	cli\n"
	"	mov %cs, %ax\n"
	"	mov %ax, %ds\n"
	"	lgdtl trampoline_gdtr - trampoline_start\n"
	"	mov %cr0, %eax\n"
	"	or $1, %eax\n"
	"	mov %eax, %cr0\n"
	"	ljmpl $0x08, $ap_entry32\n"
	"	.balign 4\n"
	"trampoline_gdtr:\n"
	"	.word 23\n"
	"	.long gdt\n"
	"trampoline_end:\n"
	".code32\n"
	"ap_entry32:\n"
	"	mov $0x10, %ax\n"
	"	mov %ax, %ds\n"
	"	mov %ax, %es\n"
	"	mov %ax, %ss\n"
	"	mov %ax, %fs\n"
	"	mov %ax, %gs\n"
	"	mov ap_stack_top, %esp\n"
	"	call ap_main\n");

/*
 * The second trampoline, copied to RESTART: it counts its start in the word after its code
 * and halts with interrupts off, which only an INIT (or an NMI) ends.
 */
__asm__(".section .text\n"
	".globl restart_start, restart_count, restart_end\n"
	".code16\n"
	"restart_start:\n"
	"	cli\n"
	"	mov %cs, %ax\n"
	"	mov %ax, %ds\n"
	"	lock incl restart_count - restart_start\n"
	"1:	hlt\n"
	"	jmp 1b\n"
	"	.balign 4\n"
	"restart_count:\n"
	"	.long 0\n"
	"restart_end:\n"
	".code32\n");

extern const u8 trampoline_start[], trampoline_end[];
extern const u8 restart_start[], restart_count[], restart_end[];

static void ioapic_write(u32 reg, u32 value)
{
	volatile u32 *ioregsel = (volatile u32 *)ioapic_base;

	ioregsel[0] = reg;
	ioregsel[4] = value;	/* IOWIN, at +0x10 */
}

/*
 * The ISA lines reach the 8259 too, and the BSP's LINT0 is in ExtINT mode (virtual wire): an
 * OS using the I/O APIC masks both, or it takes each IRQ twice.
 */
static void mask_the_8259(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	apic_write(X2APIC_LVT_LINT0, 1u << 16);
}

/* The PIT at 100 Hz through I/O APIC pin 2, level-triggered, fixed, to APIC ID 0. */
static bool pit_through_ioapic(void)
{
	u32 deadline = ticks[0] + 200;

	mask_the_8259();
	ioapic_write(0x10 + 2 * IOAPIC_PIT_PIN + 1, 0);	/* destination: APIC ID 0 */
	ioapic_write(0x10 + 2 * IOAPIC_PIT_PIN, (1u << 15) | PIT_VECTOR);
	outb(0x43, 0x34);	/* channel 0, mode 2 */
	outb(0x40, (u8)PIT_100HZ);
	outb(0x40, (u8)(PIT_100HZ >> 8));
	while (pit_ticks < PIT_WANTED && ticks[0] < deadline)
		__asm__ volatile("sti; hlt; cli");
	ioapic_write(0x10 + 2 * IOAPIC_PIT_PIN, 1u << 16);	/* masked */
	con_puts("lapicsmp: ");
	put_u32(pit_ticks);
	con_puts(" PIT interrupts through the I/O APIC\n");
	return pit_ticks >= PIT_WANTED;
}

/* Whether word is one of the blank-separated words of s. */
static bool has_word(const char *s, const char *word)
{
	while (*s) {
		const char *w = word;

		while (*w && *s == *w) {
			s++;
			w++;
		}
		if (!*w && (!*s || *s == ' '))
			return true;
		while (*s && *s != ' ')
			s++;
		while (*s == ' ')
			s++;
	}
	return false;
}

/* INIT, then two SIPIs (SDM Vol. 3A 9.4.4.1); the AP says it is up through checked_in. */
static bool start_ap(u32 id)
{
	u8 *to = (u8 *)TRAMPOLINE;
	u32 deadline = ticks[0] + 200;

	for (const u8 *p = trampoline_start; p < trampoline_end; p++)
		*to++ = *p;
	ap_stack_top = (u32)&ap_stacks[id][sizeof(ap_stacks[id])];
	send_ipi(id, ICR_INIT);
	send_ipi(id, ICR_SIPI | (TRAMPOLINE >> 12));
	send_ipi(id, ICR_SIPI | (TRAMPOLINE >> 12));
	while (__atomic_load_n(&checked_in, __ATOMIC_ACQUIRE) != id && ticks[0] < deadline)
		__asm__ volatile("sti; hlt; cli");
	return checked_in == id;
}

static void wait_bsp_ticks(u32 n)
{
	u32 until = ticks[0] + n;

	while (ticks[0] < until)
		__asm__ volatile("sti; hlt; cli");
}

/*
 * INIT takes a running AP back to waiting for a startup IPI (SDM Vol. 3A 9.4.4), whatever it
 * does: the first round finds it in its idle loop, the second halted with interrupts off.
 * Startup IPIs to a CPU that runs are ignored.
 */
static bool restart_ap(u32 id)
{
	volatile u32 *count = (volatile u32 *)(RESTART + (u32)(restart_count - restart_start));
	u8 *to = (u8 *)RESTART;
	bool ok = true;

	for (const u8 *p = restart_start; p < restart_end; p++)
		*to++ = *p;
	for (u32 round = 1; round <= RESTART_ROUNDS && ok; round++) {
		u32 deadline = ticks[0] + 200;

		send_ipi(id, ICR_INIT);
		send_ipi(id, ICR_SIPI | (RESTART >> 12));
		send_ipi(id, ICR_SIPI | (RESTART >> 12));
		while (*count < round && ticks[0] < deadline)
			__asm__ volatile("sti; hlt; cli");
		for (u32 k = 0; k < IGNORED_SIPIS; k++)
			send_ipi(id, ICR_SIPI | (RESTART >> 12));
		wait_bsp_ticks(5);
		ok = *count == round;
	}
	send_ipi(NO_SUCH_APIC, ICR_INIT);
	send_ipi(NO_SUCH_APIC, ICR_SIPI | (RESTART >> 12));
	wait_bsp_ticks(5);
	ok = ok && *count == RESTART_ROUNDS;
	con_puts("lapicsmp: AP ");
	put_u32(id);
	con_puts(" started ");
	put_u32(*count);
	con_puts(" times again by INIT-SIPI-SIPI, ");
	put_u32(IGNORED_SIPIS * RESTART_ROUNDS);
	con_puts(" SIPIs to it running ignored\n");
	return ok;
}

/*
 * The CPUs and the I/O APIC the way an OS finds them: the MADT's processors, which the MP
 * table and fw_cfg must confirm, APIC ID for APIC ID.
 */
static bool find_machine(void)
{
	const u8 *fp = mp_find_floating_pointer(), *rsdp = acpi_find_rsdp(), *madt = NULL;
	u8 mp_ids[MAX_CPUS];
	u32 mp_cpus, madt_cpus, fw_cfg_cpus;
	bool same;

	if (rsdp) {
		madt = acpi_find_table(rsdp, "APIC");
		fadt = acpi_find_table(rsdp, "FACP");
	}
	if (!fp || !madt || !fadt) {
		con_puts("lapicsmp: no MP table, or no ACPI MADT and FADT\n");
		return false;
	}
	mp_cpus = mp_processors(fw_phys(fw_get32(fp + 4)), mp_ids, MAX_CPUS);
	madt_cpus = madt_processors(madt, apic_ids, MAX_CPUS);
	fw_cfg_cpus = fw_cfg_u32(FW_CFG_NB_CPUS, 2);
	ioapic_base = madt_ioapic_address(madt);
	cpus = madt_cpus < MAX_CPUS ? madt_cpus : MAX_CPUS;
	same = mp_cpus == madt_cpus && fw_cfg_cpus == madt_cpus && cpus && ioapic_base;
	con_puts("lapicsmp: the MP table has ");
	put_u32(mp_cpus);
	con_puts(" CPUs, the MADT ");
	put_u32(madt_cpus);
	con_puts(", fw_cfg ");
	put_u32(fw_cfg_cpus);
	con_puts("; APIC IDs");
	for (u32 i = 0; i < cpus; i++) {
		con_puts(" ");
		put_u32(apic_ids[i]);
		same = same && mp_ids[i] == apic_ids[i];
	}
	con_puts("; I/O APIC at ");
	put_hex(ioapic_base);
	con_puts(same ? "\n" : " (the tables disagree)\n");
	return same;
}

static void crtc_write(u8 index, u8 value)
{
	outb(CRTC_INDEX, index);
	outb(CRTC_DATA, value);
}

static u8 crtc_read(u8 index)
{
	outb(CRTC_INDEX, index);
	return inb(CRTC_DATA);
}

/* A line at the top of the screen, grey on black, and the cursor at the start of the next. */
static bool vga_show(const char *line)
{
	volatile u16 *cell = VGA_TEXT;
	u32 cursor;

	while (*line)
		*cell++ = 0x0700 | (u8)*line++;
	crtc_write(CRTC_CURSOR_HIGH, VGA_COLUMNS >> 8);
	crtc_write(CRTC_CURSOR_LOW, VGA_COLUMNS & 0xff);
	cursor = (u32)crtc_read(CRTC_CURSOR_HIGH) << 8 | crtc_read(CRTC_CURSOR_LOW);
	con_puts("lapicsmp: VGA text written, cursor read back at ");
	put_u32(cursor);
	con_puts("\n");
	return cursor == VGA_COLUMNS;
}

/*
 * COM1 sends uart_line, a byte per transmitter-empty interrupt, which the I/O APIC (pin 4,
 * edge, fixed) takes to the CPU of APIC ID dest. Enabling the interrupt with the transmitter
 * empty raises the first (16550 datasheet, IER); the last finds nothing to send and turns
 * it off: one interrupt more than bytes.
 */
static bool uart_through_ioapic(u32 dest)
{
	u32 deadline = ticks[0] + 500, bytes = sizeof(uart_line) - 1;

	mask_the_8259();
	set_gate(UART_VECTOR, uart_isr);
	outb(COM1 + UART_MCR, UART_MCR_OUT2);
	ioapic_write(0x10 + 2 * IOAPIC_UART_PIN + 1, dest << 24);
	ioapic_write(0x10 + 2 * IOAPIC_UART_PIN, UART_VECTOR);
	outb(COM1 + UART_IER, UART_IER_THRE);
	while (uart_interrupts <= bytes && ticks[0] < deadline)
		__asm__ volatile("sti; hlt; cli");
	wait_bsp_ticks(2);	/* any interrupt too many would come now */
	ioapic_write(0x10 + 2 * IOAPIC_UART_PIN, 1u << 16);	/* masked */
	con_puts("lapicsmp: ");
	put_u32(uart_interrupts);
	con_puts(" COM1 interrupts through the I/O APIC to APIC ID ");
	put_u32(dest);
	con_puts(" sent ");
	put_u32(uart_sent);
	con_puts(" bytes\n");
	return uart_sent == bytes && uart_interrupts == bytes + 1;
}

static bool all_done(void)
{
	if (ipis[0] < cpus - 1)
		return false;
	for (u32 i = 1; i < cpus; i++)
		if (!finished[i] || ipis[i] < BSP_IPIS_PER_AP + 1 || ticks[i] < wait_ticks)
			return false;
	return true;
}

int main(const struct vireo_boot_info *bi)
{
	const char *args = bi->args;
	u32 a, b, c, d, deadline;
	bool ok = true, platform;

	wait_ticks = guest_next_number(&args);
	wait_ticks = wait_ticks ? wait_ticks : 10;
	x2apic = !has_word(args, "xapic");
	platform = has_word(args, "platform");
	cpus = bi->vcpu_count < MAX_CPUS ? bi->vcpu_count : MAX_CPUS;
	if (platform && (!find_machine() || !vga_show("lapicsmp: a PC of its own")))
		ok = false;
	gdtr.limit = sizeof(gdt) - 1;
	gdtr.base = (u32)gdt;
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (u32)idt;
	set_gate(TIMER_VECTOR, timer_isr);
	set_gate(IPI_VECTOR, ipi_isr);
	set_gate(SPURIOUS_VECTOR, spurious_isr);
	set_gate(PIT_VECTOR, pit_isr);
	guest_cpuid(1, 0, &a, &b, &c, &d);
	con_puts("lapicsmp: CPUID APIC ");
	con_puts(d & (1u << 9) ? "yes" : "no");
	con_puts(", x2APIC ");
	con_puts(c & (1u << 21) ? "yes" : "no");
	con_puts(", TSC deadline ");
	con_puts(c & (1u << 24) ? "yes" : "no");
	con_puts("\nlapicsmp: APIC base ");
	put_hex((u32)guest_rdmsr(MSR_APIC_BASE));
	con_puts("\n");
	cpu_setup();
	__asm__ volatile("ljmp $0x08, $1f; 1: mov $0x10, %%ax; mov %%ax, %%ds; mov %%ax, %%es; "
			 "mov %%ax, %%ss" : : : "eax", "memory");
	wait_for_own_ticks(0);
	con_puts(x2apic ? "lapicsmp: x2APIC mode; BSP APIC ID " : "lapicsmp: xAPIC mode; BSP APIC ID ");
	put_u32(my_id());
	con_puts(", timer ticking; starting ");
	put_u32(cpus - 1);
	con_puts(" APs\n");
	if (has_word(bi->args, "ioapic") && !pit_through_ioapic())
		ok = false;
	for (u32 i = 1; i < cpus; i++) {
		if (!start_ap(apic_ids[i])) {
			con_puts("lapicsmp: AP ");
			put_u32(apic_ids[i]);
			con_puts(" did not start\n");
			guest_exit(1);
		}
		for (u32 k = 0; k < BSP_IPIS_PER_AP; k++)
			send_counted_ipi(0, apic_ids[i]);
	}
	deadline = ticks[0] + 1000;
	while (!all_done() && ticks[0] < deadline)
		__asm__ volatile("sti; hlt; cli");
	for (u32 i = 0; i < cpus; i++) {
		con_puts("lapicsmp: cpu ");
		put_u32(i);
		con_puts(": ");
		put_u32(ticks[i]);
		con_puts(" timer interrupts, ");
		put_u32(ipis[i]);
		con_puts(" IPIs\n");
	}
	ok = all_done() && ok;
	if (ok && platform)
		ok = uart_through_ioapic(apic_ids[cpus - 1]);
	if (ok && cpus > 1 && has_word(bi->args, "restart"))
		ok = restart_ap(apic_ids[cpus - 1]);
	con_puts(ok ? "lapicsmp: all ok\n" : "lapicsmp: FAILED\n");
	if (ok && platform) {
		con_puts("lapicsmp: powering off through ACPI\n");
		acpi_power_off(fadt);
	}
	return ok ? 0 : 1;
}
