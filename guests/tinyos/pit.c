// SPDX-License-Identifier: MIT
/*
 * The 8254 programmable interval timer (Intel 8254 datasheet). Its input clock runs at
 * 1.193182 MHz, a third of the original PC's 3.579545 MHz colour-burst crystal; channel 0
 * counts it down from a divisor we choose and pulses IRQ0 each time it wraps, so the rate is
 * 1193182 / divisor interrupts a second. Channel 2 drives the speaker through port 0x61 and
 * channel 1 once refreshed DRAM; we use neither.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define PIT_CHANNEL0 0x40
#define PIT_MODE 0x43
/*
 * The mode byte (datasheet, "Control Word Format"): bits 7-6 select the channel (0), bits
 * 5-4 the access (3: low byte then high byte), bits 3-1 the mode (2: rate generator, one
 * short pulse per period, made for a periodic interrupt), bit 0 binary counting.
 */
#define PIT_CH0_LOHI_RATE 0x34

volatile u32 pit_ticks;
u32 pit_hz;
u32 pit_divisor;

static void pit_tick(void)
{
	pit_ticks++;
}

void pit_init(u32 hz)
{
	if (hz < PIT_HZ_MIN)
		hz = PIT_HZ_MIN;
	if (hz > PIT_HZ_MAX)
		hz = PIT_HZ_MAX;
	pit_divisor = (PIT_INPUT_HZ + hz / 2) / hz;	/* rounded: 11932 for 100 Hz */
	pit_hz = hz;
	outb(PIT_MODE, PIT_CH0_LOHI_RATE);
	/* Writing the second byte of the divisor starts the count. */
	outb(PIT_CHANNEL0, (u8)pit_divisor);
	outb(PIT_CHANNEL0, (u8)(pit_divisor >> 8));
	pic_enable(IRQ_PIT, pit_tick);
}

void pit_sleep(u32 n)
{
	u32 start = pit_ticks;

	cli();
	while (pit_ticks - start < n)	/* unsigned difference: right across a wrap too */
		cpu_sleep();
	sti();
}
