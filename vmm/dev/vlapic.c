/* SPDX-License-Identifier: MIT */
/* The local APIC model: registers, priorities, interrupt acceptance, EOI, timer, ICR. Pure. */
#include "vmm/dev/vlapic.h"

#define BASE_BSP BIT(8)
#define BASE_EXTD BIT(10)
#define BASE_EN BIT(11)
#define BASE_ADDRESS 0x000ffffffffff000ULL

#define ICR_LOGICAL BIT(11)
#define ICR_DELIVERY_STATUS BIT(12)
#define ICR_LEVEL BIT(14)
#define ICR_TRIGGER_LEVEL BIT(15)
#define ICR_LO_WRITABLE 0x000ccfffu	/* vector, mode, dest mode, level, trigger, shorthand */

#define TIMER_MODE_MASK (3u << 17)

/* The LVT registers in enum vlapic_lvt order, and the bits each lets software write. */
static const u32 lvt_offset[LVT_COUNT] = {
	[LVT_TIMER] = VLAPIC_LVT_TIMER, [LVT_LINT0] = VLAPIC_LVT_LINT0,
	[LVT_LINT1] = VLAPIC_LVT_LINT1, [LVT_ERROR] = VLAPIC_LVT_ERROR,
	[LVT_THERMAL] = VLAPIC_LVT_THERMAL, [LVT_PERF] = VLAPIC_LVT_PERF,
};
static const u32 lvt_writable[LVT_COUNT] = {
	[LVT_TIMER] = 0x000700ff,	/* vector, mask, timer mode */
	[LVT_LINT0] = 0x0001a7ff,	/* vector, mode, polarity, trigger, mask */
	[LVT_LINT1] = 0x0001a7ff,
	[LVT_ERROR] = 0x000100ff,
	[LVT_THERMAL] = 0x000107ff,
	[LVT_PERF] = 0x000107ff,
};

static bool test_vec(const u32 *set, u8 v)
{
	return set[v / 32] & BIT(v % 32);
}

static void set_vec(u32 *set, u8 v)
{
	set[v / 32] |= (u32)BIT(v % 32);
}

static void clear_vec(u32 *set, u8 v)
{
	set[v / 32] &= ~(u32)BIT(v % 32);
}

/* The highest vector in a 256-bit register, or -1. */
static int highest(const u32 *set)
{
	for (int i = 7; i >= 0; i--)
		if (set[i])
			return i * 32 + 31 - __builtin_clz(set[i]);
	return -1;
}

static bool sw_enabled(const struct vlapic *l)
{
	return l->svr & VLAPIC_SVR_ENABLE;
}

/* The registers as after RESET, but for the ID and IA32_APIC_BASE (SDM Vol. 3A 11.4.7.1). */
static void reset_registers(struct vlapic *l)
{
	bool bsp = l->base & BASE_BSP;

	l->tpr = l->ldr = l->esr = l->esr_pending = l->icr_lo = l->icr_hi = 0;
	l->dfr = 0xffffffff;
	l->svr = 0xff;
	for (int i = 0; i < LVT_COUNT; i++)
		l->lvt[i] = VLAPIC_LVT_MASKED;
	if (bsp) {
		/* What firmware leaves on a PC: virtual-wire mode through LINT0 (MP spec 3.6.2.2). */
		l->lvt[LVT_LINT0] = VLAPIC_DM_EXTINT << 8;
		l->lvt[LVT_LINT1] = VLAPIC_DM_NMI << 8;
	}
	for (int i = 0; i < 8; i++)
		l->isr[i] = l->tmr[i] = l->irr[i] = 0;
	l->timer_initial = l->timer_divide = 0;
	l->timer_running = false;
	l->tsc_deadline = 0;
}

void vlapic_init(struct vlapic *l, u32 id, bool bsp, u64 tsc_per_tick,
		 const struct vlapic_hooks *hooks)
{
	*l = (struct vlapic){ .hooks = *hooks, .tsc_per_tick = tsc_per_tick ? tsc_per_tick : 1,
			      .id = id,
			      .base = VLAPIC_DEFAULT_BASE | BASE_EN | (bsp ? BASE_BSP : 0) };
	reset_registers(l);
}

