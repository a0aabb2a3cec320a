// SPDX-License-Identifier: MIT
/*
 * The shell: a menu of small programs, one key each. Between keys the CPU sleeps in HLT
 * (console_getc), so an idle tinyos costs nothing; each program runs with interrupts on,
 * the timer and the clock counting underneath it.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define TIMER_CHECK_SECONDS 3

/* 2 x 1 to 9 x 9 in two blocks of four columns, so that a line fits the 80-column screen. */
static void multiplication(void)
{
	for (u32 first = 2; first <= 6; first += 4) {
		for (u32 b = 1; b <= 9; b++)
			for (u32 a = first; a < first + 4; a++)
				console_printf("%u x %u = %2u%s", a, b, a * b,
					       a < first + 3 ? "    " : "\n");
		if (first == 2)
			console_write("\n");
	}
}

static void counter(void)
{
	u32 step = MAX(pit_hz / 10, 1u);	/* 100 ms in ticks */
	u32 start = pit_ticks;

	console_write("counting:");
	for (u32 i = 0; i <= 9; i++) {
		if (i > 0)
			pit_sleep(step);
		console_printf(" %u", i);
	}
	console_printf("\n(%u ticks apart; %u ticks in all)\n", step, pit_ticks - start);
}

static void echo(void)
{
	char line[80];

	console_write("echo: type lines; an empty line ends\n");
	for (;;) {
		console_write("> ");
		if (!console_readline(line, sizeof(line)))
			return;
		console_printf("echo: %s\n", line);
	}
}

static void uptime(void)
{
	u32 ticks = pit_ticks;

	console_printf("uptime: %u ticks at %u Hz = %u.%02u s\n", ticks, pit_hz, ticks / pit_hz,
		       ticks % pit_hz * 100 / pit_hz);
}

static void date(void)
{
	struct rtc_time t;

	rtc_read(&t);
	console_printf("date: %04u-%02u-%02u %02u:%02u:%02u\n", t.year, t.month, t.day, t.hour,
		       t.minute, t.second);
}

static void about(void)
{
	console_write(
		"tinyos is a teaching OS, a Multiboot kernel for a PC or a virtual one (Vireo).\n"
		"It runs in 32-bit protected mode with paging, and uses:\n"
		"  the 8259A interrupt controllers (IRQs at vectors 0x20-0x2F),\n"
		"  the 8254 timer (channel 0, IRQ 0), the 8042 keyboard (IRQ 1),\n"
		"  the 16550A serial port COM1 (IRQ 4), the MC146818 clock (IRQ 8),\n"
		"  and the VGA text screen. Read it in guests/tinyos/ (README.md first).\n");
}

/* Sleep until the RTC's update count reaches target, but give up after timeout ticks. */
static bool wait_rtc(u32 target, u32 timeout)
{
	u32 start = pit_ticks;
	bool reached;

	cli();
	while (rtc_updates != target && pit_ticks - start < timeout)
		cpu_sleep();
	reached = rtc_updates == target;
	sti();
	return reached;
}

/*
 * Two clocks against each other: the PIT's ticks, counted over whole RTC seconds. Start at an
 * update interrupt, the very beginning of an RTC second, and stop at another, so that no
 * partial second blurs the count.
 */
static void timer_check(void)
{
	u32 first, ticks;

	console_printf("timer check: counting PIT ticks over %u RTC seconds\n",
		       TIMER_CHECK_SECONDS);
	first = rtc_updates + 1;
	if (!wait_rtc(first, 2 * pit_hz)) {
		console_write("timer check: no RTC update interrupt (IRQ 8) in 2 s\n");
		return;
	}
	ticks = pit_ticks;
	if (!wait_rtc(first + TIMER_CHECK_SECONDS, (TIMER_CHECK_SECONDS + 1) * pit_hz)) {
		console_write("timer check: the RTC stopped interrupting\n");
		return;
	}
	ticks = pit_ticks - ticks;
	console_printf("ticks per second: %u (programmed %u Hz; %u ticks in %u s)\n",
		       (ticks + TIMER_CHECK_SECONDS / 2) / TIMER_CHECK_SECONDS, pit_hz, ticks,
		       TIMER_CHECK_SECONDS);
}

/* Read linear address 0: page 0 is not mapped (paging.c), so this raises #PF, and idt.c
 * reports it and brings us back to the menu. In assembly, because in C reading through a
 * NULL pointer is undefined, and the compiler may do anything with it. */
static void page_fault(void)
{
	u32 value;

	__asm__ volatile("mov 0, %0" : "=r"(value));
	console_printf("read 0x%x from address 0: paging is not doing its job\n", value);
}

static const struct program {
	char key;
	const char *title;
	void (*run)(void);
} programs[] = {
	{ '1', "multiplication table (2x1 ~ 9x9)", multiplication },
	{ '2', "counter (0-9, every 100 ms)", counter },
	{ '3', "echo (until an empty line)", echo },
	{ '4', "uptime", uptime },
	{ '5', "date (from the RTC)", date },
	{ '6', "about tinyos", about },
	{ '7', "timer check (PIT ticks per RTC second)", timer_check },
	{ '8', "page fault (read address 0)", page_fault },
};

static void menu(void)
{
	console_write("\n=== tinyos menu ===\n");
	for (u32 i = 0; i < ARRAY_SIZE(programs); i++)
		console_printf("  %c. %s\n", programs[i].key, programs[i].title);
	console_write("  0. exit\nselect: ");
}

__noreturn void shell_main(void)
{
	shell_started = true;
	sti();			/* from here on the devices' interrupts come in */
	for (;;) {
		char key;
		u32 i;

		menu();
		do
			key = console_getc();
		while (key == '\n' || key == ' ');
		console_printf("%c\n", key);
		if (key == '0') {
			console_write("bye\n");
			poweroff(0);
		}
		for (i = 0; i < ARRAY_SIZE(programs) && programs[i].key != key; i++)
			;
		if (i < ARRAY_SIZE(programs))
			programs[i].run();
		else
			console_printf("no program '%c'\n", key);
	}
}
