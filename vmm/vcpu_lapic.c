/* SPDX-License-Identifier: MIT */
/* A vCPU's local APIC wired to the host: MSRs, host timer, IPIs, INIT and startup IPIs. */
#include "vmm/vcpu_lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "vmm/mmio.h"
#include "vmm/pc_platform.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_run.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

/* The timer's input clock: 100 MHz, a common APIC bus rate (Linux calibrates it anyway). */
#define TIMER_INPUT_HZ 100000000ULL
/*
 * A guest may ask for a period of 10 ns: the host timer fires at most every HOST_MIN_NS after
 * it last did, and the periods between fold into the next interrupt (vlapic_update).
 */
#define HOST_MIN_NS 50000

static void send_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
	struct vcpu_lapic *l = ctx;

	l->ipi = *ipi;	/* sent by the caller once l->lock is dropped */
	l->ipi_out = true;
}

static void eoi_level(void *ctx, u8 vector)
{
	struct vcpu_lapic *l = ctx;

	l->eoi_vector = vector;	/* passed on by the caller once l->lock is dropped */
	l->eoi_out = true;
}

static void timer_fired(struct timer *t)
{
	struct vcpu_lapic *l = container_of(t, struct vcpu_lapic, timer);

	__atomic_store_n(&l->timer_fired_tsc, rdtsc(), __ATOMIC_RELAXED);
	__atomic_store_n(&l->due, true, __ATOMIC_RELEASE);
	vcpu_poke(l->vcpu);
}

static u64 lock(struct vcpu_lapic *l)
{
	/* Interrupts off: a timer callback on this CPU pokes a vCPU whose lock a CPU holds
	 * while it waits for this one (vcpu_raised_wakeup). */
	return spin_lock_irqsave(&l->lock);
}

static void unlock(struct vcpu_lapic *l, u64 flags)
{
	spin_unlock_irqrestore(&l->lock, flags);
}

static void after_access(struct vcpu *v, u64 flags);

/*
 * The xAPIC window: 32-bit registers 16 bytes apart. A narrower read gives part of the one it
 * falls in, as on the CPU; a write of any other size or alignment is dropped (its effect is
 * undefined, SDM Vol. 3A 11.4.1), as is anything in the 12 bytes after each register.
 */
static u64 window_read(void *dev, u64 offset, u8 size)
{
	struct vcpu *v = dev;
	struct vcpu_lapic *l = v->lapic;
	u32 within = (u32)offset & 0xf;
	u64 flags;
	u32 value;

	if (within >= 4)
		return 0;
	flags = lock(l);
	value = vlapic_mmio_read(&l->apic, (u32)offset & ~0xfu, rdtsc());
	after_access(v, flags);
	return (u64)(value >> (8 * within)) & mmio_size_mask(size);
}

static void window_write(void *dev, u64 offset, u8 size, u64 value)
{
	struct vcpu *v = dev;
	struct vcpu_lapic *l = v->lapic;
	u64 flags;

	if (size < 4 || (offset & 0xf))
		return;
	flags = lock(l);
	vlapic_mmio_write(&l->apic, (u32)offset, (u32)value, rdtsc());
	after_access(v, flags);
}

static const struct mmio_ops window_ops = { .read = window_read, .write = window_write };

/*
 * The window where IA32_APIC_BASE puts it, in xAPIC mode only: none while the APIC is
 * disabled or in x2APIC mode (11.12.2). The vCPU's own MMIO bus holds nothing else. A window
 * moved onto the VM's RAM is not seen: RAM wins there.
 */
static void place_window(struct vcpu *v)
{
	const struct vlapic *a = &v->lapic->apic;

	mmio_init(&v->mmio);
	if (vlapic_xapic_mode(a))
		mmio_register(&v->mmio, vlapic_window(a), VLAPIC_WINDOW_SIZE, &window_ops, v,
			      "local APIC");
}

int vcpu_lapic_create(struct vcpu *v)
{
	struct vcpu_lapic *l = kzalloc(sizeof(*l));
	u64 per_tick = time_tsc_hz() / TIMER_INPUT_HZ;

	if (!l)
		return -ENOMEM;
	l->vcpu = v;
	l->timer.fn = timer_fired;
	vlapic_init(&l->apic, v->id, v->id == 0, per_tick,
		    &(struct vlapic_hooks){ .send_ipi = send_ipi, .eoi_level = eoi_level, .ctx = l });
	v->lapic = l;
	place_window(v);
	return 0;
}

void vcpu_lapic_destroy(struct vcpu *v)
{
	if (!v->lapic)
		return;
	timer_cancel(&v->lapic->timer);
	kfree(v->lapic);
	v->lapic = NULL;
}

