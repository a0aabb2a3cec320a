/* SPDX-License-Identifier: MIT */
/* Host unit tests of the CPUID policy: the guest's view of fabricated host answers. */
#include "tests/unit/unit.h"
#include "vmm/cpuid.h"
#include "vmm/guest_abi.h"

enum reg { EAX, EBX, ECX, EDX };

static const char *const reg_names[] = { "EAX", "EBX", "ECX", "EDX" };

static const struct cpuid_result all_zeros = { 0, 0, 0, 0 };
static const struct cpuid_result all_ones = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };

/* Host answers of different shapes, for properties that must hold whatever the host says. */
static const struct cpuid_result host_patterns[] = {
	{ 0, 0, 0, 0 },
	{ 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
	{ 0x55555555, 0x55555555, 0x55555555, 0x55555555 },
	{ 0xaaaaaaaa, 0xaaaaaaaa, 0xaaaaaaaa, 0xaaaaaaaa },
	{ 0x000906ea, 0x0c100800, 0x7ffafbff, 0xbfebfbff },	/* an Intel leaf 1 */
	{ 0x00a20f12, 0x0a100800, 0x7ef8320b, 0x178bfbff },	/* an AMD leaf 1 */
};

static const struct cpuid_guest guest0 = { .vcpu_id = 0, .vm_id = 1 };

static u32 reg_of(const struct cpuid_result *r, enum reg reg)
{
	switch (reg) {
	case EAX: return r->eax;
	case EBX: return r->ebx;
	case ECX: return r->ecx;
	default: return r->edx;
	}
}

/* The guest's answer; the output starts as junk, so every register must be written. */
static struct cpuid_result view(u32 leaf, u32 subleaf, const struct cpuid_guest *g,
				const struct cpuid_result *host)
{
	struct cpuid_result out;

	memset(&out, 0xa5, sizeof(out));
	cpuid_guest_view(leaf, subleaf, g, host, &out);
	return out;
}

static void assert_result(u32 leaf, u32 subleaf, const struct cpuid_result *got,
			  const struct cpuid_result *want)
{
	if (memcmp(got, want, sizeof(*got)) != 0)
		fail_msg("leaf 0x%x.%u: got %08x %08x %08x %08x, want %08x %08x %08x %08x",
			 leaf, subleaf, got->eax, got->ebx, got->ecx, got->edx, want->eax,
			 want->ebx, want->ecx, want->edx);
}

static void test_base_hypervisor_leaf_gives_the_signature(void **state)
{
	static const u32 subleaves[] = { 0, 1, 0xffffffff };
	(void)state;

	for (size_t h = 0; h < ARRAY_SIZE(host_patterns); h++) {
		for (size_t s = 0; s < ARRAY_SIZE(subleaves); s++) {
			struct cpuid_result r = view(VIREO_CPUID_BASE, subleaves[s], &guest0,
						     &host_patterns[h]);
			char sig[12];

			assert_int_equal(r.eax, 0x40000001);
			assert_int_equal(r.eax, VIREO_CPUID_INFO);
			memcpy(sig, &r.ebx, 4);
			memcpy(sig + 4, &r.ecx, 4);
			memcpy(sig + 8, &r.edx, 4);
			assert_memory_equal(sig, "VireoVireoVi", sizeof(sig));
			assert_memory_equal(sig, VIREO_CPUID_SIGNATURE, sizeof(sig));
		}
	}
}

static void test_info_leaf_gives_abi_version_vcpu_and_vm(void **state)
{
	static const struct cpuid_guest guests[] = {
		{ 0, 0, false, false }, { 0, 1, false, false }, { 3, 7, false, false },
		{ 255, 65535, false, false }, { 0xffffffff, 0xfffffffe, false, true },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(guests); i++) {
		for (size_t h = 0; h < ARRAY_SIZE(host_patterns); h++) {
			struct cpuid_result r = view(VIREO_CPUID_INFO, 0, &guests[i],
						     &host_patterns[h]);
			struct cpuid_result want = {
				VIREO_ABI_VERSION, guests[i].vcpu_id, guests[i].vm_id, 0
			};

			assert_result(VIREO_CPUID_INFO, 0, &r, &want);
		}
	}
	assert_int_equal(VIREO_ABI_VERSION, 1);
}

static void test_hypervisor_leaves_past_the_info_leaf_are_zero(void **state)
{
	static const u32 leaves[] = {
		0x40000002, 0x40000003, 0x40000010, 0x40000100, 0x40000101, 0x4fffffff,
		0x3fffffff,
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		struct cpuid_result r = view(leaves[i], 0, &guest0, &all_ones);

		assert_result(leaves[i], 0, &r, &all_zeros);
	}
}

static void test_leaf0_caps_the_basic_max_and_keeps_the_vendor(void **state)
{
	static const struct {
		struct cpuid_result host;
		u32 max;
		const char *vendor;	/* EBX, EDX, ECX */
	} cases[] = {
		{ { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 }, 7, "GenuineIntel" },
		{ { 0x10, 0x68747541, 0x444d4163, 0x69746e65 }, 7, "AuthenticAMD" },
		{ { 0x7, 0x68747541, 0x444d4163, 0x69746e65 }, 7, "AuthenticAMD" },
		/* A host offering fewer leaves is not made to offer more. */
		{ { 0x5, 0x756e6547, 0x6c65746e, 0x49656e69 }, 5, "GenuineIntel" },
		{ { 0x1, 0x756e6547, 0x6c65746e, 0x49656e69 }, 1, "GenuineIntel" },
		{ { 0xffffffff, 0x756e6547, 0x6c65746e, 0x49656e69 }, 7, "GenuineIntel" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(0, 0, &guest0, &cases[i].host);
		char vendor[12];

		assert_int_equal(r.eax, cases[i].max);
		assert_true(r.eax <= CPUID_GUEST_MAX_BASIC);
		memcpy(vendor, &r.ebx, 4);
		memcpy(vendor + 4, &r.edx, 4);
		memcpy(vendor + 8, &r.ecx, 4);
		assert_memory_equal(vendor, cases[i].vendor, sizeof(vendor));
	}
}

/* One feature bit and what the policy does with it, for a host that has every feature. */
struct bit_case {
	u32 leaf, subleaf;
	enum reg reg;
	u8 bit;
	bool kept;
	const char *name;
};

static void test_feature_bits_follow_the_documented_policy(void **state)
{
	static const struct bit_case cases[] = {
		/* Leaf 1 ECX. */
		{ 1, 0, ECX, 31, true, "hypervisor present" },
		{ 1, 0, ECX, 5, false, "VMX (no nesting)" },
		{ 1, 0, ECX, 6, false, "SMX" },
		{ 1, 0, ECX, 3, false, "MONITOR/MWAIT" },
		{ 1, 0, ECX, 21, false, "x2APIC" },
		{ 1, 0, ECX, 24, false, "TSC-deadline (no local APIC)" },
		{ 1, 0, ECX, 26, false, "XSAVE" },
		{ 1, 0, ECX, 27, false, "OSXSAVE" },
		{ 1, 0, ECX, 28, false, "AVX" },
		{ 1, 0, ECX, 12, false, "FMA (AVX state)" },
		{ 1, 0, ECX, 29, false, "F16C (AVX state)" },
		{ 1, 0, ECX, 7, false, "EIST (power MSRs)" },
		{ 1, 0, ECX, 0, true, "SSE3" },
		{ 1, 0, ECX, 1, true, "PCLMULQDQ" },
		{ 1, 0, ECX, 9, true, "SSSE3" },
		{ 1, 0, ECX, 13, true, "CX16" },
		{ 1, 0, ECX, 19, true, "SSE4.1" },
		{ 1, 0, ECX, 20, true, "SSE4.2" },
		{ 1, 0, ECX, 22, true, "MOVBE" },
		{ 1, 0, ECX, 23, true, "POPCNT" },
		{ 1, 0, ECX, 25, true, "AES" },
		{ 1, 0, ECX, 30, true, "RDRAND" },
		/* Leaf 1 EDX. */
		{ 1, 0, EDX, 9, false, "APIC" },
		{ 1, 0, EDX, 12, false, "MTRR" },
		{ 1, 0, EDX, 7, false, "MCE" },
		{ 1, 0, EDX, 14, false, "MCA" },
		{ 1, 0, EDX, 16, false, "PAT" },
		{ 1, 0, EDX, 28, false, "HTT (one logical processor)" },
		{ 1, 0, EDX, 0, true, "FPU" },
		{ 1, 0, EDX, 4, true, "TSC" },
		{ 1, 0, EDX, 5, true, "MSR" },
		{ 1, 0, EDX, 6, true, "PAE" },
		{ 1, 0, EDX, 8, true, "CX8" },
		{ 1, 0, EDX, 15, true, "CMOV" },
		{ 1, 0, EDX, 24, true, "FXSR" },
		{ 1, 0, EDX, 25, true, "SSE" },
		{ 1, 0, EDX, 26, true, "SSE2" },
		/* Leaf 7.0 EBX. */
		{ 7, 0, EBX, 0, true, "FSGSBASE" },
		{ 7, 0, EBX, 3, true, "BMI1" },
		{ 7, 0, EBX, 7, true, "SMEP" },
		{ 7, 0, EBX, 8, true, "BMI2" },
		{ 7, 0, EBX, 9, true, "ERMS" },
		{ 7, 0, EBX, 19, true, "ADX" },
		{ 7, 0, EBX, 20, true, "SMAP" },
		{ 7, 0, EBX, 23, true, "CLFLUSHOPT" },
		{ 7, 0, EBX, 24, true, "CLWB" },
		{ 7, 0, EBX, 29, true, "SHA" },
		{ 7, 0, EBX, 5, false, "AVX2" },
		{ 7, 0, EBX, 16, false, "AVX512F" },
		{ 7, 0, EBX, 14, false, "MPX (XSAVE state)" },
		{ 7, 0, EBX, 1, false, "TSC_ADJUST (an MSR)" },
		{ 7, 0, EBX, 2, false, "SGX" },
		{ 7, 0, EBX, 4, false, "HLE" },
		{ 7, 0, EBX, 11, false, "RTM" },
		{ 7, 0, ECX, 22, false, "RDPID (reads TSC_AUX)" },
		{ 7, 0, ECX, 3, false, "PKU (XSAVE state)" },
		{ 7, 0, EDX, 26, false, "IBRS (an MSR)" },
		/* Leaf 0x80000001. */
		{ 0x80000001, 0, ECX, 2, false, "SVM (no nesting)" },
		{ 0x80000001, 0, ECX, 1, false, "CmpLegacy (one logical processor)" },
		{ 0x80000001, 0, ECX, 3, false, "extended APIC space" },
		{ 0x80000001, 0, ECX, 11, false, "XOP (AVX state)" },
		{ 0x80000001, 0, ECX, 16, false, "FMA4 (AVX state)" },
		{ 0x80000001, 0, ECX, 22, false, "topology extensions" },
		{ 0x80000001, 0, ECX, 29, false, "MONITORX" },
		{ 0x80000001, 0, ECX, 0, true, "LAHF/SAHF" },
		{ 0x80000001, 0, ECX, 5, true, "ABM/LZCNT" },
		{ 0x80000001, 0, ECX, 8, true, "PREFETCHW" },
		{ 0x80000001, 0, EDX, 27, false, "RDTSCP" },
		{ 0x80000001, 0, EDX, 9, false, "APIC (AMD's copy)" },
		{ 0x80000001, 0, EDX, 12, false, "MTRR (AMD's copy)" },
		{ 0x80000001, 0, EDX, 16, false, "PAT (AMD's copy)" },
		{ 0x80000001, 0, EDX, 7, false, "MCE (AMD's copy)" },
		{ 0x80000001, 0, EDX, 14, false, "MCA (AMD's copy)" },
		{ 0x80000001, 0, EDX, 29, true, "LM" },
		{ 0x80000001, 0, EDX, 20, true, "NX" },
		{ 0x80000001, 0, EDX, 11, true, "SYSCALL" },
		{ 0x80000001, 0, EDX, 26, true, "1 GiB pages" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bit_case *c = &cases[i];
		struct cpuid_result r = view(c->leaf, c->subleaf, &guest0, &all_ones);
		bool set = reg_of(&r, c->reg) & BIT(c->bit);

		if (set != c->kept)
			fail_msg("leaf 0x%x.%u %s bit %u (%s): %s, want %s", c->leaf, c->subleaf,
				 reg_names[c->reg], c->bit, c->name, set ? "set" : "clear",
				 c->kept ? "set" : "clear");
	}
}

/*
 * The features named in the policy comment of vmm/cpuid.c, and nothing else: a host that
 * claims every bit gets exactly these.
 */
#define DOC_LEAF1_ECX (BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(19) | BIT(20) | BIT(22) | \
		       BIT(23) | BIT(25) | BIT(30) | BIT(31))
#define DOC_LEAF1_EDX (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | \
		       BIT(11) | BIT(13) | BIT(15) | BIT(17) | BIT(19) | BIT(23) | BIT(24) | \
		       BIT(25) | BIT(26))
#define DOC_LEAF7_EBX (BIT(0) | BIT(3) | BIT(7) | BIT(8) | BIT(9) | BIT(19) | BIT(20) | \
		       BIT(23) | BIT(24) | BIT(29))
