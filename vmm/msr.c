/* SPDX-License-Identifier: MIT */
/* The MSR policy for intercepted guest accesses. */
#include "vmm/msr.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "vmm/cr_access.h"
#include "vmm/kvmclock.h"
#include "vmm/vcpu_lapic.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define FEATURE_CONTROL_LOCKED BIT(0)	/* locked with VMX off: no nested VMX here */
#define MISC_ENABLE_FAST_STRINGS BIT(0)

const u32 msr_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};
const u32 msr_passthrough_count = ARRAY_SIZE(msr_passthrough);

static bool has_kvmclock(const struct vcpu *v)
{
	return v->vm->config.devices & VM_DEVICE_KVMCLOCK;
}

bool msr_read(struct vcpu *v, u32 index, u64 *value)
{
	switch (index) {
	case MSR_EFER:
		*value = virt->get_efer(v);
		return true;
	case MSR_IA32_TSC:
		*value = rdtsc();	/* guests run with no TSC offset */
		return true;
	case MSR_IA32_FEATURE_CONTROL:
		*value = FEATURE_CONTROL_LOCKED;
		return true;
	case MSR_IA32_MISC_ENABLE:
		*value = MISC_ENABLE_FAST_STRINGS;
		return true;
	case MSR_IA32_BIOS_SIGN_ID:
		*value = 0;	/* no microcode update loaded: revision 0 in bits 63:32 */
		return true;
	case MSR_K8_INT_PENDING_MSG:
		/*
		 * Family 0Fh's interrupt-pending message register (BKDG for family 0Fh, MSRC001_0055),
		 * which Linux reads without a fault handler on the K8 QEMU models: no message-
		 * triggered C1E here. Other vendors' CPUs have no such register.
		 */
		if (!cpu_features.amd)
			return false;
		*value = 0;
		return true;
	default:
		if (kvmclock_is_msr(index))
			return has_kvmclock(v) && kvmclock_msr_read(v, index, value);
		return v->lapic && vcpu_lapic_msr_read(v, index, value);
	}
}

/* EFER bits a guest may set; LMA is the CPU's to set and is kept as it is. */
static u64 efer_writable(void)
{
	return EFER_SCE | EFER_LME | (cpu_features.nx ? EFER_NXE : 0);
}

static bool write_efer(struct vcpu *v, u64 value)
{
	struct cr_state s;

	vcpu_cr_state(v, &s);
	if (!efer_write_valid(&s, value, efer_writable()))
		return false;
	virt->set_efer(v, efer_written(&s, value));
	return true;
}

bool msr_write(struct vcpu *v, u32 index, u64 value)
{
	switch (index) {
	case MSR_EFER:
		return write_efer(v, value);
	case MSR_IA32_TSC:
	case MSR_IA32_MISC_ENABLE:
		return true;	/* accepted and ignored: the TSC is the host's, the features fixed */
	case MSR_IA32_BIOS_SIGN_ID:
		/*
		 * Intel's way to read the microcode revision writes 0 here, then CPUID leaf 1, then
		 * reads it back (SDM Vol. 3A 10.11.7.1); Linux does that with no fault handler. On
		 * AMD it is PATCH_LEVEL, read-only.
		 */
		return !cpu_features.amd;
	default:
		if (kvmclock_is_msr(index))
			return has_kvmclock(v) && kvmclock_msr_write(v, index, value);
		return v->lapic && vcpu_lapic_msr_write(v, index, value);
	}
}
