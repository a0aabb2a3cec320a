// SPDX-License-Identifier: MIT
/*
 * pcmmio: a 64-bit guest that drives the PC's memory-mapped I/O APIC and VGA text mode the way
 * an OS does, with no hypercall in the loop. It masks the 8259 pair, reads the I/O APIC's
 * version, programs pin 2 (the PIT's IRQ 0) for vector 0x30 and unmasks it, using a different
 * instruction form for each register access (MOV of 1, 2, 4 bytes, MOVZX, MOVSX, OR, AND,
 * TEST, CMP, XCHG, STOS, LODS, MOVS), then takes PIT interrupts through it, writes text into
 * VGA memory and moves the cursor through the CRTC. It then idles, so that the monitor can
 * show its screen. With the argument "fpu" it instead loads the I/O APIC's window with an x87
 * FLD, which Vireo cannot emulate: only this VM must stop.
 */
#include "guests/lib/guest.h"
#include "guests/tinyos/io.h"	/* inb, outb */

#define IOREGSEL ((volatile u32 *)0xfec00000UL)
#define IOWIN ((volatile u32 *)0xfec00010UL)
#define VGA_TEXT ((volatile u16 *)0xb8000UL)
#define TIMER_VECTOR 0x30
#define TIMER_PIN 2
#define TICKS 20
#define CURSOR_ROW 2
#define CURSOR_COLUMN 21

static volatile u32 ticks;
static u32 failures;

static void check(const char *what, u64 got, u64 want)
{
	guest_printf("pcmmio: %s = %#llx%s\n", what, (unsigned long long)got,
		     got == want ? "" : " (WRONG)");
	if (got != want)
		failures++;
}

static void timer_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	ticks++;	/* no local APIC: no EOI is owed */
}

static void program_ioapic(void)
{
	u32 value, buffer = 0;
	u64 r64;
	u16 r16;
	u8 zf;

	/* C7 /0: mov dword [IOREGSEL], 1; 8B: mov eax, [IOWIN] */
	__asm__ volatile("movl $1, %0" : "=m"(*IOREGSEL));
	__asm__ volatile("movl %1, %0" : "=r"(value) : "m"(*IOWIN));
	check("version (mov load 4)", value, 0x00170011);
	__asm__ volatile("movw %1, %0" : "=r"(r16) : "m"(*IOWIN));
	check("version (mov load 2)", r16, 0x0011);
	__asm__ volatile("movzbl %1, %0" : "=r"(value) : "m"(*IOWIN));
	check("version (movzx byte)", value, 0x11);
	__asm__ volatile("movzwl %1, %0" : "=r"(value) : "m"(*((volatile u16 *)IOWIN + 1)));
	check("max entry (movzx word at +2)", value, 0x17);
	__asm__ volatile("cmpb $0x11, %1; sete %0" : "=r"(zf) : "m"(*IOWIN) : "cc");
	check("version is 0x11 (cmp byte, ZF)", zf, 1);

	/* pin 3's high dword = 0xff000000 (mov byte, mov store 4); movsx of its top byte */
	__asm__ volatile("movb $0x17, %0" : "=m"(*(volatile u8 *)IOREGSEL));
	__asm__ volatile("movl %1, %0" : "=m"(*IOWIN) : "r"(0xff000000u));
	__asm__ volatile("movsbq %1, %0" : "=r"(r64) : "m"(*((volatile u8 *)IOWIN + 3)));
	check("pin 3 destination (movsx byte)", r64, ~0ULL);

	/* pin 2: destination 0 (high), then vector 0x30, edge, masked through rep stosd */
	__asm__ volatile("movw $0x15, %0" : "=m"(*(volatile u16 *)IOREGSEL));
	__asm__ volatile("movl %1, %0" : "=m"(*IOWIN) : "r"(0u));
	__asm__ volatile("movl $0x14, %0" : "=m"(*IOREGSEL));
	{
		void *dst = (void *)IOWIN;
		unsigned long count = 1;

		__asm__ volatile("rep stosl" : "+D"(dst), "+c"(count)
				 : "a"(0x10000u | TIMER_VECTOR) : "memory");
	}
	/* movsd: the entry copied from IOWIN to RAM */
	{
		const void *src = (const void *)IOWIN;
		void *dst = &buffer;

		__asm__ volatile("movsl" : "+S"(src), "+D"(dst) : : "memory");
	}
	check("pin 2 low (movs to RAM)", buffer, 0x10000 | TIMER_VECTOR);
	/* unmask: and dword [IOWIN], ~mask (81 /4); TEST of the mask bit then sets ZF */
	__asm__ volatile("andl $0xfffeffff, %0" : "+m"(*IOWIN) : : "cc");
	__asm__ volatile("testl $0x10000, %1; sete %0" : "=r"(zf) : "m"(*IOWIN) : "cc");
	check("pin 2 unmasked (and, then test: ZF)", zf, 1);
	{
		const void *src = (const void *)IOWIN;

		__asm__ volatile("lodsl" : "=a"(value), "+S"(src) : : "memory");
	}
	check("pin 2 low (lods)", value, TIMER_VECTOR);
	value = 0x100;
	__asm__ volatile("orl %1, %0" : "+r"(value) : "m"(*IOWIN) : "cc");
	check("0x100 or pin 2 low (or into a register)", value, 0x100 | TIMER_VECTOR);
	/* xchg: IOREGSEL becomes 1 (the version), and gives back 0x14 */
	value = 1;
	__asm__ volatile("xchgl %0, %1" : "+r"(value), "+m"(*IOREGSEL));
	check("old IOREGSEL (xchg)", value, 0x14);
	check("version after xchg", *IOWIN, 0x00170011);
}

