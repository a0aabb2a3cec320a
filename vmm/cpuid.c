/* SPDX-License-Identifier: MIT */
/*
 * The CPUID policy. Features are passed through only when the guest can use them without help
 * Vireo does not give yet: no VMX/SVM (no nesting), a local APIC (with x2APIC and the
 * TSC-deadline timer) only for VMs that have one (vmm/vcpu_lapic.h), no PAT, MTRRs or machine
 * checks (their MSRs are not emulated), no XSAVE/AVX (XCR0 is not switched), no RDTSCP
 * (TSC_AUX is the host's), no MONITOR/MWAIT, one logical processor per package. Pure.
 */
#include "vmm/cpuid.h"
#include "vmm/guest_abi.h"

/* Leaf 1 ECX bits kept: SSE3, PCLMULQDQ, SSSE3, CX16, SSE4.1, SSE4.2, MOVBE, POPCNT, AES, RDRAND. */
#define LEAF1_ECX_KEEP (BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | BIT(22) | \
			BIT(23) | BIT(25) | BIT(30))
#define LEAF1_ECX_HYPERVISOR BIT(31)
#define LEAF1_ECX_X2APIC BIT(21)
#define LEAF1_ECX_TSC_DEADLINE BIT(24)
#define LEAF1_EDX_APIC BIT(9)
/* Leaf 1 EDX bits kept: FPU VME DE PSE TSC MSR PAE CX8 SEP PGE CMOV PSE36 CLFSH MMX FXSR SSE SSE2. */
#define LEAF1_EDX_KEEP (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | \
			BIT(11) | BIT(13) | BIT(15) | BIT(17) | BIT(19) | BIT(23) | BIT(24) | \
			BIT(25) | BIT(26))
/* Leaf 7 EBX bits kept: FSGSBASE BMI1 SMEP BMI2 ERMS ADX SMAP CLFLUSHOPT CLWB SHA. */
#define LEAF7_EBX_KEEP (BIT(0) | BIT(3) | BIT(7) | BIT(8) | BIT(9) | BIT(19) | BIT(20) | \
			BIT(23) | BIT(24) | BIT(29))
/* Leaf 0x80000001 ECX: LAHF/SAHF, ABM/LZCNT, SSE4A, misaligned SSE, PREFETCHW. */
#define EXT1_ECX_KEEP (BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8))
/* Leaf 0x80000001 EDX: SYSCALL, NX, MMXEXT, FXSR_OPT, 1 GiB pages, LM, plus leaf 1's. */
#define EXT1_EDX_KEEP (LEAF1_EDX_KEEP | BIT(11) | BIT(20) | BIT(22) | BIT(25) | BIT(26) | \
		       BIT(29))
#define EXT7_EDX_INVARIANT_TSC BIT(8)

/* "VireoVireoVi" as CPUID returns it: four little-endian characters per register. */
#define SIGNATURE_EBX 0x65726956u	/* "Vire" */
#define SIGNATURE_ECX 0x7269566fu	/* "oVir" */
#define SIGNATURE_EDX 0x69566f65u	/* "eoVi" */

static void signature(struct cpuid_result *out)
{
	out->eax = VIREO_CPUID_INFO;
	out->ebx = SIGNATURE_EBX;
	out->ecx = SIGNATURE_ECX;
	out->edx = SIGNATURE_EDX;
}

/* KVM's leaves, "KVMKVMKVM\0\0\0": a guest looks for them every 0x100 leaves (Linux does). */
#define KVM_CPUID_SIGNATURE 0x40000100u
#define KVM_CPUID_FEATURES 0x40000101u
#define KVM_SIGNATURE_EBX 0x4b4d564bu	/* "KVMK" */
#define KVM_SIGNATURE_ECX 0x564b4d56u	/* "VMKV" */
#define KVM_SIGNATURE_EDX 0x0000004du	/* "M\0\0\0" */
/* The clock at the new MSRs, and its TSC-stable flag (Linux's kvm_para.h numbers). */
#define KVM_FEATURE_CLOCKSOURCE2 BIT(3)
#define KVM_FEATURE_CLOCKSOURCE_STABLE_BIT BIT(24)