bool vlapic_set_apic_base(struct vlapic *l, u64 value, u64 max_phys_addr_mask)
{
	u64 reserved = ~((max_phys_addr_mask & BASE_ADDRESS) | BASE_EN | BASE_EXTD | BASE_BSP);
	bool was_x2 = vlapic_x2apic_mode(l), was_on = l->base & BASE_EN;
	bool on = value & BASE_EN, x2 = on && (value & BASE_EXTD);

	if ((value & reserved) || (!on && (value & BASE_EXTD)))
		return false;
	/* 11.12.5: x2APIC to xAPIC, and disabled to x2APIC, are invalid transitions. */
	if ((was_x2 && on && !x2) || (!was_on && x2))
		return false;
	l->base = (value & ~BASE_BSP) | (l->base & BASE_BSP);
	if (!on)
		reset_registers(l);
	return true;
}

/* The timer's divide configuration as a divisor: bits 0, 1 and 3 (SDM Vol. 3A figure 11-10). */
static u64 divisor(const struct vlapic *l)
{
	u32 v = (l->timer_divide & 3) | ((l->timer_divide & 8) >> 1);

	return 1ull << ((v + 1) & 7);
}

static u64 tsc_per_count(const struct vlapic *l)
{
	return l->tsc_per_tick * divisor(l);
}

static u32 timer_mode(const struct vlapic *l)
{
	return l->lvt[LVT_TIMER] & TIMER_MODE_MASK;
}

static u64 period(const struct vlapic *l)
{
	return (u64)l->timer_initial * tsc_per_count(l);
}

static u32 current_count(const struct vlapic *l, u64 now)
{
	u64 elapsed;

	if (!l->timer_running || timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE || now < l->timer_start)
		return l->timer_running ? l->timer_initial : 0;
	elapsed = (now - l->timer_start) / tsc_per_count(l);
	if (timer_mode(l) == VLAPIC_TIMER_PERIODIC)
		return l->timer_initial - (u32)(elapsed % l->timer_initial);
	return elapsed >= l->timer_initial ? 0 : l->timer_initial - (u32)elapsed;
}

/* An error was found: latched in the pending ESR, and the error LVT's interrupt if unmasked. */
static void error(struct vlapic *l, u32 bit)
{
	u32 lvt = l->lvt[LVT_ERROR];
	bool fresh = !(l->esr_pending & bit);

	l->esr_pending |= bit;
	if (fresh && !(lvt & VLAPIC_LVT_MASKED) && (u8)lvt >= 16)
		vlapic_accept(l, (u8)lvt, false);
}