#define DOC_EXT1_ECX (BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8))
#define DOC_EXT1_EDX (DOC_LEAF1_EDX | BIT(11) | BIT(20) | BIT(22) | BIT(25) | BIT(26) | BIT(29))

static void test_a_host_with_every_feature_gets_exactly_the_documented_ones(void **state)
{
	static const struct {
		u32 leaf, subleaf;
		struct cpuid_result want;
	} cases[] = {
		{ 1, 0, { 0xffffffff, 0x0001ffff, DOC_LEAF1_ECX, DOC_LEAF1_EDX } },
		{ 7, 0, { 0, DOC_LEAF7_EBX, 0, 0 } },
		{ 0x80000001, 0, { 0xffffffff, 0, DOC_EXT1_ECX, DOC_EXT1_EDX } },
		{ 0x80000007, 0, { 0, 0, 0, BIT(8) } },	/* invariant TSC only */
		{ 0x80000008, 0, { 0xffff, 0, 0, 0 } },	/* address sizes only */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(cases[i].leaf, cases[i].subleaf, &guest0, &all_ones);

		assert_result(cases[i].leaf, cases[i].subleaf, &r, &cases[i].want);
	}
}

static void test_feature_leaves_never_invent_host_features(void **state)
{
	static const u32 leaves[] = { 1, 7, 0x80000001, 0x80000007, 0x80000008 };
	(void)state;

	for (size_t l = 0; l < ARRAY_SIZE(leaves); l++) {
		for (size_t h = 0; h < ARRAY_SIZE(host_patterns); h++) {
			const struct cpuid_result *host = &host_patterns[h];
			struct cpuid_result r = view(leaves[l], 0, &guest0, host);
			/*
			 * Leaf 1 adds the hypervisor bit (its EBX is the topology, not features), and
			 * 0x80000007 the invariant TSC, which Vireo's clock already assumes.
			 */
			u32 extra_ecx = leaves[l] == 1 ? BIT(31) : 0;
			u32 extra_edx = leaves[l] == 0x80000007 ? BIT(8) : 0;

			if ((r.ecx & ~host->ecx & ~extra_ecx) || (r.edx & ~host->edx & ~extra_edx) ||
			    (leaves[l] != 1 && (r.ebx & ~host->ebx)))
				fail_msg("leaf 0x%x, host %08x %08x %08x %08x: guest gets %08x "
					 "%08x %08x", leaves[l], host->eax, host->ebx, host->ecx,
					 host->edx, r.ebx, r.ecx, r.edx);
			if (leaves[l] == 1)
				assert_true(r.ecx & BIT(31));
			if (leaves[l] == 0x80000007)
				assert_int_equal(r.edx, BIT(8));
		}
	}
}

