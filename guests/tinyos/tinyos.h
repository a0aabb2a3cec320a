/* SPDX-License-Identifier: MIT */
/*
 * tinyos: a teaching OS for a PC, real or virtual. This header is the whole kernel's table of
 * contents: one section for each file, in the order main.c brings them up.
 */
#ifndef TINYOS_H
#define TINYOS_H

#include "kernel/types.h"

/* boot.asm: the Multiboot entry, the kernel stack, and a restart of the shell on a fresh one. */
__noreturn void kernel_restart(void);

/* multiboot.c: what the boot loader told us, copied before paging hides its memory. */
struct boot_facts {
	bool have_memory;
	u32 mem_lower_kib;	/* RAM below 640 KiB */
	u32 mem_upper_kib;	/* RAM from 1 MiB up to the first hole */
	char cmdline[128];
};
extern struct boot_facts boot_facts;
void multiboot_read(u32 magic, u32 info_address);
/* The number after "NAME=" on the command line, or fallback when it is absent or malformed. */
u32 cmdline_number(const char *name, u32 fallback);

/* gdt.c: flat code and data segments of our own. */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
void gdt_init(void);

/* idt.c: the interrupt descriptor table; exceptions report themselves, IRQs go to pic.c. */
struct trap_frame {
	u32 edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;	/* PUSHA, isr.asm */
	u32 vector, error_code;	/* isr.asm, or the CPU for the error code */
	u32 eip, cs, eflags;	/* pushed by the CPU (no stack switch: ring 0 to ring 0) */
};
void idt_init(void);
extern bool shell_started;	/* a fault from now on restarts the shell instead of stopping */

/* pic.c: the two 8259A interrupt controllers. */
#define IRQ_BASE 0x20	/* IRQ 0-15 arrive as vectors 0x20-0x2F */
#define IRQ_PIT 0
#define IRQ_KEYBOARD 1
#define IRQ_CASCADE 2
#define IRQ_COM1 4
#define IRQ_RTC 8
typedef void (*irq_handler_t)(void);
void pic_init(void);
void pic_enable(unsigned irq, irq_handler_t handler);
void pic_dispatch(unsigned irq);
extern volatile bool in_irq;

/* pit.c: the 8254 timer, channel 0 on IRQ0. */
#define PIT_INPUT_HZ 1193182u	/* its input clock */
#define PIT_HZ_MIN 19		/* the 16-bit divisor's limit: 1193182 / 65536 = 18.2 Hz */
#define PIT_HZ_MAX 10000
void pit_init(u32 hz);
extern volatile u32 pit_ticks;
extern u32 pit_hz;
extern u32 pit_divisor;
/* Sleep in HLT for n ticks. */
void pit_sleep(u32 n);

/* uart.c: the 16550A serial port COM1: output polled, input by interrupt. */
void uart_init(void);
void uart_putc(char c);

/* kbd.c: the keyboard behind the 8042 controller, scancode set 1. */
bool kbd_init(void);	/* false: no 8042 controller answered */

/* vga.c: the text screen at 0xB8000. */
void vga_init(void);
void vga_putc(char c);
void vga_sync_cursor(void);

/* console.c: output to the UART and the screen; input from the UART and the keyboard. */
void console_write(const char *s);
int console_printf(const char *fmt, ...) __printf(1, 2);
void console_input(char c);	/* called by the IRQ handlers with each character typed */
char console_getc(void);	/* sleeps in HLT until a character comes */
/* Read a line with echo and backspace; returns its length, the newline not stored. */
u32 console_readline(char *buf, u32 size);

/* rtc.c: the MC146818 real-time clock and its IRQ8. */
struct rtc_time {
	u32 year, month, day, hour, minute, second;
};
void rtc_init(void);
void rtc_read(struct rtc_time *t);
bool rtc_is_bcd(void);
bool rtc_is_24h(void);
extern volatile u32 rtc_updates;	/* update-ended interrupts seen: one per RTC second */

/* paging.c: 32-bit paging with 4 KiB pages, built at run time. */
#define HIGH_ALIAS 0xc0000000u	/* the first 4 MiB appear here too */
void paging_init(u32 ram_bytes);
/* The physical address virt maps to, walking the tables in software; false if unmapped. */
bool paging_translate(u32 virt, u32 *phys);
extern u32 paging_mapped_bytes, paging_table_count;

/* poweroff.c: how the OS ends. */
__noreturn void poweroff(u32 code);
bool vireo_present(void);

/* shell.c: the menu. */
__noreturn void shell_main(void);

#endif
