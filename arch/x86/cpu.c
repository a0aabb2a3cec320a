/* SPDX-License-Identifier: MIT */
/* The CPU feature report, read from CPUID once on the boot CPU. */
#include "arch/x86/cpu.h"
#include "kernel/percpu.h"
#include "kernel/string.h"

struct cpu_features cpu_features;

/* The address of the RDMSR inside rdmsr_safe. */
extern const u8 rdmsr_safe_insn[];

bool rdmsr_safe(u32 msr, u64 *value)
{
	u32 lo = 0, hi = 0;

	this_cpu()->msr_probe_faulted = false;
	__asm__ volatile(".globl rdmsr_safe_insn\n"
			 "rdmsr_safe_insn: rdmsr" : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*value = (u64)hi << 32 | lo;
	return !this_cpu()->msr_probe_faulted;
}

bool rdmsr_safe_fixup(u64 *rip)
{
	if (*rip != (u64)rdmsr_safe_insn)
		return false;
	this_cpu()->msr_probe_faulted = true;
	*rip += 2;	/* RDMSR is 0F 32 */
	return true;
}

static void read_brand(struct cpu_features *f)
{
	u32 *out = (u32 *)f->brand;

	if (f->max_ext_leaf < 0x80000004) {
		str_copy(f->brand, "(no brand string)", sizeof(f->brand));
		return;
	}
	for (u32 leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
		struct cpuid_regs r = cpuid(leaf, 0);
		*out++ = r.eax;
		*out++ = r.ebx;
		*out++ = r.ecx;
		*out++ = r.edx;
	}
	f->brand[48] = '\0';
}

void cpu_features_init(void)
{
	struct cpu_features *f = &cpu_features;
	struct cpuid_regs r = cpuid(0, 0);
	u32 family;

	f->max_leaf = r.eax;
	memcpy(f->vendor + 0, &r.ebx, 4);
	memcpy(f->vendor + 4, &r.edx, 4);
	memcpy(f->vendor + 8, &r.ecx, 4);
	f->vendor[12] = '\0';
	f->intel = strcmp(f->vendor, "GenuineIntel") == 0;
	f->amd = strcmp(f->vendor, "AuthenticAMD") == 0;

	r = cpuid(1, 0);
	family = (r.eax >> 8) & 0xf;
	f->family = family == 0xf ? family + ((r.eax >> 20) & 0xff) : family;
	f->model = ((r.eax >> 4) & 0xf) | (family >= 6 ? ((r.eax >> 16) & 0xf) << 4 : 0);
	f->stepping = r.eax & 0xf;
	f->apic = r.edx & BIT(9);
	f->pge = r.edx & BIT(13);
	f->vmx = r.ecx & BIT(5);
	f->x2apic = r.ecx & BIT(21);
	f->tsc_deadline = r.ecx & BIT(24);
	f->hypervisor = r.ecx & BIT(31);

	f->max_ext_leaf = cpuid(0x80000000, 0).eax;
	if (f->max_ext_leaf >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		f->svm = r.ecx & BIT(2);
		f->nx = r.edx & BIT(20);
		f->pdpe1gb = r.edx & BIT(26);
	}
	if (f->max_ext_leaf >= 0x80000007)
		f->invariant_tsc = cpuid(0x80000007, 0).edx & BIT(8);
	f->phys_addr_bits = 36;
	if (f->max_ext_leaf >= 0x80000008)
		f->phys_addr_bits = cpuid(0x80000008, 0).eax & 0xff;
	read_brand(f);
}

void cpu_init_this(void)
{
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}