static void test_leaf1_keeps_the_signature_and_reports_one_logical_cpu(void **state)
{
	static const struct {
		u32 host_ebx;
		u32 vcpu_id;
		u32 want_ebx;
	} cases[] = {
		/* Brand index and CLFLUSH size kept; 16 logical CPUs and APIC ID 12 replaced. */
		{ 0x0c100800, 0, 0x00010800 },
		{ 0x0c100800, 3, 0x03010800 },
		{ 0x00000000, 1, 0x01010000 },
		{ 0xffffffff, 0, 0x0001ffff },
		{ 0xffffffff, 255, 0xff01ffff },
		{ 0x02080801, 0x2a, 0x2a010801 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result host = { 0x000906ea, cases[i].host_ebx, 0, 0 };
		struct cpuid_guest g = { .vcpu_id = cases[i].vcpu_id, .vm_id = 9 };
		struct cpuid_result r = view(1, 0, &g, &host);

		assert_int_equal(r.eax, 0x000906ea);	/* family, model, stepping */
		if (r.ebx != cases[i].want_ebx)
			fail_msg("host EBX %08x, vCPU %u: got %08x, want %08x", cases[i].host_ebx,
				 cases[i].vcpu_id, r.ebx, cases[i].want_ebx);
		assert_int_equal(r.ebx >> 24, cases[i].vcpu_id);
		assert_int_equal((r.ebx >> 16) & 0xff, 1);
	}
}

static void test_leaf1_of_real_hosts(void **state)
{
	static const struct {
		struct cpuid_result host;
		struct cpuid_result want;
	} cases[] = {
		/* Intel Coffee Lake. */
		{ { 0x000906ea, 0x0c100800, 0x7ffafbff, 0xbfebfbff },
		  { 0x000906ea, 0x00010800, 0xc2d82203, 0x078aa97f } },
		/* AMD Zen 3. */
		{ { 0x00a20f12, 0x0a100800, 0x7ef8320b, 0x178bfbff },
		  { 0x00a20f12, 0x00010800, 0xc2d82203, 0x078aa97f } },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(1, 0, &guest0, &cases[i].host);

		assert_result(1, 0, &r, &cases[i].want);
	}
}

static void test_leaf7_subleaf0_keeps_only_whitelisted_ebx(void **state)
{
	static const struct {
		struct cpuid_result host;
		u32 want_ebx;
	} cases[] = {
		/* A Skylake-SP-like host: AVX2, AVX-512, HLE, RTM, MPX... dropped. */
		{ { 0, 0xd19ffffb, 0x00000008, 0xbc000400 }, 0x01980389 },
		{ { 2, 0xffffffff, 0xffffffff, 0xffffffff }, DOC_LEAF7_EBX },
		{ { 1, 0x00000000, 0xffffffff, 0xffffffff }, 0 },
		{ { 0, 0x219c91a9, 0x00400004, 0x00000000 }, 0x21980189 },	/* Zen 2 */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(7, 0, &guest0, &cases[i].host);
		struct cpuid_result want = { 0, cases[i].want_ebx, 0, 0 };

		assert_result(7, 0, &r, &want);
	}
}

static void test_leaf7_other_subleaves_are_zero(void **state)
{
	static const u32 subleaves[] = { 1, 2, 3, 0xffffffff };
	(void)state;

	for (size_t s = 0; s < ARRAY_SIZE(subleaves); s++) {
		for (size_t h = 0; h < ARRAY_SIZE(host_patterns); h++) {
			struct cpuid_result r = view(7, subleaves[s], &guest0, &host_patterns[h]);

			assert_result(7, subleaves[s], &r, &all_zeros);
		}
	}
}

static void test_cache_leaves_describe_one_thread_in_one_core(void **state)
{
	static const struct cpuid_result l2 = { 0x00feff01, 0x000000f0, 0, 0x00c30000 };
	/* An L3 shared by 16 threads in an 8-core package. */
	static const struct cpuid_result l4 = { 0x1c03c163, 0x03c0003f, 0x00003fff, 0x00000006 };
	struct cpuid_result r, want;
	(void)state;

	r = view(2, 0, &guest0, &l2);
	assert_result(2, 0, &r, &l2);

	r = view(4, 3, &guest0, &l4);
	want = l4;
	want.eax = 0x00000163;	/* sharing and core counts: zero, i.e. one */
	assert_result(4, 3, &r, &want);

	r = view(4, 0, &guest0, &all_ones);
	want = all_ones;
	want.eax = 0x3fff;
	assert_result(4, 0, &r, &want);
}

static void test_leaves_not_offered_are_zero(void **state)
{
	/* Below the cap but not offered (PSN, MONITOR, power), then above the cap. */
	static const u32 leaves[] = {
		3, 5, 6, 8, 9, 0xa, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x15, 0x16, 0x1f, 0x20,
		0x1000, 0x3fffffff,
	};
	static const u32 subleaves[] = { 0, 1 };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		for (size_t s = 0; s < ARRAY_SIZE(subleaves); s++) {
			struct cpuid_result r = view(leaves[i], subleaves[s], &guest0, &all_ones);

			assert_result(leaves[i], subleaves[s], &r, &all_zeros);
		}
	}
}