/* The host timer for the model's next expiry (l->lock held, on the vCPU's CPU). */
static void rearm(struct vcpu_lapic *l)
{
	u64 next = vlapic_next_expiry(&l->apic);

	if (next)
		next = MAX(next, l->fired + time_ns_to_tsc(HOST_MIN_NS));
	if (next == l->deadline)
		return;
	l->deadline = next;
	if (next)
		timer_arm(&l->timer, next);
	else
		timer_cancel(&l->timer);
}

/* The timer fired since the last look: the model's timer catches up (l->lock held). */
static void catch_up(struct vcpu_lapic *l, u64 now)
{
	if (__atomic_exchange_n(&l->due, false, __ATOMIC_ACQ_REL)) {
		l->fired = l->deadline;
		l->deadline = 0;	/* it fired: armed again below if due again */
	}
	vlapic_update(&l->apic, now);
	rearm(l);
}

/* Whether the IPI names t (its APIC ID or logical destination, or a shorthand). */
static bool names(struct vcpu *from, const struct vlapic_ipi *ipi, struct vcpu *t)
{
	struct vcpu_lapic *l = t->lapic;
	u64 flags;
	bool match;

	switch (ipi->shorthand) {
	case VLAPIC_DEST_SELF: return t == from;
	case VLAPIC_DEST_ALL: return true;
	case VLAPIC_DEST_OTHERS: return t != from;
	default:
		flags = lock(l);
		match = vlapic_matches(&l->apic, ipi->dest, ipi->logical);
		unlock(l, flags);
		return match;
	}
}

/*
 * A startup IPI for a vCPU waiting for one: it starts in real mode at vector * 4096. One
 * never started starts so; one an INIT took out of the guest takes it itself when it runs.
 */
