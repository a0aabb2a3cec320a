/* SPDX-License-Identifier: MIT */
/* Decoding an AMD-V #VMEXIT from the VMCB into the neutral exit record. */
#ifndef VIREO_ARCH_X86_SVM_SVM_EXIT_H
#define VIREO_ARCH_X86_SVM_SVM_EXIT_H

#include "arch/x86/svm/vmcb.h"
#include "vmm/exit.h"

/*
 * Fill out from the VMCB's exit code and exit information. The instruction length comes from
 * nRIP when the CPU has NRIP-save, from EXITINFO2 for I/O, and otherwise from the fixed length
 * of the intercepted instruction (without prefixes); a CR write is described fully only with
 * decode assists (otherwise the VMM decodes it). Pure.
 */
void svm_decode_exit(const struct vmcb *vmcb, bool has_nrip_save, bool has_decode_assists,
		     struct vm_exit *out);

#endif
