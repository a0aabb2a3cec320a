// SPDX-License-Identifier: MIT
/*
 * tinyos starts here, called by boot.asm with a stack and nothing else. The order matters:
 * our own segments before any gate can name them, every gate before an interrupt can come,
 * the PIC moved off the exception vectors before any IRQ is unmasked, each device programmed
 * before its IRQ is, and interrupts on (in the shell) only when all of it is done.
 */
#include "guests/tinyos/tinyos.h"

#define DEFAULT_HZ 100
#define DEFAULT_RAM (4u << 20)	/* if the loader gave no memory size */

static void show_paging(void)
{
	static volatile u32 probe;
	volatile u32 *alias = (volatile u32 *)(HIGH_ALIAS + (u32)&probe);
	u32 phys = 0;

	paging_translate((u32)alias, &phys);
	*alias = 0x600d;	/* written through one name, read through the other */
	console_printf("paging: on, %u MiB identity-mapped with 4 KiB pages (%u page tables), "
		       "page 0 unmapped\n", paging_mapped_bytes >> 20, paging_table_count);
	console_printf("paging: 0x%08x -> physical 0x%08x (walked by hand); written there, "
		       "read at 0x%08x: %s\n", (u32)alias, phys, (u32)&probe,
		       phys == (u32)&probe && probe == 0x600d ? "the same" : "DIFFERENT");
}

void kmain(u32 magic, u32 info_address);	/* boot.asm calls it */

void kmain(u32 magic, u32 info_address)
{
	u32 ram_bytes;
	bool keyboard;

	multiboot_read(magic, info_address);	/* first, while its memory is surely ours */
	gdt_init();
	idt_init();
	pic_init();
	uart_init();
	vga_init();
	console_write("\ntinyos: a teaching OS for the PC, booted by Multiboot in 32-bit "
		      "protected mode\n");
	if (boot_facts.have_memory)
		console_printf("memory: %u KiB below 640 KiB, %u KiB above 1 MiB (mem_upper)\n",
			       boot_facts.mem_lower_kib, boot_facts.mem_upper_kib);
	else
		console_printf("memory: the loader gave no size (magic 0x%08x); assuming 4 MiB\n",
			       magic);
	console_printf("command line: '%s'\n", boot_facts.cmdline);
	ram_bytes = boot_facts.have_memory ? (1u << 20) + (boot_facts.mem_upper_kib << 10)
					   : DEFAULT_RAM;
	paging_init(ram_bytes);
	show_paging();
	pit_init(cmdline_number("hz", DEFAULT_HZ));
	console_printf("timer: PIT channel 0 at %u Hz (divisor %u: %u.%02u Hz in fact), IRQ 0\n",
		       pit_hz, pit_divisor, PIT_INPUT_HZ / pit_divisor,
		       PIT_INPUT_HZ * 100 / pit_divisor % 100);
	keyboard = kbd_init();
	console_printf("keyboard: %s\n", keyboard ? "8042, scancode set 1, IRQ 1"
					     : "no 8042 controller answered");
	console_write("serial: COM1 16550A at 115200 8N1, receiving on IRQ 4\n");
	rtc_init();
	console_printf("clock: MC146818 RTC, %s, %s, update interrupt on IRQ 8\n",
		       rtc_is_bcd() ? "BCD" : "binary", rtc_is_24h() ? "24-hour" : "12-hour");
	if (vireo_present())
		console_write("hypervisor: Vireo (CPUID 0x40000000)\n");
	shell_main();
}