static void start_up(struct vcpu *t, u8 vector)
{
	struct vcpu_lapic *l = t->lapic;
	u32 old = __atomic_load_n(&l->sipi, __ATOMIC_ACQUIRE), received;
	struct vcpu_state s;

	do {
		if ((old & (VCPU_SIPI_WAITING | VCPU_SIPI_RECEIVED)) != VCPU_SIPI_WAITING)
			return;	/* not after an INIT, or started already: ignored (SDM 9.4.4) */
		received = (old & VCPU_SIPI_INIT) | VCPU_SIPI_RECEIVED | vector;
	} while (!__atomic_compare_exchange_n(&l->sipi, &old, received, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	vcpu_state_real_mode(&s, (u16)(vector << 8), 0);
	if (vcpu_start_in(t, &s) == 0)
		__atomic_compare_exchange_n(&l->sipi, &received, VCPU_SIPI_NONE, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	else
		vcpu_wake(t);
}

/*
 * INIT: an AP waits for a startup IPI, its APIC reset. One never started waits as it is; one
 * that ran leaves the guest (VCPU_REQ_INIT) and its own CPU resets it (take_init). The BSP
 * would start over at the reset vector, in firmware a VM does not have: that is a reset of
 * the VM, which its on_reset decides.
 */
static void init(struct vcpu *t)
{
	struct vcpu_lapic *l = t->lapic;
	u64 flags;

	if (t->id == 0) {
		vmm_reset(t->vm, "INIT of its bootstrap vCPU");
		return;
	}
	if (__atomic_load_n(&t->run, __ATOMIC_ACQUIRE) == RUN_CREATED) {
		flags = lock(l);
		vlapic_init(&l->apic, l->apic.id, false, l->apic.tsc_per_tick, &l->apic.hooks);
		unlock(l, flags);
		__atomic_store_n(&l->sipi, VCPU_SIPI_WAITING, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&l->sipi, VCPU_SIPI_INIT | VCPU_SIPI_WAITING, __ATOMIC_RELEASE);
	vcpu_request(t, VCPU_REQ_INIT);
	vcpu_poke(t);
}

/* The INIT, on the vCPU's own CPU: what was pending for it goes, as its APIC's state. */
static void take_init(struct vcpu *v)
{
	struct vcpu_lapic *l = v->lapic;
	struct vcpu_state s;
	u64 flags = lock(l);

	vlapic_init(&l->apic, l->apic.id, false, l->apic.tsc_per_tick, &l->apic.hooks);
	rearm(l);
	unlock(l, flags);
	place_window(v);
	event_init(&v->events);
	__atomic_store_n(&v->nmis_raised, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&v->sleeping, false, __ATOMIC_RELEASE);
	v->halted = false;
	/* Where INIT leaves a CPU (SDM Vol. 3A 9.1.1), until a startup IPI moves it. */
	vcpu_state_real_mode(&s, 0xf000, 0xfff0);
	virt->set_state(v, &s);
}

bool vcpu_lapic_waits_for_sipi(struct vcpu *v)
{
	struct vcpu_lapic *l = v->lapic;
	u32 sipi = __atomic_load_n(&l->sipi, __ATOMIC_ACQUIRE);
	struct vcpu_state s;

	if (sipi & VCPU_SIPI_INIT) {
		take_init(v);
		sipi = __atomic_and_fetch(&l->sipi, ~(u32)VCPU_SIPI_INIT, __ATOMIC_ACQ_REL);
	}
	if (!(sipi & VCPU_SIPI_RECEIVED))
		return sipi == VCPU_SIPI_WAITING;
	vcpu_state_real_mode(&s, (u16)((sipi & 0xff) << 8), 0);
	virt->set_state(v, &s);
	v->halted = false;
	__atomic_compare_exchange_n(&l->sipi, &sipi, VCPU_SIPI_NONE, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_ACQUIRE);
	return false;
}

static void deliver_fixed(struct vcpu *t, const struct vlapic_ipi *ipi)
{
	struct vcpu_lapic *l = t->lapic;
	u64 flags = lock(l);
	bool accepted = vlapic_accept(&l->apic, ipi->vector, ipi->level_triggered);

	unlock(l, flags);
	if (accepted)
		vcpu_poke(t);
}

static void deliver_one(struct vcpu *t, const struct vlapic_ipi *ipi)
{
	switch (ipi->mode) {
	case VLAPIC_DM_FIXED:
	case VLAPIC_DM_LOWEST:
		deliver_fixed(t, ipi);
		break;
	case VLAPIC_DM_NMI:
		vcpu_raise_nmi(t);
		break;
	case VLAPIC_DM_INIT:
		/* The level-triggered de-assert only synchronises arbitration IDs (9.4.4.1). */
		if (ipi->level_assert || !ipi->level_triggered)
			init(t);
		break;
	case VLAPIC_DM_SIPI:
		start_up(t, ipi->vector);
		break;
	default:
		break;	/* SMI and the reserved modes: no system-management mode here */
	}
}

/* Lowest priority goes to the one named APIC of the lowest processor priority (11.6.2.4). */
static struct vcpu *lowest_of(struct vm *vm, struct vcpu *from, const struct vlapic_ipi *ipi)
{
	struct vcpu *best = NULL;
	u8 best_ppr = 0;

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *t = vm->vcpus[i];
		u8 ppr;
		u64 flags;

		if (!names(from, ipi, t))
			continue;
		flags = lock(t->lapic);
		ppr = vlapic_ppr(&t->lapic->apic);
		unlock(t->lapic, flags);
		if (!best || ppr < best_ppr) {
			best = t;
			best_ppr = ppr;
		}
	}
	return best;
}

/* An IPI (from a vCPU, or from NULL: a device's message) to every vCPU it names. */
static void deliver(struct vm *vm, struct vcpu *from, const struct vlapic_ipi *ipi)
{
	if (ipi->mode == VLAPIC_DM_LOWEST && ipi->shorthand != VLAPIC_DEST_SELF) {
		struct vcpu *t = lowest_of(vm, from, ipi);

		if (t)
			deliver_one(t, ipi);
		return;
	}
	for (u32 i = 0; i < vm->vcpu_count; i++)
		if (names(from, ipi, vm->vcpus[i]))
			deliver_one(vm->vcpus[i], ipi);
}

void vcpu_lapic_deliver(struct vm *vm, const struct vlapic_ipi *message)
{
	if (message->mode == VLAPIC_DM_FIXED || message->mode == VLAPIC_DM_LOWEST ||
	    message->mode == VLAPIC_DM_NMI)
		deliver(vm, NULL, message);
}

/* The IPI of from's last access, to every vCPU it names (l->lock not held). */
static void send_out(struct vcpu *from)
{
	struct vcpu_lapic *l = from->lapic;
	struct vlapic_ipi ipi = l->ipi;

	l->ipi_out = false;
	l->ipis_sent++;
	deliver(from->vm, from, &ipi);
}

/* After the vCPU's own access: send what it sent, decide again if an interrupt is due. */
static void after_access(struct vcpu *v, u64 flags)
{
	struct vcpu_lapic *l = v->lapic;
	bool pending = vlapic_pending_vector(&l->apic) >= 0;

	rearm(l);
	unlock(l, flags);
	if (l->ipi_out)
		send_out(v);
	if (l->eoi_out) {
		l->eoi_out = false;
		pc_platform_eoi(v->vm, l->eoi_vector);
	}
	if (pending)
		vcpu_request(v, VCPU_REQ_EVENT);
}

/* Physical-address bits the guest may put in IA32_APIC_BASE: the host's. */
static u64 phys_mask(void)
{
	return (1ULL << cpu_features.phys_addr_bits) - 1;
}

static bool is_apic_msr(u32 index)
{
	return index == MSR_IA32_APIC_BASE || index == MSR_IA32_TSC_DEADLINE ||
	       (index >= VLAPIC_X2APIC_MSR_FIRST && index <= VLAPIC_X2APIC_MSR_LAST);
}

/* One MSR access of the APIC's, under its lock; false for #GP. */
static bool msr_access(struct vcpu *v, u32 index, bool write, u64 *value)
{
	struct vcpu_lapic *l = v->lapic;
	u64 flags = lock(l), now = rdtsc();
	bool ok = true;

	if (index == MSR_IA32_APIC_BASE && write) {
		ok = vlapic_set_apic_base(&l->apic, *value, phys_mask());
		if (ok)
			place_window(v);	/* moved, gone or back */
	} else if (index == MSR_IA32_APIC_BASE) {
		*value = vlapic_apic_base(&l->apic);
	} else if (index == MSR_IA32_TSC_DEADLINE && write) {
		vlapic_set_tsc_deadline(&l->apic, *value, now);
	} else if (index == MSR_IA32_TSC_DEADLINE) {
		*value = vlapic_tsc_deadline(&l->apic);
	} else if (write) {
		ok = vlapic_msr_write(&l->apic, index, *value, now);
	} else {
		ok = vlapic_msr_read(&l->apic, index, now, value);
	}
	after_access(v, flags);
	return ok;
}

bool vcpu_lapic_msr_read(struct vcpu *v, u32 index, u64 *value)
{
	return is_apic_msr(index) && msr_access(v, index, false, value);
}

bool vcpu_lapic_msr_write(struct vcpu *v, u32 index, u64 value)
{
	return is_apic_msr(index) && msr_access(v, index, true, &value);
}

int vcpu_lapic_pending_vector(struct vcpu *v)
{
	struct vcpu_lapic *l = v->lapic;
	u64 flags = lock(l);
	int vector;

	catch_up(l, rdtsc());
	vector = vlapic_pending_vector(&l->apic);
	unlock(l, flags);
	return vector;
}

void vcpu_lapic_ack(struct vcpu *v, u8 vector)
{
	struct vcpu_lapic *l = v->lapic;
	u64 fired = __atomic_exchange_n(&l->timer_fired_tsc, 0, __ATOMIC_RELAXED);
	u64 flags = lock(l);

	vlapic_ack(&l->apic, vector);
	if (fired && vector == (u8)l->apic.lvt[LVT_TIMER]) {
		u64 ticks = rdtsc() - fired;

		l->timer_to_entry_min = l->timer_deliveries ? MIN(l->timer_to_entry_min, ticks)
							    : ticks;
		l->timer_to_entry_sum += ticks;
		l->timer_deliveries++;
	}
	unlock(l, flags);
}

u8 vcpu_lapic_cr8(struct vcpu *v)
{
	return vlapic_cr8(&v->lapic->apic);	/* the TPR: only v itself writes it */
}

void vcpu_lapic_set_cr8(struct vcpu *v, u8 cr8)
{
	struct vcpu_lapic *l = v->lapic;
	u64 flags = lock(l);	/* other vCPUs' lowest-priority IPIs read its priority */

	vlapic_set_cr8(&l->apic, cr8);
	unlock(l, flags);
}

bool vcpu_lapic_accepts_extint(struct vcpu *v)
{
	return vlapic_accepts_extint(&v->lapic->apic);	/* LINT0 and APIC_BASE: v's own writes */
}

bool vcpu_lapic_may_interrupt(const struct vcpu *v)
{
	struct vcpu_lapic *l = v->lapic;
	u64 flags;
	bool pending;

	if (__atomic_load_n(&l->due, __ATOMIC_ACQUIRE))
		return true;
	flags = lock(l);
	pending = vlapic_pending_vector(&l->apic) >= 0;
	unlock(l, flags);
	return pending;
}

void vcpu_lapic_log_stats(const struct vcpu *v)
{
	const struct vcpu_lapic *l = v->lapic;

	if (!l || (!l->apic.timer_fired && !l->ipis_sent))
		return;
	pr_info("vm%u %s: vCPU %u APIC: %llu timer interrupts (%llu periods folded), %llu IPIs "
		"sent; timer to injection %llu TSC ticks at best, %llu on average\n", v->vm->id,
		v->vm->config.name, v->id, l->apic.timer_fired, l->apic.timer_missed, l->ipis_sent,
		l->timer_to_entry_min,
		l->timer_deliveries ? l->timer_to_entry_sum / l->timer_deliveries : 0);
}
