/* SPDX-License-Identifier: MIT */
/* The "kvmclock" device (vmm/kvmclock.h): its MSRs and the records they point at. */
#include "vmm/kvmclock.h"
#include "arch/x86/cpu.h"
#include "kernel/time.h"
#include "vmm/guest_memory.h"
#include "vmm/pvclock.h"
#include "vmm/vm.h"

#define SYSTEM_TIME_ENABLE BIT(0)
#define RECORD_ALIGN 4	/* the ABI's alignment of either record */

bool kvmclock_is_msr(u32 index)
{
	return index == MSR_KVM_WALL_CLOCK_NEW || index == MSR_KVM_SYSTEM_TIME_NEW;
}

/* Write a record into guest RAM; false (#GP) when it is misaligned or not all RAM. */
static bool put_record(struct vcpu *v, u64 gpa, const void *record, u64 len)
{
	return gpa % RECORD_ALIGN == 0 && guest_memory_write(&v->vm->mem, gpa, record, len) == 0;
}

/*
 * The vCPU's time record, written once: guests run with no TSC offset on host CPUs whose
 * TSCs agree (kernel/time.c), so the record stays right wherever the vCPU runs next.
 */
static bool set_system_time(struct vcpu *v, u64 value)
{
	struct pvclock_vcpu_time_info t;
	struct pvclock_scale scale = pvclock_scale_for(time_tsc_hz());
	u64 tsc = rdtsc();

	if (value & SYSTEM_TIME_ENABLE) {
		pvclock_fill_time(&t, &scale, tsc, vm_time_ns(v->vm, tsc));
		if (!put_record(v, value & ~SYSTEM_TIME_ENABLE, &t, sizeof(t)))
			return false;
	}
	v->kvmclock_system_time = value;
	return true;
}

/* The date at the VM's time 0, for the guest to add its clock to. */
static bool set_wall_clock(struct vcpu *v, u64 gpa)
{
	struct pvclock_wall_clock w;
	u64 now_ns = time_wall_clock_ns(), since_start = vm_time_ns(v->vm, rdtsc());

	pvclock_fill_wall_clock(&w, now_ns > since_start ? now_ns - since_start : 0);
	if (!put_record(v, gpa, &w, sizeof(w)))
		return false;
	v->vm->kvmclock_wall_clock = gpa;
	return true;
}

bool kvmclock_msr_read(struct vcpu *v, u32 index, u64 *value)
{
	*value = index == MSR_KVM_SYSTEM_TIME_NEW ? v->kvmclock_system_time
						   : v->vm->kvmclock_wall_clock;
	return true;
}

bool kvmclock_msr_write(struct vcpu *v, u32 index, u64 value)
{
	return index == MSR_KVM_SYSTEM_TIME_NEW ? set_system_time(v, value)
						: set_wall_clock(v, value);
}
