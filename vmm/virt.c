/* SPDX-License-Identifier: MIT */
/* Choosing the virtualization backend at boot: one image serves both vendors. */
#include "vmm/virt.h"
#include "arch/x86/cpu.h"
#include "kernel/format.h"

const struct virt_ops *virt;

const struct virt_ops *virt_select(char *why, size_t size)
{
	const struct virt_ops *ops;

	if (cpu_features.vmx)
		ops = &vmx_ops;
	else if (cpu_features.svm)
		ops = &svm_ops;
	else {
		format(why, size, "the CPU (%s) offers neither VT-x nor AMD-V (CPUID shows no VMX "
		       "or SVM)%s", cpu_features.vendor,
		       cpu_features.hypervisor ? "; under a hypervisor, enable nested "
						 "virtualization (QEMU: -cpu host,+vmx or +svm)" : "");
		return NULL;
	}
	return ops->probe(why, size) ? ops : NULL;
}
