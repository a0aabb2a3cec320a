/* SPDX-License-Identifier: MIT */
/*
 * The MC146818A real-time clock and its CMOS memory at ports 0x70 (index; bit 7 masks NMI)
 * and 0x71 (data). Its time is a host epoch given at init advanced by the guest's clock; its
 * interrupts (periodic, alarm, update-ended) go to IRQ8. Like the PIT it never ticks: the
 * glue asks when the next interrupt is due and calls vrtc_update then. Pure.
 */
#ifndef VIREO_VMM_DEV_VRTC_H
#define VIREO_VMM_DEV_VRTC_H

#include "vmm/pio.h"
#include "vmm/dev/irq_line.h"
#include "kernel/calendar.h"

#define VRTC_INDEX_PORT	0x70
#define VRTC_DATA_PORT	0x71
#define VRTC_PORTS	2
#define VRTC_IRQ	8
#define VRTC_CMOS_SIZE	128

/* Register and CMOS indexes (Motorola MC146818A datasheet, figure 3; IBM PC CMOS map). */
#define VRTC_SECONDS		0x00
#define VRTC_SECONDS_ALARM	0x01
#define VRTC_MINUTES		0x02
#define VRTC_MINUTES_ALARM	0x03
#define VRTC_HOURS		0x04
#define VRTC_HOURS_ALARM	0x05
#define VRTC_WEEKDAY		0x06
#define VRTC_DAY		0x07
#define VRTC_MONTH		0x08
#define VRTC_YEAR		0x09
#define VRTC_REG_A		0x0a
#define VRTC_REG_B		0x0b
#define VRTC_REG_C		0x0c
#define VRTC_REG_D		0x0d
#define VRTC_SHUTDOWN_STATUS	0x0f
#define VRTC_EQUIPMENT		0x14
#define VRTC_BASE_MEM_KIB	0x15	/* 16 bits, low byte first, as all sizes below */
#define VRTC_EXT_MEM_KIB	0x17	/* KiB above 1 MiB, at most 0xFFFF */
#define VRTC_EXT_MEM_KIB_COPY	0x30
#define VRTC_CENTURY		0x32
#define VRTC_MEM_ABOVE_16M	0x34	/* 64 KiB units, below the device hole */
#define VRTC_MEM_ABOVE_4G	0x5b	/* 64 KiB units, 24 bits (SeaBIOS and QEMU) */

#define VRTC_A_UIP		0x80	/* update in progress */
#define VRTC_A_DIVIDER		0x70
#define VRTC_A_DIVIDER_32K	0x20	/* the 32.768 kHz time base: the clock runs */
#define VRTC_A_RATE		0x0f

#define VRTC_B_SET		0x80
#define VRTC_B_PIE		0x40
#define VRTC_B_AIE		0x20
#define VRTC_B_UIE		0x10
#define VRTC_B_SQWE		0x08
#define VRTC_B_BINARY		0x04
#define VRTC_B_24H		0x02
#define VRTC_B_DSE		0x01

#define VRTC_C_IRQF		0x80
#define VRTC_C_PF		0x40
#define VRTC_C_AF		0x20
#define VRTC_C_UF		0x10

#define VRTC_D_VRT		0x80	/* the battery is good */

#define VRTC_HOUR_PM		0x80	/* in 12-hour mode */

struct vrtc {
	struct irq_line irq;
	struct dev_clock clock;
	u8 cmos[VRTC_CMOS_SIZE];	/* the bytes the guest stores: registers, alarms, RAM */
	u8 index;
	bool nmi_masked;		/* port 0x70 bit 7, as last written */
	u64 origin_ns;			/* when the divider chain started: updates fall a whole
					 * number of seconds after it */
	u64 seconds_at_origin;		/* the time then, in seconds since 1970 */
	u64 processed_ns;		/* register C holds every event up to this time */
	struct calendar_time held;	/* the time while updates are stopped (SET, divider) */
	bool irq_high;
};

/*
 * Start the clock at epoch_seconds (seconds since 1970 UTC) at the clock's present time, in
 * 24-hour BCD with the 1024 Hz periodic rate and no interrupt enabled, and fill the PC's
 * memory size bytes for ram_bytes of guest RAM (the part past the device hole lies above
 * 4 GiB). The glue registers [VRTC_INDEX_PORT, +VRTC_PORTS) with &vrtc_ops.
 */
void vrtc_init(struct vrtc *r, const struct irq_line *irq, const struct dev_clock *clock,
	       u64 epoch_seconds, u64 ram_bytes);

/*
 * When, on the device's clock, the next event that raises IRQ8 falls (0: none is due). It
 * changes with every guest access to the device and every vrtc_update: the glue re-arms its
 * host timer after each. With IRQ8 already high (register C not read yet) it is 0.
 */
u64 vrtc_next_irq_ns(const struct vrtc *r);

/* Bring register C and IRQ8 up to the present: the glue's host timer calls it when due. */
void vrtc_update(struct vrtc *r);

/* The device is a struct vrtc. */
extern const struct pio_ops vrtc_ops;

#endif
