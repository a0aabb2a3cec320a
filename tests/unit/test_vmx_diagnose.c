/* SPDX-License-Identifier: MIT */
/* Tests of the VT-x failure explanations: instruction-error names and the guest-state checks. */
#include "tests/unit/unit.h"
#include "arch/x86/vmx/vmx_diagnose.h"
#include "arch/x86/vmx/vmcs.h"

#include <stdio.h>

#define UNKNOWN_ERROR "unknown VM-instruction error"
#define UNUSABLE 0x10000	/* access rights bit 16 */

struct error_case {
	u32 error;
	const char *words[2];	/* substrings of the name; NULL when unused */
};

static void test_known_instruction_errors_have_their_sdm_names(void **state)
{
	static const struct error_case cases[] = {
		{ 1, { "VMCALL", "VMX root operation" } },
		{ 4, { "VMLAUNCH", "non-clear VMCS" } },
		{ 5, { "VMRESUME", "non-launched VMCS" } },
		{ 7, { "VM entry with invalid control field(s)", NULL } },
		{ 8, { "VM entry", "invalid host-state field(s)" } },
		{ 11, { "VMPTRLD", "incorrect VMCS revision identifier" } },
		{ 12, { "VMREAD/VMWRITE", "unsupported VMCS component" } },
		{ 13, { "VMWRITE", "read-only" } },
		{ 26, { "VM entry", "MOV SS" } },
		{ 28, { "INVEPT/INVVPID", "invalid operand" } },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *name = vmx_instruction_error_name(cases[i].error);

		assert_non_null(name);
		for (size_t k = 0; k < ARRAY_SIZE(cases[i].words) && cases[i].words[k]; k++) {
			if (!strstr(name, cases[i].words[k]))
				fail_msg("error %u: \"%s\" does not mention \"%s\"", cases[i].error,
					 name, cases[i].words[k]);
		}
	}
	assert_string_equal(vmx_instruction_error_name(7), "VM entry with invalid control field(s)");
}

/* Numbers the SDM table leaves out, and numbers past its end. */
static void test_unlisted_instruction_errors_are_unknown(void **state)
{
	static const u32 errors[] = { 0, 14, 21, 27, 29, 64, 100, 0x80000000, 0xffffffff };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
		const char *name = vmx_instruction_error_name(errors[i]);

		if (!name || strcmp(name, UNKNOWN_ERROR) != 0)
			fail_msg("error %u: \"%s\", expected \"%s\"", errors[i],
				 name ? name : "(null)", UNKNOWN_ERROR);
	}
}

/* Every listed number from 1 to 28 has a name of its own. */
static void test_listed_instruction_errors_have_distinct_names(void **state)
{
	const char *names[29] = { NULL };
	(void)state;

	for (u32 e = 1; e <= 28; e++) {
		if (e == 14 || e == 21 || e == 27)
			continue;
		names[e] = vmx_instruction_error_name(e);
		if (!names[e] || !names[e][0] || strcmp(names[e], UNKNOWN_ERROR) == 0)
			fail_msg("error %u has no name", e);
		for (u32 k = 1; k < e; k++) {
			if (names[k] && strcmp(names[k], names[e]) == 0)
				fail_msg("errors %u and %u share the name \"%s\"", k, e, names[e]);
		}
	}
}

static struct vmx_segment seg(u16 selector, u32 access_rights, u32 limit, u64 base)
{
	return (struct vmx_segment){ selector, access_rights, limit, base };
}

/*
 * A 64-bit guest as Vireo enters it, with the VMX capability values Bochs reports. CR4 keeps
 * VMXE, as the real CR4 must; the guest's view of it comes from the read shadow.
 */
static struct vmx_guest_state long_mode_guest(void)
{
	struct vmx_guest_state g = {
		.cr0 = 0x80010033, .cr4 = 0x2620, .efer = 0x500, .rflags = 0x2,
		.rip = 0x100000, .link_pointer = ~0ULL,
		.entry_controls = ENTRY_IA32E_MODE_GUEST | ENTRY_LOAD_EFER,
		.secondary_controls = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST,
		.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,
		.cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x3727ff,
		.gdtr_limit = 0x27, .idtr_limit = 0xfff,
	};

