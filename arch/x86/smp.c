/* SPDX-License-Identifier: MIT */
/*
 * Multiprocessor bring-up (SDM Vol. 3A 9.4, "Multiple-Processor (MP) Initialization"): each
 * application processor is woken with INIT-SIPI-SIPI into boot/trampoline.asm, which brings it
 * to ap_main() on its own stack and per-CPU data. Also the NMI-based stop of all CPUs.
 */
#include "arch/x86/smp.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "kernel/cpu_work.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"

#define TRAMPOLINE_BASE 0x8000	/* boot/trampoline.asm is assembled for this address */
#define INIT_DELAY_NS (10 * NSEC_PER_MSEC)	/* SDM 9.4.4.1: 10 ms after INIT */
#define SIPI_DELAY_NS (200 * NSEC_PER_USEC)	/* and 200 us after each Start-up IPI */
#define ONLINE_TIMEOUT_NS (100 * NSEC_PER_MSEC)
#define STOP_TIMEOUT_NS (100 * NSEC_PER_MSEC)

/* Read by the trampoline at TRAMPOLINE_BASE + 8 (offsets P_* in boot/trampoline.asm). */
struct __packed trampoline_params {
	u64 boot_cr3;		/* boot/entry.asm's tables: identity map, below 4 GiB */
	u64 kernel_cr3;
	u64 stack_top;
	u64 percpu;
	u32 apic_id;		/* only this CPU may proceed */
	u32 efer_nxe;
};

extern const u8 trampoline_start[], trampoline_end[];
extern const u8 early_pml4[];

__noreturn void ap_main(struct percpu *p);

static u32 online_count = 1;
static bool stop_requested;
static u32 parked_count;

