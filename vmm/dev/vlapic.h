/* SPDX-License-Identifier: MIT */
/*
 * A local APIC (SDM Vol. 3A chapter 11): one per vCPU, in xAPIC mode (registers by their MMIO
 * offset) or x2APIC mode (MSR 0x800 + offset / 16), with the IA32_APIC_BASE MSR that moves,
 * disables and switches it. Pure: time is passed in as TSC values, never read; what leaves the
 * APIC (an IPI, an EOI for a level-triggered vector) goes through hooks the caller sets, and
 * the caller injects what vlapic_pending_vector() says.
 */
#ifndef VIREO_VMM_DEV_VLAPIC_H
#define VIREO_VMM_DEV_VLAPIC_H

#include "kernel/types.h"

#define VLAPIC_DEFAULT_BASE 0xfee00000ULL
#define VLAPIC_WINDOW_SIZE 0x1000
#define VLAPIC_X2APIC_MSR_FIRST 0x800
#define VLAPIC_X2APIC_MSR_LAST 0x8ff
/* A 0x14-style integrated APIC with 6 LVT entries (max LVT index 5 in bits 23:16). */
#define VLAPIC_VERSION (0x14u | (5u << 16))

/* Register offsets in the xAPIC window (SDM Vol. 3A table 11-1). */
enum vlapic_reg {
	VLAPIC_ID = 0x020, VLAPIC_VER = 0x030, VLAPIC_TPR = 0x080, VLAPIC_APR = 0x090,
	VLAPIC_PPR = 0x0a0, VLAPIC_EOI = 0x0b0, VLAPIC_RRD = 0x0c0, VLAPIC_LDR = 0x0d0,
	VLAPIC_DFR = 0x0e0, VLAPIC_SVR = 0x0f0, VLAPIC_ISR = 0x100, VLAPIC_TMR = 0x180,
	VLAPIC_IRR = 0x200, VLAPIC_ESR = 0x280, VLAPIC_LVT_CMCI = 0x2f0, VLAPIC_ICR_LO = 0x300,
	VLAPIC_ICR_HI = 0x310, VLAPIC_LVT_TIMER = 0x320, VLAPIC_LVT_THERMAL = 0x330,
	VLAPIC_LVT_PERF = 0x340, VLAPIC_LVT_LINT0 = 0x350, VLAPIC_LVT_LINT1 = 0x360,
	VLAPIC_LVT_ERROR = 0x370, VLAPIC_TIMER_INITIAL = 0x380, VLAPIC_TIMER_CURRENT = 0x390,
	VLAPIC_TIMER_DIVIDE = 0x3e0, VLAPIC_SELF_IPI = 0x3f0,	/* x2APIC only */
};

/* The LVT entries this APIC has, in the order of their registers' use here. */
enum vlapic_lvt { LVT_TIMER, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_THERMAL, LVT_PERF, LVT_COUNT };

#define VLAPIC_LVT_MASKED BIT(16)
#define VLAPIC_SVR_ENABLE BIT(8)
#define VLAPIC_TIMER_PERIODIC (1u << 17)
#define VLAPIC_TIMER_TSC_DEADLINE (2u << 17)

/* ICR and LVT delivery modes (bits 10:8). */
enum vlapic_delivery {
	VLAPIC_DM_FIXED = 0, VLAPIC_DM_LOWEST = 1, VLAPIC_DM_SMI = 2, VLAPIC_DM_NMI = 4,
	VLAPIC_DM_INIT = 5, VLAPIC_DM_SIPI = 6, VLAPIC_DM_EXTINT = 7,
};

/* ICR destination shorthands (bits 19:18). */
enum vlapic_shorthand {
	VLAPIC_DEST_FIELD = 0, VLAPIC_DEST_SELF = 1, VLAPIC_DEST_ALL = 2, VLAPIC_DEST_OTHERS = 3,
};

/* Error status bits (ESR). */
#define VLAPIC_ESR_SEND_ILLEGAL_VECTOR BIT(5)
#define VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR BIT(6)
#define VLAPIC_ESR_ILLEGAL_REGISTER BIT(7)

/* An interprocessor interrupt the guest sent by writing the ICR. */
struct vlapic_ipi {
	u8 vector;
	u8 mode;		/* enum vlapic_delivery */
	u8 shorthand;		/* enum vlapic_shorthand */
	bool logical;		/* dest is a logical destination (LDR/DFR), else an APIC ID */
	bool level_assert;	/* the ICR's level bit: INIT with it clear is a de-assert */
	bool level_triggered;
	u32 dest;		/* xAPIC: the 8-bit field; x2APIC: 32 bits */
	u32 source;		/* the sender's APIC ID */
};

struct vlapic_hooks {
	/* The guest wrote the ICR (or the x2APIC self-IPI register): deliver ipi. */
	void (*send_ipi)(void *ctx, const struct vlapic_ipi *ipi);
	/* EOI of a level-triggered vector: the I/O APIC clears its remote IRR. May be NULL. */
	void (*eoi_level)(void *ctx, u8 vector);
	void *ctx;
};

