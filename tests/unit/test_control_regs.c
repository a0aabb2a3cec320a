/* SPDX-License-Identifier: MIT */
/* Tests of the control-register and EFER write rules guests see on both vendors. */
#include "tests/unit/unit.h"
#include "vmm/control_regs.h"

#include <stdio.h>

#define CR0_REAL (X86_CR0_ET)
#define CR0_PROT (X86_CR0_PE | X86_CR0_ET | X86_CR0_NE)
#define CR0_PAGED (CR0_PROT | X86_CR0_PG)
#define WRITABLE_EFER (EFER_SCE | EFER_LME | EFER_NXE)

/* The states guests are found in: real mode, 32-bit protected, paged, 64-bit, compatibility. */
static const struct cr_state real_mode = { CR0_REAL, 0, 0, 0, false };
static const struct cr_state protected_mode = { CR0_PROT, 0, 0, 0, false };
static const struct cr_state paged32 = { CR0_PAGED, 0x1000, X86_CR4_PSE, 0, false };
static const struct cr_state long64 = { CR0_PAGED, 0x1000, X86_CR4_PAE,
					EFER_LME | EFER_LMA, true };
static const struct cr_state compat = { CR0_PAGED, 0x1000, X86_CR4_PAE,
					EFER_LME | EFER_LMA, false };
static const struct cr_state lme_unpaged = { CR0_PROT, 0x1000, X86_CR4_PAE, EFER_LME, false };

struct cr_case {
	const char *name;
	const struct cr_state *s;
	u64 value;
	bool valid;
};

static void test_cr0_writes_are_checked_as_the_cpu_checks_them(void **state)
{
	const struct cr_case cases[] = {
		{ "real to protected", &real_mode, CR0_PROT, true },
		{ "protected to paged", &protected_mode, CR0_PAGED, true },
		{ "paged to protected", &paged32, CR0_PROT, true },
		{ "caches off, CD and NW", &protected_mode, CR0_PROT | X86_CR0_CD | X86_CR0_NW, true },
		{ "CD alone", &protected_mode, CR0_PROT | X86_CR0_CD, true },
		{ "NW without CD", &protected_mode, CR0_PROT | X86_CR0_NW, false },
		{ "PG without PE", &real_mode, CR0_REAL | X86_CR0_PG, false },
		{ "PG without PE, NE flipped", &paged32, (CR0_PAGED & ~X86_CR0_PE) ^ X86_CR0_NE,
		  false },
		{ "bit 32", &protected_mode, CR0_PROT | BIT(32), false },
		{ "bit 63", &long64, CR0_PAGED | BIT(63), false },
		{ "reserved low bits are ignored", &protected_mode, CR0_PROT | BIT(20), true },
		{ "IA-32e on from compatibility code", &lme_unpaged, CR0_PAGED, true },
		{ "IA-32e on without PAE", &(struct cr_state){ CR0_PROT, 0, 0, EFER_LME, false },
		  CR0_PAGED, false },
		{ "IA-32e on from 64-bit code",
		  &(struct cr_state){ CR0_PROT, 0, X86_CR4_PAE, EFER_LME, true }, CR0_PAGED, false },
		{ "paging off in 64-bit mode", &long64, CR0_PROT, false },
		{ "paging off in compatibility mode", &compat, CR0_PROT, true },
		{ "paging off with PCIDE", &(struct cr_state){ CR0_PAGED, 0, X86_CR4_PAE |
		  X86_CR4_PCIDE, EFER_LME | EFER_LMA, false }, CR0_PROT, false },
		{ "TS and WP in 64-bit mode", &long64, CR0_PAGED | X86_CR0_TS | X86_CR0_WP, true },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(unit_label, sizeof(unit_label), "CR0: %s", cases[i].name);
		EXPECT_EQ(cr0_write_valid(cases[i].s, cases[i].value), cases[i].valid);
	}
}

static void test_cr0_keeps_et_and_drops_reserved_bits(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "cr0_written");
	EXPECT_EQ(cr0_written(X86_CR0_PE), X86_CR0_PE | X86_CR0_ET);
	EXPECT_EQ(cr0_written(CR0_PAGED | BIT(6) | BIT(17) | BIT(28)), CR0_PAGED);
	EXPECT_EQ(cr0_written(CR0_PAGED | X86_CR0_AM | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS),
		  CR0_PAGED | X86_CR0_AM | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS);
}

