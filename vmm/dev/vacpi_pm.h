/* SPDX-License-Identifier: MIT */
/*
 * The ACPI fixed hardware the FADT names (ACPI 6.5, 4.8): the PM1a event block (status and
 * enable), the PM1a control block (SCI_EN, and SLP_TYP/SLP_EN, which power the VM off when
 * they ask for S5) and the 24-bit PM timer at 3.579545 MHz. Pure.
 */
#ifndef VIREO_VMM_DEV_VACPI_PM_H
#define VIREO_VMM_DEV_VACPI_PM_H

#include "kernel/types.h"
#include "vmm/dev/irq_line.h"
#include "vmm/pio.h"

/* The block's layout from its base port: PM1_STS, PM1_EN, PM1_CNT, 2 reserved, PM_TMR. */
#define VACPI_PM_STS 0
#define VACPI_PM_EN 2
#define VACPI_PM_CNT 4
#define VACPI_PM_TMR 8
#define VACPI_PM_PORTS 12

#define VACPI_PM_TIMER_HZ 3579545ULL
#define VACPI_PM_CNT_SCI_EN BIT(0)
#define VACPI_PM_CNT_SLP_TYP_SHIFT 10
#define VACPI_PM_CNT_SLP_EN BIT(13)

/* What the model is told to do when the guest enters the sleep state it gives. */
struct vacpi_pm_sleep {
	void (*enter)(void *ctx, u8 slp_typ);
	void *ctx;
};

struct vacpi_pm {
	u16 base;		/* the block's first port */
	u16 status, enable, control;
	struct dev_clock clock;
	struct vacpi_pm_sleep sleep;
};

/*
 * A block at base ports, its timer read from clock, sleep told of every SLP_EN write with the
 * SLP_TYP written beside it. SCI_EN is set: the VM is in ACPI mode from the start (the FADT's
 * SMI_CMD is 0).
 */
void vacpi_pm_init(struct vacpi_pm *pm, u16 base, const struct dev_clock *clock,
		   const struct vacpi_pm_sleep *sleep);

/* The PM timer's value now: 24 bits of ticks of VACPI_PM_TIMER_HZ since the clock's 0. */
u32 vacpi_pm_timer(const struct vacpi_pm *pm);

/*
 * The device is a struct vacpi_pm at base, VACPI_PM_PORTS ports, any access size: status bits
 * are cleared by writing 1, enable is read-write, SLP_EN reads as 0, the timer and the
 * reserved bytes ignore writes.
 */
extern const struct pio_ops vacpi_pm_ops;

#endif
