/* SPDX-License-Identifier: MIT */
/* 8254 PIT channel 2 as a stopwatch: gate it on, wait for its output to rise, count. */
#include "drivers/pit.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"

#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PORT_B 0x61		/* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output */
#define PIT_CH2_MODE0_LOHI 0xb0	/* channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count) */

u64 pit_measure(u32 ms, void (*sample)(void *ctx, bool end), void *ctx)
{
	u64 ticks = PIT_HZ * MIN(ms, 50u) / 1000;
	u8 portb = inb(PORT_B);

	/* Gate off and speaker off while programming; mode 0 output stays low until terminal count. */
	outb(PORT_B, (portb & ~0x03) | 0x00);
	outb(PIT_COMMAND, PIT_CH2_MODE0_LOHI);
	outb(PIT_CH2_DATA, ticks & 0xff);
	outb(PIT_CH2_DATA, (ticks >> 8) & 0xff);
	outb(PORT_B, (portb & ~0x02) | 0x01);
	sample(ctx, false);
	while (!(inb(PORT_B) & 0x20))
		cpu_relax();
	sample(ctx, true);
	outb(PORT_B, portb);
	return ticks;
}

static void tsc_sample(void *ctx, bool end)
{
	u64 *tsc = ctx;

	tsc[end] = rdtsc();
}

u64 pit_calibrate_tsc(u32 ms)
{
	u64 tsc[2];
	u64 ticks = pit_measure(ms, tsc_sample, tsc);

	return (tsc[1] - tsc[0]) * PIT_HZ / ticks;
}