bool vlapic_accept(struct vlapic *l, u8 vector, bool level)
{
	if (vector < 16) {
		error(l, VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
		return false;
	}
	if (!sw_enabled(l))
		return false;
	set_vec(l->irr, vector);
	if (level)
		set_vec(l->tmr, vector);
	else
		clear_vec(l->tmr, vector);
	return true;
}

/* The timer expired: its vector, unless masked. */
static void timer_fire(struct vlapic *l)
{
	u32 lvt = l->lvt[LVT_TIMER];

	if (lvt & VLAPIC_LVT_MASKED)
		return;
	if (vlapic_accept(l, (u8)lvt, false))
		l->timer_fired++;
}

void vlapic_update(struct vlapic *l, u64 now)
{
	u64 p, n;

	if (timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE) {
		if (l->tsc_deadline && now >= l->tsc_deadline) {
			l->tsc_deadline = 0;
			timer_fire(l);
		}
		return;
	}
	if (!l->timer_running || now < l->timer_start + period(l))
		return;
	if (timer_mode(l) == VLAPIC_TIMER_PERIODIC) {
		p = period(l);
		n = (now - l->timer_start) / p;
		l->timer_start += n * p;
		l->timer_missed += n - 1;	/* one interrupt for all the periods that passed */
	} else {
		l->timer_running = false;
	}
	timer_fire(l);
}

u64 vlapic_next_expiry(const struct vlapic *l)
{
	if (l->lvt[LVT_TIMER] & VLAPIC_LVT_MASKED)
		return 0;
	if (timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE)
		return l->tsc_deadline;
	return l->timer_running ? l->timer_start + period(l) : 0;
}

u64 vlapic_tsc_deadline(const struct vlapic *l)
{
	return timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE ? l->tsc_deadline : 0;
}

void vlapic_set_tsc_deadline(struct vlapic *l, u64 deadline, u64 now)
{
	if (timer_mode(l) != VLAPIC_TIMER_TSC_DEADLINE)
		return;	/* 11.5.4.1: ignored in the other modes */
	l->tsc_deadline = deadline;
	vlapic_update(l, now);	/* a deadline in the past fires at once */
}

static void write_initial_count(struct vlapic *l, u32 value, u64 now)
{
	if (timer_mode(l) == VLAPIC_TIMER_TSC_DEADLINE)
		return;	/* ignored in TSC-deadline mode */
	l->timer_initial = value;
	l->timer_start = now;
	l->timer_running = value != 0;
}

/* A new divisor: the count goes on from where it is, at the new rate. */
static void write_divide(struct vlapic *l, u32 value, u64 now)
{
	u32 left = current_count(l, now);

	l->timer_divide = value & 0xb;
	if (l->timer_running && timer_mode(l) != VLAPIC_TIMER_TSC_DEADLINE) {
		u64 done = (u64)(l->timer_initial - left) * tsc_per_count(l);

		l->timer_start = now >= done ? now - done : 0;
	}
}

static void write_lvt(struct vlapic *l, enum vlapic_lvt i, u32 value, u64 now)
{
	u32 old_mode = timer_mode(l);

	vlapic_update(l, now);
	value &= lvt_writable[i];
	if (i == LVT_TIMER && (value & TIMER_MODE_MASK) == TIMER_MODE_MASK)
		value &= ~TIMER_MODE_MASK;	/* the reserved mode acts as one-shot here */
	if (!sw_enabled(l))
		value |= VLAPIC_LVT_MASKED;	/* 11.4.7.2: masks stay set while disabled */
	/* Keep the read-only remote IRR of LINT0/1. */
	l->lvt[i] = value | (l->lvt[i] & ~lvt_writable[i] & BIT(14));
	if (i == LVT_TIMER && timer_mode(l) != old_mode) {
		/* A change of timer mode disarms it (11.5.4.1). */
		l->timer_running = false;
		l->timer_initial = 0;
		l->tsc_deadline = 0;
	}
}

static void write_svr(struct vlapic *l, u32 value)
{
	l->svr = value & 0x3ff;	/* vector, APIC enable, focus check */
	if (!sw_enabled(l))
		for (int i = 0; i < LVT_COUNT; i++)
			l->lvt[i] |= VLAPIC_LVT_MASKED;
}

u8 vlapic_ppr(const struct vlapic *l)
{
	int isrv = highest(l->isr);
	u32 isr_class = isrv < 0 ? 0 : (u32)isrv & 0xf0;

	return (u8)((l->tpr & 0xf0) >= isr_class ? l->tpr : isr_class);
}

/* The arbitration priority (11.6.2.1 figure), for lowest-priority delivery. */
static u8 apr(const struct vlapic *l)
{
	int irrv = highest(l->irr), isrv = highest(l->isr);
	u32 cls = MAX(irrv < 0 ? 0 : (u32)irrv & 0xf0, isrv < 0 ? 0 : (u32)isrv & 0xf0);

	return (u8)((l->tpr & 0xf0) >= cls ? l->tpr : cls);
}

int vlapic_pending_vector(const struct vlapic *l)
{
	int v = highest(l->irr);

	if (v < 0 || ((u32)v & 0xf0) <= (vlapic_ppr(l) & 0xf0u))
		return -1;
	return v;
}

void vlapic_ack(struct vlapic *l, u8 vector)
{
	clear_vec(l->irr, vector);
	set_vec(l->isr, vector);
}

static void eoi(struct vlapic *l)
{
	int v = highest(l->isr);

	if (v < 0)
		return;
	clear_vec(l->isr, (u8)v);
	if (test_vec(l->tmr, (u8)v) && l->hooks.eoi_level)
		l->hooks.eoi_level(l->hooks.ctx, (u8)v);
}

bool vlapic_accepts_extint(const struct vlapic *l)
{
	u32 lint0 = l->lvt[LVT_LINT0];

	return !(l->base & BASE_EN) ||
	       (!(lint0 & VLAPIC_LVT_MASKED) && ((lint0 >> 8) & 7) == VLAPIC_DM_EXTINT);
}

/* The logical ID: x2APIC derives it from the APIC ID (11.12.10.2), xAPIC has it written. */
static u32 ldr(const struct vlapic *l)
{
	if (vlapic_x2apic_mode(l))
		return ((l->id >> 4) << 16) | (u32)BIT(l->id & 0xf);
	return l->ldr;
}

bool vlapic_matches(const struct vlapic *l, u32 dest, bool logical)
{
	u32 my = ldr(l);

	if (vlapic_x2apic_mode(l)) {
		if (dest == 0xffffffff)
			return true;
		if (!logical)
			return dest == l->id;
		return (dest >> 16) == (my >> 16) && (dest & my & 0xffff);
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == l->id;
	my >>= 24;
	if ((l->dfr >> 28) == 0xf)
		return dest & my;	/* flat model: one bit per APIC */
	return (dest >> 4) == (my >> 4) && (dest & my & 0xf);	/* cluster model */
}

/* The guest wrote the ICR's low half (xAPIC) or the whole ICR (x2APIC): send it. */
static void send_ipi(struct vlapic *l)
{
	struct vlapic_ipi ipi = {
		.vector = (u8)l->icr_lo,
		.mode = (u8)((l->icr_lo >> 8) & 7),
		.shorthand = (u8)((l->icr_lo >> 18) & 3),
		.logical = l->icr_lo & ICR_LOGICAL,
		.level_assert = l->icr_lo & ICR_LEVEL,
		.level_triggered = l->icr_lo & ICR_TRIGGER_LEVEL,
		.dest = vlapic_x2apic_mode(l) ? l->icr_hi : l->icr_hi >> 24,
		.source = l->id,
	};

	if ((ipi.mode == VLAPIC_DM_FIXED || ipi.mode == VLAPIC_DM_LOWEST) && ipi.vector < 16) {
		error(l, VLAPIC_ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	l->hooks.send_ipi(l->hooks.ctx, &ipi);
}

/* A 256-bit register's word at offset (ISR, TMR, IRR: eight words 16 bytes apart). */
static const u32 *bank_word(const struct vlapic *l, u32 offset)
{
	if (offset >= VLAPIC_ISR && offset < VLAPIC_ISR + 0x80)
		return &l->isr[(offset - VLAPIC_ISR) >> 4];
	if (offset >= VLAPIC_TMR && offset < VLAPIC_TMR + 0x80)
		return &l->tmr[(offset - VLAPIC_TMR) >> 4];
	if (offset >= VLAPIC_IRR && offset < VLAPIC_IRR + 0x80)
		return &l->irr[(offset - VLAPIC_IRR) >> 4];
	return NULL;
}

static int lvt_index(u32 offset)
{
	for (int i = 0; i < LVT_COUNT; i++)
		if (lvt_offset[i] == offset)
			return i;
	return -1;
}

/* A register read common to both modes; false when offset names no readable register. */
static bool read_reg(struct vlapic *l, u32 offset, u64 now, u32 *value)
{
	const u32 *word = bank_word(l, offset);
	int lvt = lvt_index(offset);

	vlapic_update(l, now);
	if (word) {
		*value = *word;
		return true;
	}
	if (lvt >= 0) {
		*value = l->lvt[lvt];
		return true;
	}
	switch (offset) {
	case VLAPIC_ID: *value = vlapic_x2apic_mode(l) ? l->id : l->id << 24; break;
	case VLAPIC_VER: *value = VLAPIC_VERSION; break;
	case VLAPIC_TPR: *value = l->tpr; break;
	case VLAPIC_PPR: *value = vlapic_ppr(l); break;
	case VLAPIC_LDR: *value = ldr(l); break;
	case VLAPIC_SVR: *value = l->svr; break;
	case VLAPIC_ESR: *value = l->esr; break;
	case VLAPIC_ICR_LO: *value = l->icr_lo; break;
	case VLAPIC_TIMER_INITIAL: *value = l->timer_initial; break;
	case VLAPIC_TIMER_CURRENT: *value = current_count(l, now); break;
	case VLAPIC_TIMER_DIVIDE: *value = l->timer_divide; break;
	default: return false;
	}
	return true;
}

/* A register write common to both modes; false when offset names no writable register. */
static bool write_reg(struct vlapic *l, u32 offset, u32 value, u64 now)
{
	int lvt = lvt_index(offset);

	if (lvt >= 0) {
		write_lvt(l, (enum vlapic_lvt)lvt, value, now);
		return true;
	}
	vlapic_update(l, now);
	switch (offset) {
	case VLAPIC_TPR: l->tpr = value & 0xff; break;
	case VLAPIC_EOI: eoi(l); break;
	case VLAPIC_SVR: write_svr(l, value); break;
	case VLAPIC_ESR:
		l->esr = l->esr_pending;	/* a write latches the errors found since the last */
		l->esr_pending = 0;
		break;
	case VLAPIC_TIMER_INITIAL: write_initial_count(l, value, now); break;
	case VLAPIC_TIMER_DIVIDE: write_divide(l, value, now); break;
	default: return false;
	}
	return true;
}

u32 vlapic_mmio_read(struct vlapic *l, u32 offset, u64 now)
{
	u32 value = 0;

	if (offset & 0xf)
		return 0;
	switch (offset) {
	case VLAPIC_APR: return apr(l);
	case VLAPIC_DFR: return l->dfr;
	case VLAPIC_ICR_HI: return l->icr_hi;
	case VLAPIC_EOI:
	case VLAPIC_RRD:
		return 0;
	default:
		if (!read_reg(l, offset, now, &value) && offset != VLAPIC_SELF_IPI)
			error(l, VLAPIC_ESR_ILLEGAL_REGISTER);
		return offset == VLAPIC_SELF_IPI ? 0 : value;
	}
}

void vlapic_mmio_write(struct vlapic *l, u32 offset, u32 value, u64 now)
{
	if (offset & 0xf)
		return;
	switch (offset) {
	case VLAPIC_ID:
		l->id = value >> 24;	/* xAPIC IDs are writable; the VM's routing uses them */
		return;
	case VLAPIC_LDR: l->ldr = value & 0xff000000; return;
	case VLAPIC_DFR: l->dfr = (value & 0xf0000000) | 0x0fffffff; return;
	case VLAPIC_ICR_HI: l->icr_hi = value & 0xff000000; return;
	case VLAPIC_ICR_LO:
		l->icr_lo = value & ICR_LO_WRITABLE & ~ICR_DELIVERY_STATUS;
		send_ipi(l);
		return;
	default:
		if (bank_word(l, offset) || offset == VLAPIC_VER || offset == VLAPIC_PPR ||
		    offset == VLAPIC_APR || offset == VLAPIC_RRD ||
		    offset == VLAPIC_TIMER_CURRENT || offset == VLAPIC_SELF_IPI)
			return;	/* read-only here */
		if (!write_reg(l, offset, value, now))
			error(l, VLAPIC_ESR_ILLEGAL_REGISTER);
	}
}

bool vlapic_msr_read(struct vlapic *l, u32 msr, u64 now, u64 *value)
{
	u32 offset = (msr - VLAPIC_X2APIC_MSR_FIRST) << 4, v;

	if (!vlapic_x2apic_mode(l) || msr < VLAPIC_X2APIC_MSR_FIRST || msr > VLAPIC_X2APIC_MSR_LAST)
		return false;
	if (offset == VLAPIC_ICR_LO) {
		*value = (u64)l->icr_hi << 32 | l->icr_lo;
		return true;
	}
	if (!read_reg(l, offset, now, &v))
		return false;	/* no DFR, APR, ICR high, EOI or self-IPI reads in x2APIC mode */
	*value = v;
	return true;
}

bool vlapic_msr_write(struct vlapic *l, u32 msr, u64 value, u64 now)
{
	u32 offset = (msr - VLAPIC_X2APIC_MSR_FIRST) << 4;

	if (!vlapic_x2apic_mode(l) || msr < VLAPIC_X2APIC_MSR_FIRST || msr > VLAPIC_X2APIC_MSR_LAST)
		return false;
	switch (offset) {
	case VLAPIC_ICR_LO:
		if (value & ~(0xffffffff00000000ULL | ICR_LO_WRITABLE))
			return false;
		l->icr_hi = (u32)(value >> 32);
		l->icr_lo = (u32)value & ~ICR_DELIVERY_STATUS;
		vlapic_update(l, now);
		send_ipi(l);
		return true;
	case VLAPIC_SELF_IPI:
		if (value & ~0xffULL)
			return false;
		vlapic_update(l, now);
		if ((u8)value < 16)
			error(l, VLAPIC_ESR_SEND_ILLEGAL_VECTOR);
		else
			vlapic_accept(l, (u8)value, false);
		return true;
	case VLAPIC_EOI:
	case VLAPIC_ESR:
		if (value)
			return false;	/* 11.12.1.2: a non-zero write is #GP */
		break;
	default:
		break;
	}
	if (value >> 32)
		return false;
	return write_reg(l, offset, (u32)value, now);
}