static void vga_write(u32 row, u32 column, const char *text)
{
	for (u32 i = 0; text[i]; i++)
		VGA_TEXT[row * 80 + column + i] = (u16)(0x0700 | (u8)text[i]);
}

static void vga_cursor(u16 cell)
{
	outb(0x3d4, 0x0e);
	outb(0x3d5, (u8)(cell >> 8));
	outb(0x3d4, 0x0f);
	outb(0x3d5, (u8)cell);
	outb(0x3d4, 0x0e);
	check("cursor high (CRTC 0x0e)", inb(0x3d5), cell >> 8);
	outb(0x3d4, 0x0f);
	check("cursor low (CRTC 0x0f)", inb(0x3d5), cell & 0xff);
}

int main(const struct vireo_boot_info *bi)
{
	(void)bi;
	if (guest_arg_is("fpu")) {
		float f;

		guest_printf("pcmmio: an x87 load from the I/O APIC\n");
		__asm__ volatile("flds %1; fstps %0" : "=m"(f) : "m"(*IOREGSEL));
		guest_printf("pcmmio: still running, which is wrong\n");
		return 1;
	}
	guest_idt_install();
	fault_vector = GUEST_NO_FAULT;
	guest_idt_set(TIMER_VECTOR, timer_interrupt);
	guest_pic_init(0xff, 0xff);	/* every line masked: the I/O APIC has the IRQs */
	program_ioapic();
	guest_pit_start(11932);	/* 100 Hz */
	while (ticks < TICKS)
		__asm__ volatile("sti; hlt; cli");
	check("PIT ticks through the I/O APIC", ticks >= TICKS, 1);
	check("unexpected exception vector", fault_vector, GUEST_NO_FAULT);
	vga_write(0, 0, "Vireo pcmmio");
	vga_write(CURSOR_ROW, 0, "VGA text mode works.");
	vga_cursor(CURSOR_ROW * 80 + CURSOR_COLUMN);
	if (failures) {
		guest_printf("pcmmio: %u checks failed\n", failures);
		return 1;
	}
	guest_printf("pcmmio: all ok\n");
	for (;;)
		__asm__ volatile("sti; hlt");	/* the monitor shows the screen, then ends the VM */
}