static void test_extended_max_leaf_is_capped(void **state)
{
	static const struct {
		struct cpuid_result host;
		u32 want;
	} cases[] = {
		{ { 0x80000021, 0x68747541, 0x444d4163, 0x69746e65 }, 0x80000008 },
		{ { 0x80000008, 0, 0, 0 }, 0x80000008 },
		{ { 0x80000004, 0, 0, 0 }, 0x80000004 },
		{ { 0xffffffff, 0x68747541, 0x444d4163, 0x69746e65 }, 0x80000008 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(0x80000000, 0, &guest0, &cases[i].host);

		assert_int_equal(r.eax, cases[i].want);
		assert_true(r.eax <= CPUID_GUEST_MAX_EXTENDED);
		/* AMD repeats its vendor string here. */
		assert_int_equal(r.ebx, cases[i].host.ebx);
		assert_int_equal(r.ecx, cases[i].host.ecx);
		assert_int_equal(r.edx, cases[i].host.edx);
	}
}

static void test_ext1_drops_svm_and_rdtscp_keeps_long_mode_and_nx(void **state)
{
	static const struct {
		struct cpuid_result host;
		struct cpuid_result want;
	} cases[] = {
		/* AMD Zen 3. */
		{ { 0x00a20f12, 0x20000000, 0x75c237ff, 0x2fd3fbff },
		  { 0x00a20f12, 0, 0x000001e1, 0x27d2a97f } },
		/* Intel: LAHF, LZCNT, PREFETCHW; SYSCALL, NX, 1 GiB pages, RDTSCP, LM. */
		{ { 0, 0, 0x00000121, 0x2c100800 },
		  { 0, 0, 0x00000121, 0x24100800 } },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(0x80000001, 0, &guest0, &cases[i].host);

		assert_result(0x80000001, 0, &r, &cases[i].want);
		assert_false(r.ecx & BIT(2));
		assert_false(r.edx & BIT(27));
		assert_true(r.edx & BIT(29));
		assert_true(r.edx & BIT(20));
	}
}

static void test_brand_and_cache_leaves_pass_through(void **state)
{
	static const char brand[48] = "Fabricated(R) Test Processor 9000 @ 3.14GHz";
	char got[48];
	(void)state;

	for (u32 i = 0; i < 3; i++) {
		struct cpuid_result host, r;

		memcpy(&host, brand + 16 * i, 16);
		r = view(0x80000002 + i, 0, &guest0, &host);
		assert_result(0x80000002 + i, 0, &r, &host);
		memcpy(got + 16 * i, &r, 16);
	}
	assert_memory_equal(got, brand, sizeof(got));

	for (u32 leaf = 0x80000005; leaf <= 0x80000006; leaf++) {
		static const struct cpuid_result tlb = { 0xff40ff40, 0xff40ff40, 0x20080140,
							 0x20080140 };
		struct cpuid_result r = view(leaf, 0, &guest0, &tlb);

		assert_result(leaf, 0, &r, &tlb);
	}
}

static void test_ext8_keeps_only_the_address_sizes(void **state)
{
	static const struct {
		struct cpuid_result host;
		u32 want_eax;
	} cases[] = {
		{ { 0x00003030, 0x0000f000, 0x00007007, 0 }, 0x3030 },	/* 48-bit, 8 cores */
		{ { 0x00303027, 0x01003fff, 0x0000400f, 0 }, 0x3027 },	/* guest size field set */
		{ { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, 0xffff },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cpuid_result r = view(0x80000008, 0, &guest0, &cases[i].host);
		struct cpuid_result want = { cases[i].want_eax, 0, 0, 0 };

		assert_result(0x80000008, 0, &r, &want);
	}
}

static void test_leaves_outside_every_range_are_zero(void **state)
{
	static const u32 leaves[] = {
		0x80000009, 0x8000000a, 0x80000019, 0x8000001e, 0x8000001f, 0x80000021,
		0x8fffffff, 0x20000000, 0x50000000, 0x7fffffff, 0xc0000000, 0xc0000001,
		0xffffffff,
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		for (size_t h = 0; h < ARRAY_SIZE(host_patterns); h++) {
			struct cpuid_result r = view(leaves[i], 0, &guest0, &host_patterns[h]);

			assert_result(leaves[i], 0, &r, &all_zeros);
		}
	}
}

static void test_answers_do_not_depend_on_the_subleaf_where_there_is_none(void **state)
{
	static const u32 leaves[] = {
		0, 1, 2, 0x80000000, 0x80000001, 0x80000002, 0x80000008, VIREO_CPUID_BASE,
		VIREO_CPUID_INFO,
	};
	static const struct cpuid_result host = { 0x80000008, 0x0c100800, 0x7ffafbff,
						  0xbfebfbff };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
		struct cpuid_result r0 = view(leaves[i], 0, &guest0, &host);
		struct cpuid_result r5 = view(leaves[i], 5, &guest0, &host);

		assert_result(leaves[i], 5, &r5, &r0);
	}
}

/* A VM with local APICs is told of the APIC, x2APIC and the TSC-deadline timer, whatever the
 * host has; one without is told of none of them, whatever the host has. */
static void test_leaf1_offers_the_apic_only_with_one(void **state)
{
	static const struct cpuid_result bare = { 0x000906ea, 0, 0, 0 };
	const struct cpuid_guest with = { .vcpu_id = 2, .vm_id = 1, .lapic = true };
	struct cpuid_result out;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(host_patterns); i++) {
		out = view(1, 0, &guest0, &host_patterns[i]);
		assert_false(out.edx & BIT(9));
		assert_false(out.ecx & (BIT(21) | BIT(24)));
	}
	out = view(1, 0, &with, &bare);
	assert_true(out.edx & BIT(9));
	assert_true(out.ecx & BIT(21));
	assert_true(out.ecx & BIT(24));
	EXPECT_EQ(out.ebx >> 24, 2);
}