/* What the guest's CPUID offers decides the CR4 bits it may set. */
struct cr4_feature {
	u32 leaf1_ecx, leaf1_edx, leaf7_ebx, leaf7_ecx;
	u64 cr4;
};

static void test_cr4_bits_follow_the_guest_cpuid(void **state)
{
	static const struct cr4_feature features[] = {
		{ 0, BIT(1), 0, 0, X86_CR4_VME | X86_CR4_PVI },
		{ 0, BIT(2), 0, 0, X86_CR4_DE },
		{ 0, BIT(3), 0, 0, X86_CR4_PSE },
		{ 0, BIT(4), 0, 0, X86_CR4_TSD },
		{ 0, BIT(6), 0, 0, X86_CR4_PAE },
		{ 0, BIT(7), 0, 0, X86_CR4_MCE },
		{ 0, BIT(13), 0, 0, X86_CR4_PGE },
		{ 0, BIT(24), 0, 0, X86_CR4_OSFXSR },
		{ 0, BIT(25), 0, 0, X86_CR4_OSXMMEXCPT },
		{ BIT(5), 0, 0, 0, X86_CR4_VMXE },
		{ BIT(6), 0, 0, 0, X86_CR4_SMXE },
		{ BIT(17), 0, 0, 0, X86_CR4_PCIDE },
		{ BIT(26), 0, 0, 0, X86_CR4_OSXSAVE },
		{ 0, 0, BIT(0), 0, X86_CR4_FSGSBASE },
		{ 0, 0, BIT(7), 0, X86_CR4_SMEP },
		{ 0, 0, BIT(20), 0, X86_CR4_SMAP },
		{ 0, 0, 0, BIT(2), X86_CR4_UMIP },
		{ 0, 0, 0, BIT(3), X86_CR4_PKE },
		{ 0, 0, 0, BIT(16), X86_CR4_LA57 },
	};
	struct cpuid_result none = { 0, 0, 0, 0 };

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "no features");
	EXPECT_EQ(cr4_allowed(&none, &none), X86_CR4_PCE);
	for (size_t i = 0; i < ARRAY_SIZE(features); i++) {
		const struct cr4_feature *f = &features[i];
		struct cpuid_result l1 = { 0, 0, f->leaf1_ecx, f->leaf1_edx };
		struct cpuid_result l7 = { 0, f->leaf7_ebx, f->leaf7_ecx, 0 };

		snprintf(unit_label, sizeof(unit_label), "feature %zu", i);
		EXPECT_EQ(cr4_allowed(&l1, &l7), f->cr4 | X86_CR4_PCE);
	}
}