	g.cs = seg(0x08, 0xa09b, 0xffffffff, 0);
	g.ss = g.ds = g.es = g.fs = g.gs = seg(0x10, 0xc093, 0xffffffff, 0);
	g.tr = seg(0x18, 0x8b, 0x67, 0x1000);
	g.ldtr = seg(0, UNUSABLE, 0, 0);
	return g;
}

/* A real-mode guest at the reset vector, which only unrestricted guest makes possible. */
static struct vmx_guest_state real_mode_guest(void)
{
	struct vmx_guest_state g = {
		.cr0 = 0x30, .cr4 = 0x2000, .efer = 0, .rflags = 0x2, .rip = 0xfff0,
		.link_pointer = ~0ULL,
		.entry_controls = ENTRY_LOAD_EFER,
		.secondary_controls = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST,
		.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,
		.cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x3727ff,
		.gdtr_limit = 0xffff, .idtr_limit = 0x3ff,
	};

	g.cs = seg(0xf000, 0x9b, 0xffff, 0xf0000);
	g.ss = g.ds = g.es = g.fs = g.gs = seg(0, 0x93, 0xffff, 0);
	g.tr = seg(0, 0x8b, 0xffff, 0);
	g.ldtr = seg(0, 0x82, 0xffff, 0);
	return g;
}

enum base { LONG, REAL };

static struct vmx_guest_state baseline(enum base b)
{
	return b == LONG ? long_mode_guest() : real_mode_guest();
}

/* One field of struct vmx_guest_state and the value to give it. */
struct change {
	size_t offset, width;	/* width 0: no change */
	u64 value;
};

#define SET(field, v)									\
	{ offsetof(struct vmx_guest_state, field),					\
	  sizeof(((struct vmx_guest_state *)NULL)->field), (v) }

struct mutation {
	const char *name;
	enum base base;
	struct change changes[2];
	const char *words[2];	/* substrings of the message; NULL when unused */
};

static void apply(struct vmx_guest_state *g, const struct change *c)
{
	u8 *p = (u8 *)g + c->offset;

	switch (c->width) {
	case 0: break;
	case 2: { u16 v = (u16)c->value; memcpy(p, &v, 2); break; }
	case 4: { u32 v = (u32)c->value; memcpy(p, &v, 4); break; }
	case 8: memcpy(p, &c->value, 8); break;
	default: fail_msg("bad field width %zu", c->width);
	}
}

static struct vmx_guest_state mutated(const struct mutation *m)
{
	struct vmx_guest_state g = baseline(m->base);

	for (size_t i = 0; i < ARRAY_SIZE(m->changes); i++)
		apply(&g, &m->changes[i]);
	return g;
}

static const char *base_name(enum base b)
{
	return b == LONG ? "64-bit" : "real mode";
}

static void test_baseline_guests_pass(void **state)
{
	static const enum base bases[] = { LONG, REAL };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		struct vmx_guest_state g = baseline(bases[i]);
		char buf[256] = "untouched";
		const char *why = vmx_check_guest_state(&g, buf, sizeof(buf));

		if (why)
			fail_msg("%s baseline refused: %s", base_name(bases[i]), why);
	}
}