u32 smp_online_count(void)
{
	return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

bool smp_stop_requested(void)
{
	return __atomic_load_n(&stop_requested, __ATOMIC_ACQUIRE);
}

__noreturn void ap_main(struct percpu *p)
{
	percpu_activate(p);
	cpu_init_this();
	lapic_init_ap();
	p->apic_id = lapic_id();
	__atomic_add_fetch(&online_count, 1, __ATOMIC_ACQ_REL);
	__atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
	cpu_idle_loop();
}

static struct percpu *percpu_create(u32 id, u32 apic_id)
{
	struct percpu *p = kzalloc(sizeof(*p));
	void *stack = pages_alloc(KERNEL_STACK_SIZE / PAGE_SIZE);
	void *ist = pages_alloc(IST_SLOTS * IST_STACK_SIZE / PAGE_SIZE);

	if (!p || !stack || !ist) {
		kfree(p);
		if (stack)
			pages_free(stack, KERNEL_STACK_SIZE / PAGE_SIZE);
		if (ist)
			pages_free(ist, IST_SLOTS * IST_STACK_SIZE / PAGE_SIZE);
		return NULL;
	}
	p->id = id;
	p->apic_id = apic_id;
	p->stack_bottom = (u64)stack;
	p->stack_top = (u64)stack + KERNEL_STACK_SIZE;
	p->ist_bottom = (u64)ist;
	return p;
}

static void percpu_destroy(struct percpu *p)
{
	pages_free((void *)p->stack_bottom, KERNEL_STACK_SIZE / PAGE_SIZE);
	pages_free((void *)p->ist_bottom, IST_SLOTS * IST_STACK_SIZE / PAGE_SIZE);
	kfree(p);
}

static bool wait_online(struct percpu *p, u64 ns)
{
	u64 give_up = rdtsc() + time_ns_to_tsc(ns);

	while ((s64)(rdtsc() - give_up) < 0) {
		if (__atomic_load_n(&p->online, __ATOMIC_ACQUIRE))
			return true;
		cpu_relax();
	}
	return __atomic_load_n(&p->online, __ATOMIC_ACQUIRE);
}

/* INIT, 10 ms, SIPI, 200 us, and a second SIPI only if the first did not wake it. */
static bool start_cpu(struct percpu *p, u64 *first_sipi)
{
	struct trampoline_params *params = phys_to_virt(TRAMPOLINE_BASE + 8);

	params->boot_cr3 = (u64)early_pml4;
	params->kernel_cr3 = paging_kernel_cr3();
	params->stack_top = p->stack_top;
	params->percpu = (u64)p;
	params->apic_id = p->apic_id;
	params->efer_nxe = cpu_features.nx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_init(p->apic_id);
	time_delay_ns(INIT_DELAY_NS);
	if (!*first_sipi)
		*first_sipi = rdtsc();
	lapic_send_startup(p->apic_id, TRAMPOLINE_BASE);
	if (wait_online(p, SIPI_DELAY_NS))
		return true;
	lapic_send_startup(p->apic_id, TRAMPOLINE_BASE);
	if (wait_online(p, ONLINE_TIMEOUT_NS))
		return true;
	lapic_send_init(p->apic_id);	/* back to wait-for-SIPI, should it wake later */
	return false;
}

void smp_boot(const struct acpi_info *acpi, u32 max_cpus)
{
	u32 bsp_apic_id = lapic_id();
	u64 first_sipi = 0, last_online = 0;
	u32 listed = acpi->has_madt ? acpi->cpu_count : 1, skipped = 0;

	bsp_percpu.apic_id = bsp_apic_id;
	pr_info("smp: CPU 0 (APIC ID %u) is the boot CPU\n", bsp_apic_id);
	if (!acpi->has_madt) {
		pr_warn("smp: no usable MADT, so no other CPU is known: running on the boot CPU "
			"only\n");
		return;
	}
	memcpy(phys_to_virt(TRAMPOLINE_BASE), trampoline_start,
	       (size_t)(trampoline_end - trampoline_start));
	for (u32 i = 0; i < acpi->cpu_count; i++) {
		u32 apic_id = acpi->cpus[i].apic_id;
		struct percpu *p;

		if (apic_id == bsp_apic_id)
			continue;
		if ((max_cpus && percpu_count >= max_cpus) || percpu_count == MAX_CPUS) {
			skipped++;
			continue;
		}
		p = percpu_create(percpu_count, apic_id);
		if (!p) {
			pr_err("smp: out of memory for CPU %u (APIC ID %u); skipped\n",
			       percpu_count, apic_id);
			continue;
		}
		if (!start_cpu(p, &first_sipi)) {
			pr_warn("smp: CPU with APIC ID %u did not answer INIT-SIPI-SIPI within %llu "
				"ms; skipped\n", apic_id, ONLINE_TIMEOUT_NS / NSEC_PER_MSEC);
			percpu_destroy(p);
			continue;
		}
		last_online = rdtsc();
		percpu_of[percpu_count++] = p;
		pr_info("smp: CPU %u (APIC ID %u) online\n", p->id, apic_id);
	}
	if (skipped)
		pr_notice("smp: %u more CPU(s) left off (smp=%u)\n", skipped, max_cpus);
	if (last_online)
		pr_info("smp: %u of %u CPU(s) online; %llu us from the first Start-up IPI to the "
			"last CPU online\n", smp_online_count(), listed,
			time_tsc_to_ns(last_online - first_sipi) / NSEC_PER_USEC);
	else
		pr_info("smp: %u of %u CPU(s) online\n", smp_online_count(), listed);
}

__noreturn void smp_park_this_cpu(void)
{
	struct percpu *p = this_cpu();

	if (!p->parked) {
		p->parked = true;
		__atomic_add_fetch(&parked_count, 1, __ATOMIC_ACQ_REL);
	}
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

void smp_stop_others(void)
{
	u64 give_up;

	if (__atomic_exchange_n(&stop_requested, true, __ATOMIC_ACQ_REL) ||
	    smp_online_count() == 1)
		return;
	lapic_send_nmi_to_others();
	give_up = rdtsc() + time_ns_to_tsc(STOP_TIMEOUT_NS);
	while (__atomic_load_n(&parked_count, __ATOMIC_ACQUIRE) < smp_online_count() - 1 &&
	       (s64)(rdtsc() - give_up) < 0)
		cpu_relax();
}
