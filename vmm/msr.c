/* SPDX-License-Identifier: MIT */
/* The MSR policy for intercepted guest accesses. */
#include "vmm/msr.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define FEATURE_CONTROL_LOCKED BIT(0)	/* locked with VMX off: no nested VMX here */
#define MISC_ENABLE_FAST_STRINGS BIT(0)

const u32 msr_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};
const u32 msr_passthrough_count = ARRAY_SIZE(msr_passthrough);

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
	default:
		return false;
	}
}

/* EFER bits a guest may set; LMA is the CPU's to set and is kept as it is. */
static u64 efer_writable(void)
{
	return EFER_SCE | EFER_LME | (cpu_features.nx ? EFER_NXE : 0);
}

bool msr_write(struct vcpu *v, u32 index, u64 value)
{
	switch (index) {
	case MSR_EFER:
		if ((value & ~(efer_writable() | EFER_LMA)) ||
		    ((virt->get_efer(v) & EFER_LMA) && !(value & EFER_LME)))
			return false;	/* reserved bits, or leaving long mode with paging on */
		virt->set_efer(v, (value & efer_writable()) | (virt->get_efer(v) & EFER_LMA));
		return true;
	case MSR_IA32_TSC:
	case MSR_IA32_MISC_ENABLE:
		return true;	/* accepted and ignored: the TSC is the host's, the features fixed */
	default:
		return false;
	}
}