/* States VM entry accepts although they differ from a baseline. */
static const struct mutation valid_variants[] = {
	{ "CS a data segment, allowed with unrestricted guest", REAL,
	  { SET(cs.access_rights, 0x93) }, { NULL } },
	{ "16-bit busy TSS outside IA-32e mode", REAL, { SET(tr.access_rights, 0x83) }, { NULL } },
	{ "protected mode without paging", REAL, { SET(cr0, 0x31) }, { NULL } },
	{ "EFER.LME without paging", REAL, { SET(efer, 0x100) }, { NULL } },
	{ "LDTR unusable", REAL, { SET(ldtr.access_rights, UNUSABLE) }, { NULL } },
	{ "GDTR and IDTR limits of 0xffff", LONG,
	  { SET(gdtr_limit, 0xffff), SET(idtr_limit, 0xffff) }, { NULL } },
	{ "RFLAGS with IF, ZF, PF, AC, ID", LONG, { SET(rflags, 0x240246) }, { NULL } },
	{ "RIP in the upper half in 64-bit mode", LONG, { SET(rip, 0xffffffff80000000ULL) },
	  { NULL } },
	{ "compatibility-mode CS", LONG, { SET(cs.access_rights, 0xc09b) }, { NULL } },
	{ "conforming code", LONG, { SET(cs.access_rights, 0xa09f) }, { NULL } },
	{ "SS unusable in IA-32e mode", LONG, { SET(ss.access_rights, UNUSABLE) }, { NULL } },
	{ "DS and ES unusable", LONG,
	  { SET(ds.access_rights, UNUSABLE), SET(es.access_rights, UNUSABLE) }, { NULL } },
	{ "unusable FS with junk in the other bits", LONG,
	  { SET(fs.access_rights, UNUSABLE | 0xf00 | 0x12), SET(fs.limit, 0x12345) }, { NULL } },
	{ "SS expand-down", LONG, { SET(ss.access_rights, 0xc097) }, { NULL } },
	{ "GS a readable code segment", LONG, { SET(gs.access_rights, 0xc09b) }, { NULL } },
	{ "limit 0xfffff with G=1: low 12 bits all ones", LONG, { SET(gs.limit, 0xfffff) },
	  { NULL } },
	{ "limit 0xfffff with G=0", REAL, { SET(ds.limit, 0xfffff) }, { NULL } },
	{ "limit 0 with G=0", REAL, { SET(es.limit, 0) }, { NULL } },
	{ "TR limit 0xfff with G=1", LONG,
	  { SET(tr.access_rights, 0x808b), SET(tr.limit, 0xfff) }, { NULL } },
	{ "CR4 with every fixed1 bit", LONG, { SET(cr4, 0x3727ff) }, { NULL } },
};

static void test_valid_variants_pass(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(valid_variants); i++) {
		const struct mutation *m = &valid_variants[i];
		struct vmx_guest_state g = mutated(m);
		char buf[256];
		const char *why = vmx_check_guest_state(&g, buf, sizeof(buf));

		if (why)
			fail_msg("%s, %s: refused: %s", base_name(m->base), m->name, why);
	}
}