/* With the kvmclock device, KVM's signature and clock bits at 0x40000100; Vireo's stay put. */
static void test_kvm_leaves_only_with_the_kvmclock_device(void **state)
{
	static const struct cpuid_result signature = { 0x40000101, 0x4b4d564b, 0x564b4d56, 0x4d };
	static const struct cpuid_result features = { BIT(3) | BIT(24), 0, 0, 0 };
	const struct cpuid_guest with = { .vcpu_id = 0, .vm_id = 1, .kvmclock = true };
	struct cpuid_result out;
	char text[13];

	(void)state;
	out = view(0x40000100, 0, &with, &all_ones);
	assert_result(0x40000100, 0, &out, &signature);
	memcpy(text, &out.ebx, 4);
	memcpy(text + 4, &out.ecx, 4);
	memcpy(text + 8, &out.edx, 4);
	text[12] = 0;
	assert_string_equal(text, "KVMKVMKVM");
	out = view(0x40000101, 0, &with, &all_ones);
	assert_result(0x40000101, 0, &out, &features);
	out = view(VIREO_CPUID_BASE, 0, &with, &all_ones);
	EXPECT_EQ(out.ebx, view(VIREO_CPUID_BASE, 0, &guest0, &all_ones).ebx);
	for (u32 leaf = 0x40000102; leaf < 0x40000110; leaf++) {
		out = view(leaf, 0, &with, &all_ones);
		assert_result(leaf, 0, &out, &all_zeros);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_hypervisor_leaf_gives_the_signature),
		cmocka_unit_test(test_info_leaf_gives_abi_version_vcpu_and_vm),
		cmocka_unit_test(test_hypervisor_leaves_past_the_info_leaf_are_zero),
		cmocka_unit_test(test_leaf0_caps_the_basic_max_and_keeps_the_vendor),
		cmocka_unit_test(test_feature_bits_follow_the_documented_policy),
		cmocka_unit_test(test_a_host_with_every_feature_gets_exactly_the_documented_ones),
		cmocka_unit_test(test_feature_leaves_never_invent_host_features),
		cmocka_unit_test(test_leaf1_keeps_the_signature_and_reports_one_logical_cpu),
		cmocka_unit_test(test_leaf1_of_real_hosts),
		cmocka_unit_test(test_leaf7_subleaf0_keeps_only_whitelisted_ebx),
		cmocka_unit_test(test_leaf7_other_subleaves_are_zero),
		cmocka_unit_test(test_cache_leaves_describe_one_thread_in_one_core),
		cmocka_unit_test(test_leaves_not_offered_are_zero),
		cmocka_unit_test(test_extended_max_leaf_is_capped),
		cmocka_unit_test(test_ext1_drops_svm_and_rdtscp_keeps_long_mode_and_nx),
		cmocka_unit_test(test_brand_and_cache_leaves_pass_through),
		cmocka_unit_test(test_ext8_keeps_only_the_address_sizes),
		cmocka_unit_test(test_leaves_outside_every_range_are_zero),
		cmocka_unit_test(test_answers_do_not_depend_on_the_subleaf_where_there_is_none),
		cmocka_unit_test(test_leaf1_offers_the_apic_only_with_one),
		cmocka_unit_test(test_kvm_leaves_only_with_the_kvmclock_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
