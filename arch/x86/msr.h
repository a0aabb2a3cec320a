/* SPDX-License-Identifier: MIT */
/* Model-specific register numbers used by the kernel (SDM Vol. 4, APM Vol. 2 appendix A). */
#ifndef VIREO_ARCH_X86_MSR_H
#define VIREO_ARCH_X86_MSR_H

#include "kernel/types.h"

#define MSR_IA32_TSC 0x10
#define MSR_IA32_APIC_BASE 0x1b
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_IA32_BIOS_SIGN_ID 0x8b	/* Intel: microcode update signature; AMD: PATCH_LEVEL */
#define MSR_IA32_TSC_ADJUST 0x3b
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_IA32_PAT 0x277
#define MSR_IA32_MTRRCAP 0xfe
#define MSR_IA32_MTRR_DEF_TYPE 0x2ff
#define MSR_IA32_TSC_DEADLINE 0x6e0
#define MSR_IA32_X2APIC_BASE 0x800

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
#define MSR_K8_INT_PENDING_MSG 0xc0010055

#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_NXE BIT(11)
#define EFER_SVME BIT(12)

#define APIC_BASE_BSP BIT(8)
#define APIC_BASE_X2APIC BIT(10)
#define APIC_BASE_ENABLE BIT(11)
#define APIC_BASE_ADDRESS_MASK 0x000ffffffffff000ULL

#endif