/* Each a single mistake in an otherwise valid state, and what the message must name. */
static const struct mutation invalid_states[] = {
	/* CR0 and CR4 against the fixed-bit MSRs */
	{ "CR0 without NE", LONG, { SET(cr0, 0x80010013) }, { "CR0", "bit 5 must be 1" } },
	{ "CR0 with a bit FIXED1 clears", LONG, { SET(cr0_fixed1, 0xfffeffff) },
	  { "CR0", "bit 16 must be 0" } },
	{ "CR0 with bit 32 set", LONG, { SET(cr0, 0x180010033ULL) },
	  { "CR0", "bit 32 must be 0" } },
	{ "real mode without unrestricted guest", REAL,
	  { SET(secondary_controls, PROC2_ENABLE_EPT) }, { "CR0", "bit 0 must be 1" } },
	{ "paging off without unrestricted guest", REAL,
	  { SET(cr0, 0x31), SET(secondary_controls, PROC2_ENABLE_EPT) },
	  { "CR0", "bit 31 must be 1" } },
	{ "CR4 without VMXE", LONG, { SET(cr4, 0x620) }, { "CR4", "bit 13 must be 1" } },
	{ "CR4 without VMXE in real mode", REAL, { SET(cr4, 0) }, { "CR4", "must be 1" } },
	{ "CR4 with a bit outside FIXED1", LONG, { SET(cr4, 0x3620) },
	  { "CR4", "bit 12 must be 0" } },
	/* CR0, CR4 and EFER together */
	{ "PG without PE", LONG, { SET(cr0, 0x80010032) }, { "CR0", "PG without PE" } },
	{ "PG without PE in real mode", REAL, { SET(cr0, 0x80000030) }, { "PG without PE" } },
	{ "IA-32e mode without PAE", LONG, { SET(cr4, 0x2600) }, { "IA-32e", "PAE" } },
	{ "IA-32e mode without paging", LONG, { SET(cr0, 0x00010033) }, { "IA-32e", "PG" } },
	{ "IA-32e mode with EFER.LMA clear", LONG, { SET(efer, 0x100) }, { "EFER", "LMA" } },
	{ "EFER.LMA without IA-32e mode", REAL, { SET(efer, 0x400) }, { "EFER", "LMA" } },
	{ "EFER.LMA without LME, paging on", LONG, { SET(efer, 0x400) }, { "EFER", "LME" } },
	{ "EFER.LME with 32-bit paging", REAL, { SET(cr0, 0x80000031), SET(efer, 0x100) },
	  { "EFER", "LME" } },
	/* RFLAGS and RIP */
	{ "RFLAGS bit 1 clear", LONG, { SET(rflags, 0) }, { "RFLAGS", NULL } },
	{ "RFLAGS bit 1 clear with IF", REAL, { SET(rflags, 0x200) }, { "RFLAGS", NULL } },
	{ "RFLAGS bit 3", LONG, { SET(rflags, 0xa) }, { "RFLAGS", NULL } },
	{ "RFLAGS bit 5", LONG, { SET(rflags, 0x22) }, { "RFLAGS", NULL } },
	{ "RFLAGS bit 15", LONG, { SET(rflags, 0x8002) }, { "RFLAGS", NULL } },
	{ "RFLAGS bit 22", LONG, { SET(rflags, 0x400002) }, { "RFLAGS", NULL } },
	{ "RFLAGS bit 63", REAL, { SET(rflags, 0x8000000000000002ULL) }, { "RFLAGS", NULL } },
	{ "RFLAGS.VM in IA-32e mode", LONG, { SET(rflags, 0x20002) }, { "RFLAGS", NULL } },
	{ "RIP above 4G in real mode", REAL, { SET(rip, 0x100000000ULL) }, { "RIP", NULL } },
	{ "RIP above 4G in compatibility mode", LONG,
	  { SET(cs.access_rights, 0xc09b), SET(rip, 0xffffffff80000000ULL) }, { "RIP", NULL } },
	/* the other non-register state */
	{ "link pointer 0", LONG, { SET(link_pointer, 0) }, { "link pointer", NULL } },
	{ "link pointer of 32 ones", LONG, { SET(link_pointer, 0xffffffff) },
	  { "link pointer", NULL } },
	{ "activity state HLT", LONG, { SET(activity_state, 1) }, { "activity state", NULL } },
	{ "blocking by STI", REAL, { SET(interruptibility, 1) }, { "interruptibility", NULL } },
	{ "blocking by NMI", LONG, { SET(interruptibility, 8) }, { "interruptibility", NULL } },
	/* segment types */
	{ "CS unusable", LONG, { SET(cs.access_rights, UNUSABLE | 0xa09b) }, { "guest CS:" } },
	{ "CS a data segment without unrestricted guest", LONG,
	  { SET(cs.access_rights, 0xa093), SET(secondary_controls, PROC2_ENABLE_EPT) },
	  { "guest CS:", "type 3" } },
	{ "CS a read-only data segment", LONG, { SET(cs.access_rights, 0xc091) },
	  { "guest CS:", "type 1" } },
	{ "CS 0x93: a 4G limit without G", LONG, { SET(cs.access_rights, 0x93) }, { "guest CS:" } },
	{ "CS code not accessed", LONG, { SET(cs.access_rights, 0xa09a) }, { "guest CS:" } },
	{ "CS a TSS", REAL, { SET(cs.access_rights, 0x8b) }, { "guest CS:" } },
	{ "SS a code segment", LONG, { SET(ss.access_rights, 0xc09b) }, { "guest SS:" } },
	{ "SS read-only", REAL, { SET(ss.access_rights, 0x91) }, { "guest SS:" } },
	{ "TR unusable", LONG, { SET(tr.access_rights, UNUSABLE | 0x8b) }, { "guest TR:" } },
	{ "TR a 16-bit TSS in IA-32e mode", LONG, { SET(tr.access_rights, 0x83) },
	  { "guest TR:" } },
	{ "TR an available TSS", REAL, { SET(tr.access_rights, 0x89) }, { "guest TR:" } },
	{ "TR with S set", LONG, { SET(tr.access_rights, 0x9b) }, { "guest TR:" } },
	/* P, S, reserved bits, granularity, accessed */
	{ "CS not present", LONG, { SET(cs.access_rights, 0xa01b) }, { "guest CS:" } },
	{ "SS not present", LONG, { SET(ss.access_rights, 0xc013) }, { "guest SS:" } },
	{ "DS not present", LONG, { SET(ds.access_rights, 0xc013) }, { "guest DS:" } },
	{ "ES not present", REAL, { SET(es.access_rights, 0x13) }, { "guest ES:" } },
	{ "TR not present", LONG, { SET(tr.access_rights, 0x0b) }, { "guest TR:" } },
	{ "LDTR not present", REAL, { SET(ldtr.access_rights, 0x02) }, { "guest LDTR:" } },
	{ "CS with S clear", LONG, { SET(cs.access_rights, 0xa08b) }, { "guest CS:" } },
	{ "FS with S clear", LONG, { SET(fs.access_rights, 0xc083) }, { "guest FS:" } },
	{ "GS with S clear", REAL, { SET(gs.access_rights, 0x83) }, { "guest GS:" } },
	{ "LDTR with S set", REAL, { SET(ldtr.access_rights, 0x92) }, { "guest LDTR:" } },
	{ "GS limit 0xffffe with G=1", LONG, { SET(gs.limit, 0xffffe) }, { "guest GS:" } },
	{ "ES limit 0xfffff000 with G=1", LONG, { SET(es.limit, 0xfffff000) }, { "guest ES:" } },
	{ "CS limit 0x100000 with G=1", LONG, { SET(cs.limit, 0x100000) }, { "guest CS:" } },
	{ "DS limit 0x100000 with G=0", REAL, { SET(ds.limit, 0x100000) }, { "guest DS:" } },
	{ "SS limit 0xffffffff with G=0", REAL, { SET(ss.limit, 0xffffffff) }, { "guest SS:" } },
	{ "TR limit 0x1fffff with G=0", LONG, { SET(tr.limit, 0x1fffff) }, { "guest TR:" } },
	{ "LDTR limit 0x100000 with G=0", REAL, { SET(ldtr.limit, 0x100000) },
	  { "guest LDTR:" } },
	{ "DS access rights bit 8", LONG, { SET(ds.access_rights, 0xc193) }, { "guest DS:" } },
	{ "ES access rights bit 9", REAL, { SET(es.access_rights, 0x293) }, { "guest ES:" } },
	{ "CS access rights bit 10", LONG, { SET(cs.access_rights, 0xa49b) }, { "guest CS:" } },
	{ "SS access rights bit 11", LONG, { SET(ss.access_rights, 0xc893) }, { "guest SS:" } },
	{ "TR access rights bit 11", REAL, { SET(tr.access_rights, 0x88b) }, { "guest TR:" } },
	{ "LDTR access rights bit 9", REAL, { SET(ldtr.access_rights, 0x282) },
	  { "guest LDTR:" } },
	{ "FS access rights bit 17", LONG, { SET(fs.access_rights, 0x2c093) }, { "guest FS:" } },
	{ "GS access rights bit 31", LONG, { SET(gs.access_rights, 0x8000c093) },
	  { "guest GS:" } },
	{ "DS not accessed", REAL, { SET(ds.access_rights, 0x92) }, { "guest DS:", "accessed" } },
	{ "GS not accessed", LONG, { SET(gs.access_rights, 0xc092) },
	  { "guest GS:", "accessed" } },
	{ "FS code not accessed", LONG, { SET(fs.access_rights, 0xc09a) },
	  { "guest FS:", "accessed" } },
	/* descriptor tables */
	{ "GDTR limit 0x10000", LONG, { SET(gdtr_limit, 0x10000) }, { "GDTR", NULL } },
	{ "IDTR limit 0x10000", REAL, { SET(idtr_limit, 0x10000) }, { "IDTR", NULL } },
};

