/* SPDX-License-Identifier: MIT */
/* The ACPI PM1a blocks and PM timer (ACPI 6.5, 4.8.3). Pure. */
#include "vmm/dev/vacpi_pm.h"

#define NSEC_PER_SEC 1000000000ULL
#define TIMER_MASK 0xffffffu
#define SLP_TYP_MASK 7u

void vacpi_pm_init(struct vacpi_pm *pm, u16 base, const struct dev_clock *clock,
		   const struct vacpi_pm_sleep *sleep)
{
	*pm = (struct vacpi_pm){ .base = base, .control = VACPI_PM_CNT_SCI_EN, .clock = *clock,
				 .sleep = *sleep };
}

u32 vacpi_pm_timer(const struct vacpi_pm *pm)
{
	u64 ns = pm->clock.now_ns(pm->clock.ctx);
	/* Whole seconds and the rest apart, so that the product cannot overflow. */
	u64 ticks = ns / NSEC_PER_SEC * VACPI_PM_TIMER_HZ +
		    ns % NSEC_PER_SEC * VACPI_PM_TIMER_HZ / NSEC_PER_SEC;

	return (u32)ticks & TIMER_MASK;
}

/* The byte at offset of the block as it reads; timer is the timer's value for this access. */
static u8 read_byte(const struct vacpi_pm *pm, u32 offset, u32 timer)
{
	u32 shift = 8 * (offset & 1);

	switch (offset & ~1u) {
	case VACPI_PM_STS:
		return (u8)(pm->status >> shift);
	case VACPI_PM_EN:
		return (u8)(pm->enable >> shift);
	case VACPI_PM_CNT:
		return (u8)((pm->control & ~VACPI_PM_CNT_SLP_EN) >> shift);
	case VACPI_PM_TMR:
	case VACPI_PM_TMR + 2:
		return (u8)(timer >> (8 * (offset - VACPI_PM_TMR)));
	default:
		return 0;	/* reserved */
	}
}

static void write_byte(struct vacpi_pm *pm, u32 offset, u8 value)
{
	u32 shift = 8 * (offset & 1);
	u16 mask = (u16)(0xff << shift), v = (u16)(value << shift);

	switch (offset & ~1u) {
	case VACPI_PM_STS:
		pm->status &= (u16)~v;	/* write 1 to clear (4.8.3.1) */
		break;
	case VACPI_PM_EN:
		pm->enable = (u16)((pm->enable & ~mask) | v);
		break;
	case VACPI_PM_CNT:
		/* SCI_EN is the hardware's to set: it stays in ACPI mode (4.8.3.2.1). */
		pm->control = (u16)(((pm->control & ~mask) | v) | VACPI_PM_CNT_SCI_EN);
		if ((offset & 1) && (pm->control & VACPI_PM_CNT_SLP_EN)) {
			pm->control &= (u16)~VACPI_PM_CNT_SLP_EN;
			if (pm->sleep.enter)
				pm->sleep.enter(pm->sleep.ctx, (u8)(pm->control >>
					VACPI_PM_CNT_SLP_TYP_SHIFT & SLP_TYP_MASK));
		}
		break;
	default:
		break;	/* the timer is read-only; reserved bytes */
	}
}

static u32 vacpi_pm_read(void *dev, u16 port, u8 size)
{
	const struct vacpi_pm *pm = dev;
	u32 offset = (u16)(port - pm->base), value = 0;
	u32 timer = offset + size > VACPI_PM_TMR ? vacpi_pm_timer(pm) : 0;

	for (u32 i = 0; i < size && offset + i < VACPI_PM_PORTS; i++)
		value |= (u32)read_byte(pm, offset + i, timer) << (8 * i);
	return value;
}

static void vacpi_pm_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vacpi_pm *pm = dev;
	u32 offset = (u16)(port - pm->base);

	/* A byte at a time: SLP_TYP and SLP_EN share PM1_CNT's high byte, so act together. */
	for (u32 i = 0; i < size && offset + i < VACPI_PM_PORTS; i++)
		write_byte(pm, offset + i, (u8)(value >> (8 * i)));
}

const struct pio_ops vacpi_pm_ops = {
	.read = vacpi_pm_read,
	.write = vacpi_pm_write,
};
