/* SPDX-License-Identifier: MIT */
/* The local APIC: xAPIC through the direct map, x2APIC through MSRs (SDM Vol. 3A chapter 11). */
#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "arch/x86/traps.h"
#include "arch/x86/vectors.h"
#include "drivers/pit.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/time.h"

/* Register offsets in the xAPIC page; the x2APIC MSR is 0x800 + offset / 16. */
enum lapic_reg {
	LAPIC_ID = 0x20,
	LAPIC_VERSION = 0x30,
	LAPIC_TPR = 0x80,
	LAPIC_EOI = 0xb0,
	LAPIC_SVR = 0xf0,
	LAPIC_ESR = 0x280,
	LAPIC_ICR_LOW = 0x300,
	LAPIC_ICR_HIGH = 0x310,
	LAPIC_LVT_TIMER = 0x320,
	LAPIC_LVT_LINT0 = 0x350,
	LAPIC_LVT_LINT1 = 0x360,
	LAPIC_LVT_ERROR = 0x370,
	LAPIC_TIMER_INITIAL = 0x380,
	LAPIC_TIMER_CURRENT = 0x390,
	LAPIC_TIMER_DIVIDE = 0x3e0,
};

#define SVR_ENABLE BIT(8)
#define LVT_MASKED BIT(16)
#define LVT_DELIVERY_NMI (4u << 8)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIVIDE_BY_16 0x3
#define ICR_DELIVERY_NMI (4u << 8)
#define ICR_DELIVERY_INIT (5u << 8)
#define ICR_DELIVERY_STARTUP (6u << 8)
#define ICR_PENDING BIT(12)
#define ICR_LEVEL_ASSERT BIT(14)
#define ICR_ALL_BUT_SELF (3u << 18)
#define MSR_X2APIC_ICR 0x830

#define CALIBRATION_MS 10

static struct {
	bool x2apic;
	bool tsc_deadline;
	volatile u32 *mmio;	/* xAPIC registers through the direct map */
	u64 timer_hz;		/* one-shot counts per second at TIMER_DIVIDE_BY_16 */
	u64 errors;
} lapic;

static u32 lapic_read(enum lapic_reg reg)
{
	if (lapic.x2apic)
		return (u32)rdmsr(MSR_IA32_X2APIC_BASE + reg / 16);
	return lapic.mmio[reg / 4];
}

static void lapic_write(enum lapic_reg reg, u32 v)
{
	if (lapic.x2apic)
		wrmsr(MSR_IA32_X2APIC_BASE + reg / 16, v);
	else
		lapic.mmio[reg / 4] = v;
}

u32 lapic_id(void)
{
	return lapic.x2apic ? lapic_read(LAPIC_ID) : lapic_read(LAPIC_ID) >> 24;
}

bool lapic_x2apic_mode(void)
{
	return lapic.x2apic;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* x2APIC: one 64-bit write. xAPIC: destination first; the low half sends (SDM 11.6.1). */
static void lapic_send(u32 apic_id, u32 icr_low)
{
	if (lapic.x2apic) {
		wrmsr(MSR_X2APIC_ICR, (u64)apic_id << 32 | icr_low);
		return;
	}
	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, icr_low);
}

void lapic_send_ipi(u32 apic_id, u8 vector)
{
	lapic_send(apic_id, vector);
}

void lapic_send_nmi(u32 apic_id)
{
	lapic_send(apic_id, ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT);
}

void lapic_send_nmi_to_others(void)
{
	lapic_send(0, ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF);
}

void lapic_send_init(u32 apic_id)
{
	lapic_send(apic_id, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT);
}

void lapic_send_startup(u32 apic_id, u32 trampoline_phys)
{
	lapic_send(apic_id, ICR_DELIVERY_STARTUP | (trampoline_phys >> PAGE_SHIFT));
}

void lapic_timer_stop(void)
{
	if (lapic.tsc_deadline)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	else
		lapic_write(LAPIC_TIMER_INITIAL, 0);
}