static void kvm_leaf(u32 leaf, struct cpuid_result *out)
{
	if (leaf == KVM_CPUID_SIGNATURE)
		*out = (struct cpuid_result){ KVM_CPUID_FEATURES, KVM_SIGNATURE_EBX,
					      KVM_SIGNATURE_ECX, KVM_SIGNATURE_EDX };
	else
		out->eax = KVM_FEATURE_CLOCKSOURCE2 | KVM_FEATURE_CLOCKSOURCE_STABLE_BIT;
}

static void basic_leaf(u32 leaf, u32 subleaf, const struct cpuid_guest *g,
		       const struct cpuid_result *host, struct cpuid_result *out)
{
	switch (leaf) {
	case 0:
		*out = *host;
		out->eax = MIN(host->eax, CPUID_GUEST_MAX_BASIC);
		break;
	case 1:
		out->eax = host->eax;
		/* Brand index and CLFLUSH line size kept; one logical CPU; APIC ID = vCPU index. */
		out->ebx = (host->ebx & 0xffff) | (1u << 16) | (g->vcpu_id << 24);
		out->ecx = (host->ecx & LEAF1_ECX_KEEP) | LEAF1_ECX_HYPERVISOR;
		out->edx = host->edx & LEAF1_EDX_KEEP;
		if (g->lapic) {	/* emulated whatever the host has */
			out->ecx |= LEAF1_ECX_X2APIC | LEAF1_ECX_TSC_DEADLINE;
			out->edx |= LEAF1_EDX_APIC;
		}
		break;
	case 2:
		*out = *host;	/* cache descriptors */
		break;
	case 4:
		/* Cache parameters, shared by one thread in a one-core package. */
		*out = *host;
		out->eax &= 0x3fff;
		break;
	case 7:
		if (subleaf == 0)
			out->ebx = host->ebx & LEAF7_EBX_KEEP;
		break;
	default:
		break;	/* power, performance monitoring, topology, XSAVE: not offered */
	}
}

static void extended_leaf(u32 leaf, const struct cpuid_result *host, struct cpuid_result *out)
{
	switch (leaf) {
	case 0x80000000:
		*out = *host;
		out->eax = MIN(host->eax, CPUID_GUEST_MAX_EXTENDED);
		break;
	case 0x80000001:
		out->eax = host->eax;
		out->ecx = host->ecx & EXT1_ECX_KEEP;
		out->edx = host->edx & EXT1_EDX_KEEP;
		break;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
	case 0x80000005:
	case 0x80000006:
		*out = *host;	/* brand string, cache and TLB information */
		break;
	case 0x80000007:
		/*
		 * Invariant TSC, whatever the host says: a guest reads the host's TSC with no offset
		 * on any CPU, and Vireo's own clock already takes it to run at one constant rate
		 * (kernel/time.c). Without the bit, Linux marks the TSC of any non-Intel SMP machine
		 * unsynchronized, as on QEMU's models, which lack it (APM Vol. 3, E.4.7).
		 */
		out->edx = EXT7_EDX_INVARIANT_TSC;
		break;
	case 0x80000008:
		out->eax = host->eax & 0xffff;	/* physical and linear address sizes */
		break;
	default:
		break;
	}
}

void cpuid_guest_view(u32 leaf, u32 subleaf, const struct cpuid_guest *g,
		      const struct cpuid_result *host, struct cpuid_result *out)
{
	*out = (struct cpuid_result){ 0, 0, 0, 0 };
	if (leaf == VIREO_CPUID_BASE) {
		signature(out);
	} else if (leaf == VIREO_CPUID_INFO) {
		out->eax = VIREO_ABI_VERSION;
		out->ebx = g->vcpu_id;
		out->ecx = g->vm_id;
	} else if (g->kvmclock && (leaf == KVM_CPUID_SIGNATURE || leaf == KVM_CPUID_FEATURES)) {
		kvm_leaf(leaf, out);
	} else if (leaf <= CPUID_GUEST_MAX_BASIC) {
		basic_leaf(leaf, subleaf, g, host, out);
	} else if (leaf >= 0x80000000 && leaf <= CPUID_GUEST_MAX_EXTENDED) {
		extended_leaf(leaf, host, out);
	}
}