struct vlapic {
	struct vlapic_hooks hooks;
	u64 tsc_per_tick;	/* TSC ticks per timer input clock (the "bus" clock) */
	u64 base;		/* IA32_APIC_BASE: address, EN, EXTD, BSP */
	u32 id;			/* the APIC ID (the vCPU's index) */
	u32 tpr, ldr, dfr, svr, esr, esr_pending, icr_lo, icr_hi;
	u32 lvt[LVT_COUNT];
	u32 isr[8], tmr[8], irr[8];	/* vector v is bit v % 32 of word v / 32 */
	u32 timer_initial, timer_divide;
	u64 timer_start;	/* TSC at which the current count started from timer_initial */
	bool timer_running;	/* one-shot or periodic counting, not yet expired (one-shot) */
	u64 tsc_deadline;	/* IA32_TSC_DEADLINE, 0: disarmed */
	u64 timer_fired, timer_missed;	/* timer interrupts accepted; periods folded into one */
};

/*
 * Power-on (and INIT) state: APIC ID id, base at 0xFEE00000, enabled, xAPIC mode, BSP flag as
 * asked; software-disabled with every LVT masked except, on the BSP, LINT0 in ExtINT mode and
 * LINT1 as NMI: the virtual-wire setup a PC's firmware leaves, so the 8259's INTR reaches
 * the BSP. tsc_per_tick (at least 1) sets the timer's input clock.
 */
void vlapic_init(struct vlapic *l, u32 id, bool bsp, u64 tsc_per_tick,
		 const struct vlapic_hooks *hooks);

/* IA32_APIC_BASE as RDMSR gives it. */
static inline u64 vlapic_apic_base(const struct vlapic *l)
{
	return l->base;
}

/*
 * WRMSR IA32_APIC_BASE. False (#GP) for reserved bits, x2APIC without the enable bit, or a
 * switch from x2APIC to xAPIC without disabling first (SDM Vol. 3A 11.12.5); the BSP flag is
 * read-only. Disabling resets the APIC's registers (the ID stays).
 */
bool vlapic_set_apic_base(struct vlapic *l, u64 value, u64 max_phys_addr_mask);

/* The APIC is enabled in IA32_APIC_BASE, in xAPIC mode: its window is at vlapic_window(). */
static inline bool vlapic_xapic_mode(const struct vlapic *l)
{
	return (l->base & BIT(11)) && !(l->base & BIT(10));
}

static inline bool vlapic_x2apic_mode(const struct vlapic *l)
{
	return (l->base & BIT(11)) && (l->base & BIT(10));
}

static inline u64 vlapic_window(const struct vlapic *l)
{
	return l->base & 0x000ffffffffff000ULL;
}

/*
 * An xAPIC access at offset in the window (aligned 32-bit registers), at TSC now. Reads of
 * reserved or write-only registers give 0, writes to read-only ones are ignored; an offset
 * that names no register sets the illegal-register error. Accesses not on a 16-byte boundary
 * read 0 and write nothing.
 */
u32 vlapic_mmio_read(struct vlapic *l, u32 offset, u64 now);
void vlapic_mmio_write(struct vlapic *l, u32 offset, u32 value, u64 now);

/*
 * An x2APIC MSR access (0x800-0x8FF) at TSC now: false when the MSR raises #GP (not in x2APIC
 * mode, no such register, a read of a write-only one, a write to a read-only one or a
 * reserved bit set; SDM Vol. 3A 11.12.1).
 */
bool vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *value);
bool vlapic_msr_write(struct vlapic *l, u32 msr, u64 value, u64 now);

/* IA32_TSC_DEADLINE (SDM Vol. 3A 11.5.4.1): writes count only in TSC-deadline mode. */
u64 vlapic_tsc_deadline(const struct vlapic *l);
void vlapic_set_tsc_deadline(struct vlapic *l, u64 deadline, u64 now);

/*
 * An interrupt arrives at the APIC: vector into IRR (and TMR when level-triggered). A vector
 * below 16 is refused with the receive-illegal-vector error; a software-disabled APIC drops
 * fixed interrupts (11.4.7.2). Returns whether it was accepted.
 */
bool vlapic_accept(struct vlapic *l, u8 vector, bool level);

/*
 * CR8 is the TPR's priority class (SDM Vol. 3A 11.8.6.5): it reads TPR[7:4]; a MOV to CR8
 * sets TPR[7:4] and clears TPR[3:0].
 */
static inline u8 vlapic_cr8(const struct vlapic *l)
{
	return (u8)(l->tpr >> 4);
}

static inline void vlapic_set_cr8(struct vlapic *l, u8 cr8)
{
	l->tpr = (u32)(cr8 & 0xf) << 4;
}

/* The processor priority (PPR) and the arbitration priority (APR) now. */
u8 vlapic_ppr(const struct vlapic *l);

/* The highest vector in IRR whose priority class is above the PPR's, or -1. */
int vlapic_pending_vector(const struct vlapic *l);

/* The CPU takes vector (vlapic_pending_vector()'s): from IRR into ISR. */
void vlapic_ack(struct vlapic *l, u8 vector);

/*
 * Whether the 8259's INTR reaches this CPU: the APIC is disabled in IA32_APIC_BASE (the pin
 * goes straight to the core) or LINT0 is unmasked in ExtINT mode.
 */
bool vlapic_accepts_extint(const struct vlapic *l);

/*
 * Whether dest (of an IPI with this logical flag) names this APIC: an ID, or a logical
 * destination in flat or cluster model (x2APIC: cluster in bits 31:16). Broadcast IDs match.
 */
bool vlapic_matches(const struct vlapic *l, u32 dest, bool logical);

/* Bring the timer to now: an expiry that passed puts its vector into IRR (once). */
void vlapic_update(struct vlapic *l, u64 now);

/* The TSC value of the timer's next expiry, or 0 when none is due. */
u64 vlapic_next_expiry(const struct vlapic *l);

#endif