static void test_cr4_writes_are_checked(void **state)
{
	/* What Vireo's CPUID policy offers on a typical host: no VMX, XSAVE, PKE, LA57, PCID. */
	const u64 allowed = X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR |
			    X86_CR4_OSXMMEXCPT | X86_CR4_PCE | X86_CR4_FSGSBASE | X86_CR4_DE;
	const struct cr_case cases[] = {
		{ "PAE on", &protected_mode, X86_CR4_PAE, true },
		{ "PGE toggled in 64-bit mode", &long64, X86_CR4_PAE | X86_CR4_PGE, true },
		{ "bit 31", &protected_mode, BIT(31), false },
		{ "bit 26", &protected_mode, BIT(26), false },
		{ "bit 32", &long64, X86_CR4_PAE | BIT(32), false },
		{ "VMXE not offered", &protected_mode, X86_CR4_VMXE, false },
		{ "SMXE not offered", &protected_mode, X86_CR4_SMXE, false },
		{ "OSXSAVE with XSAVE hidden", &long64, X86_CR4_PAE | X86_CR4_OSXSAVE, false },
		{ "PKE not offered", &long64, X86_CR4_PAE | X86_CR4_PKE, false },
		{ "LA57 not offered", &protected_mode, X86_CR4_LA57, false },
		{ "PAE off in IA-32e mode", &long64, 0, false },
		{ "PAE off in compatibility mode", &compat, 0, false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(unit_label, sizeof(unit_label), "CR4: %s", cases[i].name);
		EXPECT_EQ(cr4_write_valid(cases[i].s, cases[i].value, allowed), cases[i].valid);
	}
}

/* LA57 and PCIDE, when offered, have rules of their own. */
static void test_cr4_la57_and_pcide_rules(void **state)
{
	const u64 allowed = X86_CR4_PAE | X86_CR4_LA57 | X86_CR4_PCIDE;
	const struct cr_state cr3_tagged = { CR0_PAGED, 0x1005, X86_CR4_PAE,
					     EFER_LME | EFER_LMA, true };
	const struct cr_case cases[] = {
		{ "LA57 before IA-32e mode", &protected_mode, X86_CR4_LA57, true },
		{ "LA57 changed in IA-32e mode", &long64, X86_CR4_PAE | X86_CR4_LA57, false },
		{ "PCIDE in IA-32e mode", &long64, X86_CR4_PAE | X86_CR4_PCIDE, true },
		{ "PCIDE outside IA-32e mode", &protected_mode, X86_CR4_PCIDE, false },
		{ "PCIDE with CR3[11:0] set", &cr3_tagged, X86_CR4_PAE | X86_CR4_PCIDE, false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(unit_label, sizeof(unit_label), "CR4: %s", cases[i].name);
		EXPECT_EQ(cr4_write_valid(cases[i].s, cases[i].value, allowed), cases[i].valid);
	}
}

static void test_cr8_holds_a_priority_class(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "CR8");
	EXPECT_EQ(cr8_write_valid(0), true);
	EXPECT_EQ(cr8_write_valid(15), true);
	EXPECT_EQ(cr8_write_valid(16), false);
	EXPECT_EQ(cr8_write_valid(BIT(63)), false);
}

static void test_efer_writes_are_checked(void **state)
{
	const struct cr_case cases[] = {
		{ "SCE in real mode", &real_mode, EFER_SCE, true },
		{ "LME with paging off", &protected_mode, EFER_LME, true },
		{ "LME set with paging on", &paged32, EFER_LME, false },
		{ "LME cleared in 64-bit mode", &long64, EFER_LMA, false },
		{ "NXE in 64-bit mode", &long64, EFER_LME | EFER_LMA | EFER_NXE, true },
		{ "LMA alone is ignored", &protected_mode, EFER_LMA, true },
		{ "SVME", &protected_mode, BIT(12), false },
		{ "bit 63", &protected_mode, BIT(63), false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(unit_label, sizeof(unit_label), "EFER: %s", cases[i].name);
		EXPECT_EQ(efer_write_valid(cases[i].s, cases[i].value, WRITABLE_EFER),
			  cases[i].valid);
	}
}

static void test_efer_lma_belongs_to_the_cpu(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "LMA");
	EXPECT_EQ(efer_written(&protected_mode, EFER_LMA | EFER_SCE), EFER_SCE);
	EXPECT_EQ(efer_written(&long64, EFER_LME), EFER_LME | EFER_LMA);
	EXPECT_EQ(efer_after_cr0(EFER_LME, CR0_PAGED), EFER_LME | EFER_LMA);
	EXPECT_EQ(efer_after_cr0(EFER_LME | EFER_LMA, CR0_PROT), EFER_LME);
	EXPECT_EQ(efer_after_cr0(EFER_NXE, CR0_PAGED), EFER_NXE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cr0_writes_are_checked_as_the_cpu_checks_them),
		cmocka_unit_test(test_cr0_keeps_et_and_drops_reserved_bits),
		cmocka_unit_test(test_cr4_bits_follow_the_guest_cpuid),
		cmocka_unit_test(test_cr4_writes_are_checked),
		cmocka_unit_test(test_cr4_la57_and_pcide_rules),
		cmocka_unit_test(test_cr8_holds_a_priority_class),
		cmocka_unit_test(test_efer_writes_are_checked),
		cmocka_unit_test(test_efer_lma_belongs_to_the_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