static void expect_refused(const struct mutation *m)
{
	struct vmx_guest_state g = mutated(m);
	char buf[256];
	const char *why;

	memset(buf, 0x5a, sizeof(buf));
	why = vmx_check_guest_state(&g, buf, sizeof(buf));
	if (!why)
		fail_msg("%s, %s: accepted", base_name(m->base), m->name);
	if (why != buf)
		fail_msg("%s, %s: the message is not in buf", base_name(m->base), m->name);
	if (!memchr(buf, '\0', sizeof(buf)))
		fail_msg("%s, %s: the message is not terminated", base_name(m->base), m->name);
	for (size_t k = 0; k < ARRAY_SIZE(m->words) && m->words[k]; k++) {
		if (!strstr(why, m->words[k]))
			fail_msg("%s, %s: \"%s\" does not mention \"%s\"", base_name(m->base),
				 m->name, why, m->words[k]);
	}
}

static void test_each_single_mistake_is_refused_and_named(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(invalid_states); i++)
		expect_refused(&invalid_states[i]);
}

/*
 * RFLAGS.VM must be 0 when CR0.PE is 0 as well as in IA-32e mode (SDM Vol. 3C 27.3.1.4):
 * virtual-8086 mode exists only inside protected mode.
 */
static void test_rflags_vm_is_refused_in_real_mode(void **state)
{
	static const struct mutation m = {
		"RFLAGS.VM with CR0.PE clear", REAL, { SET(rflags, 0x20002) }, { "RFLAGS", NULL }
	};
	(void)state;

	expect_refused(&m);
}