void lapic_timer_arm(u64 deadline_tsc)
{
	u64 now, count;

	if (lapic.tsc_deadline) {
		wrmsr(MSR_IA32_TSC_DEADLINE, deadline_tsc);
		return;
	}
	now = rdtsc();
	count = deadline_tsc > now ? time_tsc_to_ns(deadline_tsc - now) * lapic.timer_hz /
					     NSEC_PER_SEC : 0;
	lapic_write(LAPIC_TIMER_INITIAL, (u32)MAX(MIN(count, 0xffffffffULL), 1ULL));
}

const char *lapic_timer_mode_name(void)
{
	return lapic.tsc_deadline ? "TSC-deadline" : "one-shot";
}

static void spurious_interrupt(struct trap_frame *f)
{
	(void)f;	/* no EOI for spurious interrupts (SDM 11.9) */
}

static void error_interrupt(struct trap_frame *f)
{
	u32 esr;

	(void)f;
	lapic_write(LAPIC_ESR, 0);	/* the write latches the errors into ESR */
	esr = lapic_read(LAPIC_ESR);
	lapic_eoi();
	if (lapic.errors++ < 8)
		pr_warn("local APIC %u: error interrupt, ESR %#x\n", lapic_id(), esr);
}

/* The timer's LVT entry: TSC-deadline or one-shot mode, on VECTOR_LAPIC_TIMER. */
static void setup_timer_lvt(void)
{
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	if (lapic.tsc_deadline) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VECTOR_LAPIC_TIMER);
		/*
		 * SDM 11.5.4.1: order the LVT write before any IA32_TSC_DEADLINE write, which
		 * x2APIC-mode WRMSRs alone do not guarantee.
		 */
		__asm__ volatile("mfence" : : : "memory");
	} else {
		lapic_write(LAPIC_LVT_TIMER, VECTOR_LAPIC_TIMER);
	}
}

/* Every CPU: enable the APIC with our vectors; LINT0 (legacy PIC) masked, LINT1 as NMI. */
static void lapic_setup_cpu(void)
{
	u64 base = rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_ENABLE;

	if (lapic.x2apic) {
		/* Enabling x2APIC from xAPIC mode is one step (SDM 11.12.5). */
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
	} else {
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
	lapic_write(LAPIC_LVT_ERROR, VECTOR_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
	setup_timer_lvt();
	lapic_eoi();
}


static void sample_timer(void *ctx, bool end)
{
	u32 *count = ctx;

	count[end] = lapic_read(LAPIC_TIMER_CURRENT);
}

/* Count the one-shot timer down against PIT channel 2 to learn its rate. */
static void calibrate_timer(void)
{
	u32 count[2];
	u64 ticks;

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	lapic_write(LAPIC_TIMER_INITIAL, 0xffffffff);
	ticks = pit_measure(CALIBRATION_MS, sample_timer, count);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic.timer_hz = (u64)(count[0] - count[1]) * PIT_HZ / ticks;
	if (!lapic.timer_hz)
		panic("local APIC timer does not count");
}

void lapic_init_bsp(const struct lapic_options *opt)
{
	if (!cpu_features.apic)
		panic("this CPU has no local APIC; Vireo needs one");
	lapic.x2apic = cpu_features.x2apic && opt->allow_x2apic;
	lapic.tsc_deadline = cpu_features.tsc_deadline && opt->allow_tsc_deadline;
	lapic.mmio = phys_to_virt(rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDRESS_MASK);
	trap_register(VECTOR_SPURIOUS, spurious_interrupt);
	trap_register(VECTOR_LAPIC_ERROR, error_interrupt);
	lapic_setup_cpu();
	calibrate_timer();
	setup_timer_lvt();
	pr_info("local APIC: %s mode, version %#x, ID %u; timer %s, %llu kHz one-shot rate\n",
		lapic.x2apic ? "x2APIC" : "xAPIC", lapic_read(LAPIC_VERSION) & 0xff, lapic_id(),
		lapic_timer_mode_name(), lapic.timer_hz / 1000);
}

void lapic_init_ap(void)
{
	lapic_setup_cpu();
}