/* The message of every refusal fits a small buffer, NUL-terminated, and nothing past it. */
static void test_messages_are_truncated_to_the_buffer(void **state)
{
	static const size_t sizes[] = { 1, 2, 16 };
	(void)state;

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (size_t i = 0; i < ARRAY_SIZE(invalid_states); i++) {
			const struct mutation *m = &invalid_states[i];
			struct vmx_guest_state g = mutated(m);
			char full[256];
			char *buf = malloc(sizes[s] + 8);	/* ASan catches writes past it too */
			const char *why;

			assert_non_null(buf);
			memset(buf, 0x5a, sizes[s] + 8);
			snprintf(unit_label, sizeof(unit_label), "%s, %s, %zu bytes", base_name(m->base),
				 m->name, sizes[s]);
			why = vmx_check_guest_state(&g, buf, sizes[s]);
			if (why != buf)
				fail_msg("%s: returned %p, not buf", unit_label, (const void *)why);
			if (strnlen(buf, sizes[s]) != sizes[s] - 1)
				fail_msg("%s: message of %zu bytes", unit_label, strnlen(buf, sizes[s]));
			for (size_t k = sizes[s]; k < sizes[s] + 8; k++) {
				if (buf[k] != 0x5a)
					fail_msg("%s: byte %zu past the buffer written", unit_label, k);
			}
			/* The same message as with room for all of it, cut short. */
			assert_non_null(vmx_check_guest_state(&g, full, sizeof(full)));
			if (strncmp(full, buf, sizes[s] - 1) != 0)
				fail_msg("%s: \"%s\" is not the start of \"%s\"", unit_label, buf, full);
			free(buf);
		}
	}
}

/* The check only reads the state: checking twice gives the same answer. */
static void test_checking_leaves_the_state_alone(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(invalid_states); i++) {
		const struct mutation *m = &invalid_states[i];
		struct vmx_guest_state g = mutated(m), before = g;
		char a[256], b[256];

		assert_non_null(vmx_check_guest_state(&g, a, sizeof(a)));
		assert_memory_equal(&g, &before, sizeof(g));
		assert_non_null(vmx_check_guest_state(&g, b, sizeof(b)));
		assert_string_equal(a, b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_instruction_errors_have_their_sdm_names),
		cmocka_unit_test(test_unlisted_instruction_errors_are_unknown),
		cmocka_unit_test(test_listed_instruction_errors_have_distinct_names),
		cmocka_unit_test(test_baseline_guests_pass),
		cmocka_unit_test(test_valid_variants_pass),
		cmocka_unit_test(test_each_single_mistake_is_refused_and_named),
		cmocka_unit_test(test_rflags_vm_is_refused_in_real_mode),
		cmocka_unit_test(test_messages_are_truncated_to_the_buffer),
		cmocka_unit_test(test_checking_leaves_the_state_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
