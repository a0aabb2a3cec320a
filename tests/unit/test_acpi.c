/* SPDX-License-Identifier: MIT */
/* Tests of the ACPI parser and RSDP search over table images built in a fake physical memory. */
#include "tests/unit/unit.h"
#include "arch/x86/acpi.h"

#include <stdio.h>

#include "kernel/errno.h"

#define FAKE_SIZE (1 * MiB)
#define LOW_BASE 0xc0000000ULL		/* fake memory below 4 GiB, for RSDT addresses */
#define HIGH_BASE 0x1234500000ULL	/* fake memory above 4 GiB, for XSDT addresses */
#define FIRST_TABLE 0x1000		/* offset of the first table the tests place */
#define LAPIC_BASE 0xfee00000u

/* Little-endian byte lists, for table images written as initializers. */
#define B16(v) (u8)(v), (u8)((v) >> 8)
#define B32(v) B16(v), B16((v) >> 16)
#define B64(v) B32(v), B32((u64)(v) >> 32)

/* MADT entries (ACPI 6.5, 5.2.12), in the order of their fields. */
#define MADT_IOAPIC_TYPE 1
#define MADT_LAPIC(uid, id, flags) 0, 8, uid, id, B32(flags)
#define MADT_IOAPIC(id, addr, gsi) 1, 12, id, 0, B32(addr), B32(gsi)
#define MADT_OVERRIDE(irq, gsi, flags) 2, 10, 0, irq, B32(gsi), B16(flags)
#define MADT_NMI(uid, flags, lint) 4, 6, uid, B16(flags), lint
#define MADT_LAPIC_ADDRESS(addr) 5, 12, 0, 0, B64(addr)
#define MADT_X2APIC(id, flags, uid) 9, 16, 0, 0, B32(id), B32(flags), B32(uid)
#define CPU_ENABLED 1
#define CPU_ONLINE_CAPABLE 2

/* AML: Name (_S5_, Package (4) { a, b, 0, 0 }) with a and b as BytePrefix constants. */
#define AML_S5(a, b) 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, a, 0x0a, b, 0x00, 0x00

/* A byte string and its length, for table-driven cases. */
#define BYTES(...) (const u8[]){ __VA_ARGS__ }, sizeof((const u8[]){ __VA_ARGS__ })

struct fake_mem {
	u8 *buf;
	u64 base;	/* physical address of buf[0] */
	u64 next;	/* offset where the next table goes */
};

struct env {
	struct fake_mem mem;
	struct acpi_info info;
	u8 rsdp[ACPI_RSDP_V2_LEN];
};

static const void *fake_map(void *ctx, u64 phys, u64 len)
{
	struct fake_mem *m = ctx;
	u64 off = phys - m->base;

	if (phys < m->base || off > FAKE_SIZE || len > FAKE_SIZE - off)
		return NULL;
	return m->buf + off;
}

static const struct acpi_ops fake_ops = { .map = fake_map };

static void fake_reset(struct fake_mem *m, u64 base)
{
	memset(m->buf, 0, FAKE_SIZE);
	m->base = base;
	m->next = FIRST_TABLE;
}

static u8 *fake_ptr(struct fake_mem *m, u64 phys)
{
	assert_true(phys >= m->base && phys - m->base < FAKE_SIZE);
	return m->buf + (phys - m->base);
}

static u64 fake_alloc(struct fake_mem *m, u32 len)
{
	u64 phys = m->base + m->next;

	m->next = ALIGN_UP(m->next + len, 16);
	assert_true(m->next <= FAKE_SIZE);
	return phys;
}

/* The address at which len bytes end exactly at the end of fake memory. */
static u64 fake_top(const struct fake_mem *m, u32 len)
{
	return m->base + FAKE_SIZE - len;
}

static int env_setup(void **state)
{
	struct env *env = calloc(1, sizeof(*env));

	if (!env || !(env->mem.buf = malloc(FAKE_SIZE))) {
		free(env);
		return -1;
	}
	fake_reset(&env->mem, LOW_BASE);
	*state = env;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *env = *state;

	free(env->mem.buf);
	free(env);
	return 0;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/* Make the len bytes at p sum to zero by setting the byte at p[at]. */
static void set_checksum(u8 *p, u32 len, u32 at)
{
	u8 sum = 0;

	p[at] = 0;
	for (u32 i = 0; i < len; i++)
		sum = (u8)(sum + p[i]);
	p[at] = (u8)-sum;
}

/* Write the 36-byte SDT header over the table at t, then its checksum. */
static void seal_sdt(u8 *t, const char *sig, u8 revision, u32 len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = revision;
	memcpy(t + 10, "VIREOT", 6);
	memcpy(t + 16, "TESTTABL", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "VTST", 4);
	put32(t + 32, 1);
	set_checksum(t, len, 9);
}

/* Place a table at phys: len bytes of image (its header part is overwritten), or zeros. */
static u64 place_sdt(struct fake_mem *m, u64 phys, const char *sig, u8 revision,
		     const u8 *image, u32 len)
{
	u8 *t = fake_ptr(m, phys);

	assert_true(len >= 36);
	if (image)
		memcpy(t + 36, image + 36, len - 36);
	seal_sdt(t, sig, revision, len);
	return phys;
}

static u64 add_sdt(struct fake_mem *m, const char *sig, u8 revision, const u8 *image, u32 len)
{
	return place_sdt(m, fake_alloc(m, len), sig, revision, image, len);
}

/* Break the checksum of the table at phys. */
static void corrupt_sdt(struct fake_mem *m, u64 phys)
{
	fake_ptr(m, phys)[9] ^= 0x5a;
}

static u64 add_root(struct fake_mem *m, bool xsdt, const u64 *tables, u32 count)
{
	u32 entry = xsdt ? 8 : 4, len = 36 + count * entry;
	u8 *image = calloc(1, len);
	u64 phys;

	assert_non_null(image);
	for (u32 i = 0; i < count; i++) {
		if (xsdt)
			put64(image + 36 + i * 8, tables[i]);
		else
			put32(image + 36 + i * 4, (u32)tables[i]);
	}
	phys = add_sdt(m, xsdt ? "XSDT" : "RSDT", 1, image, len);
	free(image);
	return phys;
}

static u64 add_body_table(struct fake_mem *m, const char *sig, u32 head, const u8 *head_bytes,
			  const u8 *body, u32 body_len)
{
	u32 len = head + body_len;
	u8 *image = calloc(1, len);
	u64 phys;

	assert_non_null(image);
	memcpy(image, head_bytes, head);
	if (body_len)
		memcpy(image + head, body, body_len);
	phys = add_sdt(m, sig, 1, image, len);
	free(image);
	return phys;
}

static u64 add_madt(struct fake_mem *m, u32 lapic, u32 flags, const u8 *entries, u32 len)
{
	u8 head[44] = { 0 };

	put32(head + 36, lapic);
	put32(head + 40, flags);
	return add_body_table(m, "APIC", sizeof(head), head, entries, len);
}

static u64 add_dsdt(struct fake_mem *m, const u8 *aml, u32 len)
{
	u8 head[36] = { 0 };

	return add_body_table(m, "DSDT", sizeof(head), head, aml, len);
}

/* An RSDP: the ACPI 1.0 part and its checksum, then always the 2.0 extension. */
static void make_rsdp(u8 *r, u8 revision, u32 rsdt, u64 xsdt)
{
	memset(r, 0, ACPI_RSDP_V2_LEN);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "VIREO ", 6);
	r[15] = revision;
	put32(r + 16, rsdt);
	set_checksum(r, ACPI_RSDP_V1_LEN, 8);
	put32(r + 20, ACPI_RSDP_V2_LEN);
	put64(r + 24, xsdt);
	set_checksum(r, ACPI_RSDP_V2_LEN, 32);
}

struct fadt_spec {
	u32 length;
	u8 revision;
	u64 dsdt, x_dsdt;
	u32 flags;
	u8 reset_space;
	u16 boot_arch;
};

#define FADT_SMI_CMD 0xb2
#define FADT_ACPI_ENABLE 0xf1
#define FADT_PM1A_CNT 0x604
#define FADT_PM1B_CNT 0x680
#define FADT_RESET_PORT 0xcf9
#define FADT_RESET_VALUE 0x06
#define FADT_RESET_REG_SUP BIT(10)
#define BOOT_ARCH_8042 BIT(1)

/* A FADT with the fields of spec and fixed values for the rest, cut to spec->length. */
static u64 add_fadt(struct fake_mem *m, const struct fadt_spec *s)
{
	u8 f[276] = { 0 };

	assert_true(s->length <= sizeof(f));
	put32(f + 40, (u32)s->dsdt);
	put32(f + 48, FADT_SMI_CMD);
	f[52] = FADT_ACPI_ENABLE;
	put32(f + 64, FADT_PM1A_CNT);
	put32(f + 68, FADT_PM1B_CNT);
	put16(f + 109, s->boot_arch);
	put32(f + 112, s->flags | BIT(0));
	f[116] = s->reset_space;	/* RESET_REG: space, width 8, offset 0, byte access */
	f[117] = 8;
	f[119] = 1;
	put64(f + 120, FADT_RESET_PORT);
	f[128] = FADT_RESET_VALUE;
	put64(f + 140, s->x_dsdt);
	return add_sdt(m, "FACP", s->revision, f, s->length);
}

static const struct fadt_spec modern_fadt = {
	.length = 276,
	.revision = 6,
	.flags = FADT_RESET_REG_SUP,
	.reset_space = 1,
	.boot_arch = BOOT_ARCH_8042 | BIT(0),
};

static const u8 s5_aml[] = { AML_S5(5, 5) };

static const u8 std_madt_entries[] = {
	MADT_LAPIC(0, 0, CPU_ENABLED),
	MADT_LAPIC(1, 2, CPU_ENABLED),
	MADT_IOAPIC(4, 0xfec00000, 0),
	MADT_OVERRIDE(0, 2, 0),
	MADT_NMI(0xff, 5, 1),
};

/* The tables of a small machine: a MADT, a FADT with a DSDT, and an HPET table. */
struct platform {
	u64 dsdt, fadt, madt, hpet, root;
};

static void build_platform(struct env *env, bool xsdt, struct platform *p)
{
	struct fake_mem *m = &env->mem;
	struct fadt_spec fadt = modern_fadt;
	u64 tables[3];

	p->dsdt = add_dsdt(m, s5_aml, sizeof(s5_aml));
	fadt.dsdt = p->dsdt <= UINT32_MAX ? p->dsdt : 0;
	fadt.x_dsdt = p->dsdt;
	p->fadt = add_fadt(m, &fadt);
	p->madt = add_madt(m, LAPIC_BASE, 1, std_madt_entries, sizeof(std_madt_entries));
	p->hpet = add_sdt(m, "HPET", 1, NULL, 56);
	tables[0] = p->madt;
	tables[1] = p->fadt;
	tables[2] = p->hpet;
	p->root = add_root(m, xsdt, tables, 3);
	if (xsdt)
		make_rsdp(env->rsdp, 2, 0, p->root);
	else
		make_rsdp(env->rsdp, 0, (u32)p->root, 0);
}

static int parse(struct env *env, u32 rsdp_len, const u64 *overrides, u32 override_count)
{
	return acpi_parse(env->rsdp, rsdp_len, &fake_ops, &env->mem, overrides, override_count,
			  &env->info);
}

/* An ACPI 1.0 RSDP and RSDT listing these tables, then parse them. */
static void parse_tables(struct env *env, const u64 *tables, u32 count)
{
	u64 rsdt = add_root(&env->mem, false, tables, count);

	make_rsdp(env->rsdp, 0, (u32)rsdt, 0);
	EXPECT_EQ(parse(env, ACPI_RSDP_V1_LEN, NULL, 0), 0);
	assert_true(env->info.present);
}

static void parse_madt_entries(struct env *env, const u8 *entries, u32 len)
{
	u64 madt = add_madt(&env->mem, LAPIC_BASE, 1, entries, len);

	parse_tables(env, &madt, 1);
}

static void print_warnings(const struct acpi_info *info)
{
	for (u32 i = 0; i < info->warning_count && i < ACPI_WARNINGS_MAX; i++)
		print_message("  warning %u: %s\n", i, info->warnings[i]);
}

static u32 count_warnings(const struct acpi_info *info, const char *needle)
{
	u32 n = 0;

	for (u32 i = 0; i < info->warning_count && i < ACPI_WARNINGS_MAX; i++)
		n += strstr(info->warnings[i], needle) != NULL;
	return n;
}

static void expect_warning(const struct acpi_info *info, const char *needle)
{
	if (!count_warnings(info, needle)) {
		print_warnings(info);
		fail_msg("%s: no warning mentions \"%s\"", unit_label, needle);
	}
}

static void expect_no_warnings(const struct acpi_info *info)
{
	if (info->warning_count) {
		print_warnings(info);
		fail_msg("%s: %u unexpected warnings", unit_label, info->warning_count);
	}
}

static void expect_table(const struct acpi_info *info, u32 i, const char *sig, u64 address,
			 bool checksum_ok)
{
	assert_true(i < info->table_count);
	assert_string_equal(info->tables[i].signature, sig);
	EXPECT_EQ(info->tables[i].address, address);
	EXPECT_EQ(info->tables[i].checksum_ok, checksum_ok);
}

/* The platform's tables parsed into info, whichever root table listed them. */
static void expect_platform(const struct acpi_info *info, const struct platform *p)
{
	EXPECT_EQ(info->table_count, 3);
	expect_table(info, 0, "APIC", p->madt, true);
	expect_table(info, 1, "FACP", p->fadt, true);
	expect_table(info, 2, "HPET", p->hpet, true);
	EXPECT_EQ(info->tables[0].length, 44 + sizeof(std_madt_entries));
	EXPECT_EQ(info->tables[1].length, 276);
	EXPECT_EQ(info->tables[2].length, 56);
	assert_true(info->has_madt);
	EXPECT_EQ(info->cpu_count, 2);
	EXPECT_EQ(info->cpus[1].apic_id, 2);
	assert_true(info->has_fadt);
	assert_true(info->has_s5);
	EXPECT_EQ(info->s5_slp_typ_a, 5);
	expect_no_warnings(info);
}

static void test_v1_rsdp_is_parsed_through_the_rsdt(void **state)
{
	struct env *env = *state;
	struct platform p;

	snprintf(unit_label, sizeof(unit_label), "%s", "v1 RSDP");
	build_platform(env, false, &p);
	EXPECT_EQ(parse(env, ACPI_RSDP_V1_LEN, NULL, 0), 0);
	assert_true(env->info.present);
	EXPECT_EQ(env->info.revision, 0);
	assert_string_equal(env->info.oem_id, "VIREO ");
	expect_platform(&env->info, &p);
}

static void test_v2_rsdp_is_parsed_through_the_xsdt_above_4g(void **state)
{
	struct env *env = *state;
	struct platform p;

	snprintf(unit_label, sizeof(unit_label), "%s", "v2 RSDP");
	fake_reset(&env->mem, HIGH_BASE);
	build_platform(env, true, &p);
	assert_true(p.madt > UINT32_MAX);
	EXPECT_EQ(parse(env, ACPI_RSDP_V2_LEN, NULL, 0), 0);
	assert_true(env->info.present);
	EXPECT_EQ(env->info.revision, 2);
	assert_string_equal(env->info.oem_id, "VIREO ");
	expect_platform(&env->info, &p);
}

struct root_case {
	const char *name;
	u8 revision;
	u32 rsdp_len;
	bool xsdt_address;	/* the RSDP names the XSDT */
	bool want_xsdt;
};

static const struct root_case root_cases[] = {
	{ "revision 2 uses the XSDT", 2, ACPI_RSDP_V2_LEN, true, true },
	{ "revision 0 uses the RSDT", 0, ACPI_RSDP_V1_LEN, false, false },
	{ "revision 0 ignores an XSDT address", 0, ACPI_RSDP_V2_LEN, true, false },
	{ "revision 2 copied in 20 bytes uses the RSDT", 2, ACPI_RSDP_V1_LEN, true, false },
	{ "revision 2 without an XSDT uses the RSDT", 2, ACPI_RSDP_V2_LEN, false, false },
};

/* The RSDT lists only the MADT, the XSDT the MADT and the FADT: table_count tells them apart. */
static void test_rsdp_revision_and_length_choose_the_root_table(void **state)
{
	struct env *env = *state;

	for (size_t i = 0; i < ARRAY_SIZE(root_cases); i++) {
		const struct root_case *c = &root_cases[i];
		struct fadt_spec fadt = modern_fadt;
		u64 tables[2], rsdt, xsdt;

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fake_reset(&env->mem, LOW_BASE);
		tables[0] = add_madt(&env->mem, LAPIC_BASE, 0, NULL, 0);
		tables[1] = add_fadt(&env->mem, &fadt);
		rsdt = add_root(&env->mem, false, tables, 1);
		xsdt = add_root(&env->mem, true, tables, 2);
		make_rsdp(env->rsdp, c->revision, (u32)rsdt, c->xsdt_address ? xsdt : 0);
		EXPECT_EQ(parse(env, c->rsdp_len, NULL, 0), 0);
		EXPECT_EQ(env->info.revision, c->revision);
		EXPECT_EQ(env->info.table_count, c->want_xsdt ? 2 : 1);
		EXPECT_EQ(env->info.has_fadt, c->want_xsdt);
	}
}

struct cpu {
	u32 apic_id, uid;
	bool x2apic_entry;
};

static void test_madt_lists_each_usable_cpu_once(void **state)
{
	static const u8 entries[] = {
		MADT_LAPIC(0, 0, CPU_ENABLED),
		MADT_LAPIC(1, 1, 0),				/* disabled: skipped */
		MADT_LAPIC(2, 4, CPU_ONLINE_CAPABLE),
		0x7f, 6, 1, 2, 3, 4,				/* unknown type: skipped */
		MADT_LAPIC(3, 6, CPU_ENABLED | CPU_ONLINE_CAPABLE),
		MADT_X2APIC(0, CPU_ENABLED, 10),		/* APIC ID 0 again */
		MADT_X2APIC(0x100, CPU_ENABLED, 0x100),
		MADT_X2APIC(0x101, 0, 0x101),			/* disabled: skipped */
		MADT_X2APIC(8, CPU_ONLINE_CAPABLE, 8),
		MADT_LAPIC(9, 8, CPU_ENABLED),			/* APIC ID 8 again */
		MADT_X2APIC(4, CPU_ENABLED, 12),		/* APIC ID 4 again */
	};
	static const struct cpu want[] = {
		{ 0, 0, false }, { 4, 2, false }, { 6, 3, false },
		{ 0x100, 0x100, true }, { 8, 8, true },
	};
	struct env *env = *state;
	const struct acpi_info *info = &env->info;

	snprintf(unit_label, sizeof(unit_label), "%s", "cpus");
	parse_madt_entries(env, entries, sizeof(entries));
	assert_true(info->has_madt);
	EXPECT_EQ(info->cpu_count, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		EXPECT_EQ(info->cpus[i].apic_id, want[i].apic_id);
		EXPECT_EQ(info->cpus[i].uid, want[i].uid);
		EXPECT_EQ(info->cpus[i].x2apic_entry, want[i].x2apic_entry);
	}
	expect_no_warnings(info);
}

static void test_madt_lists_ioapics_overrides_and_nmis(void **state)
{
	static const u8 entries[] = {
		MADT_LAPIC(0, 0, CPU_ENABLED),
		MADT_IOAPIC(2, 0xfec00000, 0),
		MADT_OVERRIDE(0, 2, 0),
		MADT_IOAPIC(3, 0xfec01000, 24),
		MADT_OVERRIDE(9, 20, 0x000d),
		MADT_NMI(0xff, 0x0005, 1),
		MADT_NMI(1, 0x000f, 0),
	};
	static const struct acpi_ioapic ioapics[] = {
		{ 2, 0xfec00000, 0 }, { 3, 0xfec01000, 24 },
	};
	static const struct acpi_override overrides[] = { { 0, 2, 0 }, { 9, 20, 0x000d } };
	static const struct acpi_nmi nmis[] = { { 0xffffffffu, 1, 0x0005 }, { 1, 0, 0x000f } };
	struct env *env = *state;
	const struct acpi_info *info = &env->info;

	snprintf(unit_label, sizeof(unit_label), "%s", "madt");
	parse_madt_entries(env, entries, sizeof(entries));
	EXPECT_EQ(info->lapic_address, LAPIC_BASE);
	assert_true(info->pcat_compat);
	EXPECT_EQ(info->ioapic_count, ARRAY_SIZE(ioapics));
	for (size_t i = 0; i < ARRAY_SIZE(ioapics); i++) {
		EXPECT_EQ(info->ioapics[i].id, ioapics[i].id);
		EXPECT_EQ(info->ioapics[i].address, ioapics[i].address);
		EXPECT_EQ(info->ioapics[i].gsi_base, ioapics[i].gsi_base);
	}
	EXPECT_EQ(info->override_count, ARRAY_SIZE(overrides));
	for (size_t i = 0; i < ARRAY_SIZE(overrides); i++) {
		EXPECT_EQ(info->overrides[i].bus_irq, overrides[i].bus_irq);
		EXPECT_EQ(info->overrides[i].gsi, overrides[i].gsi);
		EXPECT_EQ(info->overrides[i].flags, overrides[i].flags);
	}
	EXPECT_EQ(info->nmi_count, ARRAY_SIZE(nmis));
	for (size_t i = 0; i < ARRAY_SIZE(nmis); i++) {
		EXPECT_EQ(info->nmis[i].uid, nmis[i].uid);
		EXPECT_EQ(info->nmis[i].lint, nmis[i].lint);
		EXPECT_EQ(info->nmis[i].flags, nmis[i].flags);
	}
	expect_no_warnings(info);
}

static void test_madt_lapic_address_override_replaces_the_header_address(void **state)
{
	static const u8 entries[] = {
		MADT_LAPIC(0, 0, CPU_ENABLED),
		MADT_LAPIC_ADDRESS(0x00000010fee00000ULL),
	};
	struct env *env = *state;
	u64 madt;

	snprintf(unit_label, sizeof(unit_label), "%s", "lapic address");
	madt = add_madt(&env->mem, LAPIC_BASE, 0, entries, sizeof(entries));
	parse_tables(env, &madt, 1);
	EXPECT_EQ(env->info.lapic_address, 0x00000010fee00000ULL);
	assert_false(env->info.pcat_compat);
	EXPECT_EQ(env->info.cpu_count, 1);
	expect_no_warnings(&env->info);
}

/* Which DSDT a FADT field points at. */
enum dsdt_ref { NO_DSDT, DSDT_A, DSDT_B, DSDT_OUTSIDE, DSDT_BAD_CHECKSUM, DSDT_NOT_A_DSDT };

struct fadt_case {
	const char *name;
	u32 length;
	u8 revision;
	u32 flags;
	u8 reset_space;
	u16 boot_arch;
	enum dsdt_ref dsdt, x_dsdt;
	bool has_reset, has_8042, has_s5;
	u8 s5_a, s5_b;
	const char *warning;
};

static const struct fadt_case fadt_cases[] = {
	{ "ACPI 6 FADT", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042, DSDT_A, DSDT_A,
	  true, true, true, 5, 5, NULL },
	{ "X_DSDT is preferred to DSDT", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042,
	  DSDT_B, DSDT_A, true, true, true, 5, 5, NULL },
	{ "DSDT is used when X_DSDT is 0", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042,
	  DSDT_B, NO_DSDT, true, true, true, 7, 6, NULL },
	{ "FADT too short for X_DSDT", 144, 3, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042,
	  DSDT_B, DSDT_A, true, true, true, 7, 6, NULL },
	{ "FADT just long enough for RESET_VALUE", 129, 3, FADT_RESET_REG_SUP, 1,
	  BOOT_ARCH_8042, DSDT_A, NO_DSDT, true, true, true, 5, 5, NULL },
	{ "FADT with RESET_REG but no RESET_VALUE", 128, 3, FADT_RESET_REG_SUP, 1,
	  BOOT_ARCH_8042, DSDT_A, NO_DSDT, false, true, true, 5, 5, NULL },
	{ "ACPI 1.0 FADT", 116, 1, FADT_RESET_REG_SUP, 1, 0, DSDT_B, NO_DSDT,
	  false, true, true, 7, 6, NULL },
	{ "reset register not supported", 276, 6, 0, 1, BOOT_ARCH_8042, DSDT_A, DSDT_A,
	  false, true, true, 5, 5, NULL },
	{ "reset register in memory space", 276, 6, FADT_RESET_REG_SUP, 0, BOOT_ARCH_8042,
	  DSDT_A, DSDT_A, false, true, true, 5, 5, NULL },
	{ "no 8042 controller", 276, 6, FADT_RESET_REG_SUP, 1, BIT(0), DSDT_A, DSDT_A,
	  true, false, true, 5, 5, NULL },
	{ "no DSDT", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042, NO_DSDT, NO_DSDT,
	  true, true, false, 0, 0, NULL },
	{ "DSDT outside memory", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042, NO_DSDT,
	  DSDT_OUTSIDE, true, true, false, 0, 0, "DSDT" },
	{ "DSDT with a bad checksum", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042,
	  DSDT_BAD_CHECKSUM, NO_DSDT, true, true, false, 0, 0, "DSDT" },
	{ "DSDT pointer to another table", 276, 6, FADT_RESET_REG_SUP, 1, BOOT_ARCH_8042,
	  DSDT_NOT_A_DSDT, NO_DSDT, true, true, false, 0, 0, "DSDT" },
};

static void test_fadt_fields_and_s5_values_are_read(void **state)
{
	static const u8 aml_a[] = { AML_S5(5, 5) }, aml_b[] = { AML_S5(7, 6) };
	struct env *env = *state;
	const struct acpi_info *info = &env->info;

	for (size_t i = 0; i < ARRAY_SIZE(fadt_cases); i++) {
		const struct fadt_case *c = &fadt_cases[i];
		struct fake_mem *m = &env->mem;
		u64 dsdts[6], fadt;
		struct fadt_spec spec = {
			.length = c->length, .revision = c->revision, .flags = c->flags,
			.reset_space = c->reset_space, .boot_arch = c->boot_arch,
		};

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fake_reset(m, LOW_BASE);
		dsdts[NO_DSDT] = 0;
		dsdts[DSDT_A] = add_dsdt(m, aml_a, sizeof(aml_a));
		dsdts[DSDT_B] = add_dsdt(m, aml_b, sizeof(aml_b));
		dsdts[DSDT_OUTSIDE] = LOW_BASE + 2 * FAKE_SIZE;
		dsdts[DSDT_BAD_CHECKSUM] = add_dsdt(m, aml_a, sizeof(aml_a));
		corrupt_sdt(m, dsdts[DSDT_BAD_CHECKSUM]);
		dsdts[DSDT_NOT_A_DSDT] = add_madt(m, LAPIC_BASE, 0, aml_a, sizeof(aml_a));
		spec.dsdt = dsdts[c->dsdt];
		spec.x_dsdt = dsdts[c->x_dsdt];
		fadt = add_fadt(m, &spec);
		parse_tables(env, &fadt, 1);

		assert_true(info->has_fadt);
		EXPECT_EQ(info->smi_command, FADT_SMI_CMD);
		EXPECT_EQ(info->acpi_enable_value, FADT_ACPI_ENABLE);
		EXPECT_EQ(info->pm1a_control, FADT_PM1A_CNT);
		EXPECT_EQ(info->pm1b_control, FADT_PM1B_CNT);
		EXPECT_EQ(info->has_reset_register, c->has_reset);
		if (c->has_reset) {
			EXPECT_EQ(info->reset_port, FADT_RESET_PORT);
			EXPECT_EQ(info->reset_value, FADT_RESET_VALUE);
		}
		EXPECT_EQ(info->has_8042, c->has_8042);
		EXPECT_EQ(info->has_s5, c->has_s5);
		if (c->has_s5) {
			EXPECT_EQ(info->s5_slp_typ_a, c->s5_a);
			EXPECT_EQ(info->s5_slp_typ_b, c->s5_b);
		}
		if (c->warning)
			expect_warning(info, c->warning);
		else
			expect_no_warnings(info);
	}
}

struct s5_case {
	const char *name;
	const u8 *aml;
	u32 len;
	bool found;
	u8 a, b;
};

static const struct s5_case s5_cases[] = {
	{ "BytePrefix values", BYTES(AML_S5(5, 5)), true, 5, 5 },
	{ "ZeroOp values", BYTES(0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0),
	  true, 0, 0 },
	{ "OneOp then BytePrefix", BYTES(0x08, '_', 'S', '5', '_', 0x12, 0x07, 0x04, 0x01,
					  0x0a, 0x07, 0, 0), true, 1, 7 },
	{ "root prefix before the name", BYTES(0x08, '\\', '_', 'S', '5', '_', 0x12, 0x08,
						0x04, 0x0a, 0x05, 0x0a, 0x05, 0, 0),
	  true, 5, 5 },
	{ "two-byte PkgLength", BYTES(0x08, '_', 'S', '5', '_', 0x12, 0x49, 0x00, 0x04, 0x0a,
				       0x03, 0x0a, 0x04, 0, 0), true, 3, 4 },
	{ "after a _S3_ package", BYTES(0x08, '_', 'S', '3', '_', 0x12, 0x06, 0x04, 0x01,
					 0x01, 0, 0, AML_S5(7, 7)), true, 7, 7 },
	{ "_S5_ naming an integer", BYTES(0x08, '_', 'S', '5', '_', 0x0a, 0x05,
					   0x08, 'X', 'Y', 'Z', '_', 0x0a, 0x01), false, 0, 0 },
	{ "method named _S5_ is not a package", BYTES(0x14, 0x0b, '_', 'S', '5', '_', 0x00,
						       0xa4, 0x0a, 0x05), false, 0, 0 },
	{ "no _S5_", BYTES(0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0),
	  false, 0, 0 },
	{ "name at the end of the AML", BYTES(0x08, '_', 'S', '5', '_'), false, 0, 0 },
	{ "truncated after PackageOp", BYTES(0x08, '_', 'S', '5', '_', 0x12), false, 0, 0 },
	{ "truncated after NumElements", BYTES(0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04),
	  false, 0, 0 },
	{ "truncated after BytePrefix", BYTES(0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a,
					       0x05, 0x0a), false, 0, 0 },
};

/* Each DSDT ends exactly at the end of fake memory, so ASan catches reads past the AML. */
static void test_s5_is_found_in_common_aml_encodings(void **state)
{
	struct env *env = *state;
	const struct acpi_info *info = &env->info;

	for (size_t i = 0; i < ARRAY_SIZE(s5_cases); i++) {
		const struct s5_case *c = &s5_cases[i];
		struct fadt_spec spec = modern_fadt;
		u32 len = 36 + c->len;
		u8 *image = calloc(1, len);
		u64 fadt;

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		assert_non_null(image);
		memcpy(image + 36, c->aml, c->len);
		fake_reset(&env->mem, LOW_BASE);
		spec.dsdt = place_sdt(&env->mem, fake_top(&env->mem, len), "DSDT", 2, image, len);
		free(image);
		fadt = add_fadt(&env->mem, &spec);
		parse_tables(env, &fadt, 1);
		EXPECT_EQ(info->has_s5, c->found);
		if (c->found) {
			EXPECT_EQ(info->s5_slp_typ_a, c->a);
			EXPECT_EQ(info->s5_slp_typ_b, c->b);
		}
	}
}

static void test_madt_with_bad_checksum_is_ignored_and_the_rest_parsed(void **state)
{
	struct env *env = *state;
	const struct acpi_info *info = &env->info;
	struct platform p;

	snprintf(unit_label, sizeof(unit_label), "%s", "bad MADT checksum");
	build_platform(env, false, &p);
	corrupt_sdt(&env->mem, p.madt);
	EXPECT_EQ(parse(env, ACPI_RSDP_V1_LEN, NULL, 0), 0);
	assert_true(info->present);
	assert_false(info->has_madt);
	EXPECT_EQ(info->cpu_count, 0);
	EXPECT_EQ(info->ioapic_count, 0);
	expect_warning(info, "APIC");
	EXPECT_EQ(info->warning_count, 1);
	EXPECT_EQ(info->table_count, 3);
	expect_table(info, 0, "APIC", p.madt, false);
	assert_null(acpi_find_table(info, "APIC"));
	assert_ptr_equal(acpi_find_table(info, "FACP"), &info->tables[1]);
	assert_true(info->has_fadt);
	assert_true(info->has_s5);
}

static void test_first_madt_with_a_good_checksum_is_used(void **state)
{
	static const u8 bad_entries[] = { MADT_LAPIC(0, 0, CPU_ENABLED) };
	static const u8 good_entries[] = {
		MADT_LAPIC(0, 0, CPU_ENABLED), MADT_LAPIC(1, 1, CPU_ENABLED),
		MADT_LAPIC(2, 2, CPU_ENABLED),
	};
	struct env *env = *state;
	u64 tables[2];

	snprintf(unit_label, sizeof(unit_label), "%s", "two MADTs");
	tables[0] = add_madt(&env->mem, LAPIC_BASE, 1, bad_entries, sizeof(bad_entries));
	corrupt_sdt(&env->mem, tables[0]);
	tables[1] = add_madt(&env->mem, LAPIC_BASE, 1, good_entries, sizeof(good_entries));
	parse_tables(env, tables, 2);
	assert_true(env->info.has_madt);
	EXPECT_EQ(env->info.cpu_count, 3);
	assert_ptr_equal(acpi_find_table(&env->info, "APIC"), &env->info.tables[1]);
}

struct bad_rsdp_case {
	const char *name;
	u32 offset;		/* byte to change */
	u8 xor;
	bool fix_checksum;	/* make the change the only fault */
	u32 len;
};

static const struct bad_rsdp_case bad_rsdp_cases[] = {
	{ "bad checksum", 8, 0x01, false, ACPI_RSDP_V1_LEN },
	{ "OEM id changed after the checksum", 10, 0x40, false, ACPI_RSDP_V1_LEN },
	{ "bad signature", 0, 0x20, true, ACPI_RSDP_V1_LEN },
	{ "bad last signature byte", 7, 0x01, true, ACPI_RSDP_V1_LEN },
	{ "bad checksum of a v2 RSDP", 8, 0x80, false, ACPI_RSDP_V2_LEN },
	{ "shorter than 20 bytes", 0, 0, false, ACPI_RSDP_V1_LEN - 1 },
};

static void test_bad_rsdp_is_rejected_with_a_warning(void **state)
{
	struct env *env = *state;

	for (size_t i = 0; i < ARRAY_SIZE(bad_rsdp_cases); i++) {
		const struct bad_rsdp_case *c = &bad_rsdp_cases[i];
		struct platform p;

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fake_reset(&env->mem, LOW_BASE);
		build_platform(env, false, &p);
		if (c->len == ACPI_RSDP_V2_LEN)
			make_rsdp(env->rsdp, 2, (u32)p.root, 0);
		env->rsdp[c->offset] ^= c->xor;
		if (c->fix_checksum)
			set_checksum(env->rsdp, ACPI_RSDP_V1_LEN, 8);
		EXPECT_EQ(parse(env, c->len, NULL, 0), -EINVAL);
		assert_false(env->info.present);
		EXPECT_EQ(env->info.table_count, 0);
		expect_warning(&env->info, "RSDP");
	}
}

enum root_fault { ROOT_BAD_CHECKSUM, ROOT_BAD_SIGNATURE, ROOT_OUTSIDE, ROOT_TOO_SHORT };

struct root_fault_case {
	const char *name;
	bool xsdt;
	enum root_fault fault;
};

static const struct root_fault_case root_fault_cases[] = {
	{ "RSDT with a bad checksum", false, ROOT_BAD_CHECKSUM },
	{ "XSDT with a bad checksum", true, ROOT_BAD_CHECKSUM },
	{ "RSDT signed XSDT", false, ROOT_BAD_SIGNATURE },
	{ "XSDT signed RSDT", true, ROOT_BAD_SIGNATURE },
	{ "RSDT outside memory", false, ROOT_OUTSIDE },
	{ "XSDT outside memory", true, ROOT_OUTSIDE },
	{ "RSDT shorter than its header", false, ROOT_TOO_SHORT },
};

static void test_unusable_root_table_is_rejected_with_a_warning(void **state)
{
	struct env *env = *state;

	for (size_t i = 0; i < ARRAY_SIZE(root_fault_cases); i++) {
		const struct root_fault_case *c = &root_fault_cases[i];
		const char *sig = c->xsdt ? "XSDT" : "RSDT";
		struct platform p;
		u8 *t;

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fake_reset(&env->mem, LOW_BASE);
		build_platform(env, c->xsdt, &p);
		t = fake_ptr(&env->mem, p.root);
		switch (c->fault) {
		case ROOT_BAD_CHECKSUM:
			corrupt_sdt(&env->mem, p.root);
			break;
		case ROOT_BAD_SIGNATURE:
			seal_sdt(t, c->xsdt ? "RSDT" : "XSDT", 1, 36 + 3 * (c->xsdt ? 8 : 4));
			break;
		case ROOT_OUTSIDE:
			make_rsdp(env->rsdp, c->xsdt ? 2 : 0, c->xsdt ? 0 : 0x1000,
				  c->xsdt ? LOW_BASE + FAKE_SIZE : 0);
			break;
		case ROOT_TOO_SHORT:
			seal_sdt(t, sig, 1, 20);
			break;
		}
		EXPECT_EQ(parse(env, ACPI_RSDP_V2_LEN, NULL, 0), -EINVAL);
		assert_false(env->info.present);
		EXPECT_EQ(env->info.table_count, 0);
		assert_false(env->info.has_madt);
		expect_warning(&env->info, sig);
	}
}

struct madt_fault_case {
	const char *name;
	const u8 *entries;
	u32 len;
	u32 cpus, ioapics;	/* entries kept */
	const char *warning;
};

static const struct madt_fault_case bad_length_cases[] = {
	{ "entry of length 0", BYTES(MADT_LAPIC(0, 0, 1), MADT_IOAPIC(1, 0xfec00000, 0),
				      0, 0, MADT_LAPIC(1, 1, 1)), 1, 1, "bad length" },
	{ "entry of length 1", BYTES(MADT_LAPIC(0, 0, 1), 1, 1, MADT_LAPIC(1, 1, 1),
				      MADT_IOAPIC(1, 0xfec00000, 0)), 1, 0, "bad length" },
	{ "entry running past the table", BYTES(MADT_LAPIC(0, 0, 1),
						 MADT_IOAPIC(1, 0xfec00000, 0),
						 9, 16, 0, 0, B32(5), B32(1)),
	  1, 1, "bad length" },
	{ "LAPIC running past the table", BYTES(MADT_IOAPIC(1, 0xfec00000, 0),
						 MADT_LAPIC(0, 0, 1), 0, 8, 1, 1, 1, 0),
	  1, 1, "bad length" },
};

static void expect_madt_entries_kept(struct env *env, const struct madt_fault_case *c)
{
	const struct acpi_info *info = &env->info;

	fake_reset(&env->mem, LOW_BASE);
	snprintf(unit_label, sizeof(unit_label), "%s", c->name);
	parse_madt_entries(env, c->entries, c->len);
	assert_true(info->has_madt);
	EXPECT_EQ(info->cpu_count, c->cpus);
	EXPECT_EQ(info->ioapic_count, c->ioapics);
	EXPECT_EQ(info->override_count, 0);
	EXPECT_EQ(info->nmi_count, 0);
	EXPECT_EQ(info->lapic_address, LAPIC_BASE);
	EXPECT_EQ(info->warning_count, 1);
	expect_warning(info, c->warning);
	expect_warning(info, "MADT");
}

static void test_madt_entry_with_bad_length_stops_parsing_and_keeps_earlier_entries(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_length_cases); i++)
		expect_madt_entries_kept(*state, &bad_length_cases[i]);
}

/* A last entry cut off inside its 2-byte header is truncated too, not silently dropped. */
static void test_madt_entry_header_cut_by_the_table_end_warns(void **state)
{
	const struct madt_fault_case cut = {
		"entry header cut by the end of the table",
		BYTES(MADT_LAPIC(0, 0, 1), MADT_IOAPIC(1, 0xfec00000, 0), MADT_IOAPIC_TYPE),
		1, 1, "MADT",
	};

	expect_madt_entries_kept(*state, &cut);
}

/* Each entry is one byte shorter than its type needs, or more; the LAPIC after it counts. */
static const struct madt_fault_case short_entry_cases[] = {
	{ "short LAPIC", BYTES(0, 7, 1, 1, 1, 0, 0, MADT_LAPIC(7, 7, 1)), 1, 0, "too short" },
	{ "short IOAPIC", BYTES(1, 11, 3, 0, B32(0xfec00000), 0, 0, 0, MADT_LAPIC(7, 7, 1)),
	  1, 0, "too short" },
	{ "short override", BYTES(2, 9, 0, 9, B32(9), 0, MADT_LAPIC(7, 7, 1)),
	  1, 0, "too short" },
	{ "short LAPIC NMI", BYTES(4, 5, 0xff, B16(5), MADT_LAPIC(7, 7, 1)),
	  1, 0, "too short" },
	{ "short LAPIC address override", BYTES(5, 8, 0, 0, B32(0xfed00000),
						 MADT_LAPIC(7, 7, 1)), 1, 0, "too short" },
	{ "short x2APIC", BYTES(9, 12, 0, 0, B32(0x200), B32(1), MADT_LAPIC(7, 7, 1)),
	  1, 0, "too short" },
	{ "short x2APIC NMI", BYTES(10, 10, B16(5), B32(0xffffffff), 1, 0,
				     MADT_LAPIC(7, 7, 1)), 1, 0, "too short" },
};

static void test_madt_entry_shorter_than_its_type_is_skipped_with_a_warning(void **state)
{
	struct env *env = *state;

	for (size_t i = 0; i < ARRAY_SIZE(short_entry_cases); i++) {
		expect_madt_entries_kept(env, &short_entry_cases[i]);
		EXPECT_EQ(env->info.cpus[0].apic_id, 7);
	}
}

static void test_unreadable_tables_give_warnings_not_crashes(void **state)
{
	struct env *env = *state;
	struct fake_mem *m = &env->mem;
	const struct acpi_info *info = &env->info;
	struct platform p;
	u64 tables[5];
	u8 *cut;

	snprintf(unit_label, sizeof(unit_label), "%s", "unreadable tables");
	build_platform(env, false, &p);
	/* A header whose length runs past the end of memory. */
	cut = fake_ptr(m, fake_top(m, 64));
	memcpy(cut, "SSDT", 4);
	put32(cut + 4, 4096);
	tables[0] = p.madt;
	tables[1] = LOW_BASE - 0x10000;
	tables[2] = fake_top(m, 64);
	tables[3] = LOW_BASE + FAKE_SIZE + 0x1000;
	tables[4] = p.fadt;
	parse_tables(env, tables, 5);
	EXPECT_EQ(info->table_count, 2);
	expect_table(info, 0, "APIC", p.madt, true);
	expect_table(info, 1, "FACP", p.fadt, true);
	EXPECT_EQ(count_warnings(info, "unreadable"), 3);
	EXPECT_EQ(info->warning_count, 3);
	assert_true(info->has_madt);
	assert_true(info->has_fadt);
	assert_true(info->has_s5);
}

struct short_table_case {
	const char *name;
	const char *sig;
	u32 len;
	const char *warning;
};

static void test_madt_and_fadt_shorter_than_their_fields_are_ignored(void **state)
{
	static const struct short_table_case cases[] = {
		{ "MADT without its flags field", "APIC", 40, "MADT" },
		{ "MADT of a bare header", "APIC", 36, "MADT" },
		{ "FADT one byte short of RESET_REG", "FACP", 115, "FADT" },
		{ "FADT without PM1 blocks", "FACP", 64, "FADT" },
	};
	struct env *env = *state;
	const struct acpi_info *info = &env->info;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 image[128];
		u64 table;

		snprintf(unit_label, sizeof(unit_label), "%s", cases[i].name);
		memset(image, 0x11, sizeof(image));
		fake_reset(&env->mem, LOW_BASE);
		table = add_sdt(&env->mem, cases[i].sig, 1, image, cases[i].len);
		parse_tables(env, &table, 1);
		EXPECT_EQ(info->table_count, 1);
		assert_false(info->has_madt);
		assert_false(info->has_fadt);
		EXPECT_EQ(info->cpu_count, 0);
		expect_warning(info, cases[i].warning);
	}
}

enum fw_madt { FW_NO_MADT, FW_GOOD_MADT, FW_BAD_MADT };

struct override_case {
	const char *name;
	enum fw_madt fw_madt;
	bool ov_madt, ov_ssdt, ov_outside;
	u32 tables;
	bool madt_from_override;
	u32 cpus;
	const char *warning;
};

static const struct override_case override_cases[] = {
	{ "no overrides", FW_GOOD_MADT, false, false, false, 2, false, 2, NULL },
	{ "override replaces the firmware MADT", FW_GOOD_MADT, true, false, false,
	  2, true, 4, NULL },
	{ "override replaces a corrupt firmware MADT", FW_BAD_MADT, true, false, false,
	  2, true, 4, NULL },
	{ "overrides are added when the firmware lacks them", FW_NO_MADT, true, true, false,
	  3, true, 4, NULL },
	{ "override of another signature leaves the MADT", FW_GOOD_MADT, false, true, false,
	  3, false, 2, NULL },
	{ "unreadable override", FW_GOOD_MADT, false, false, true, 2, false, 2, "unreadable" },
};

static void test_override_tables_replace_or_add_firmware_tables(void **state)
{
	static const u8 fw_entries[] = {
		MADT_LAPIC(0, 0, CPU_ENABLED), MADT_LAPIC(1, 1, CPU_ENABLED),
	};
	static const u8 ov_entries[] = {
		MADT_LAPIC(0, 0, CPU_ENABLED), MADT_LAPIC(1, 1, CPU_ENABLED),
		MADT_LAPIC(2, 2, CPU_ENABLED), MADT_LAPIC(3, 3, CPU_ENABLED),
	};
	struct env *env = *state;
	const struct acpi_info *info = &env->info;

	for (size_t i = 0; i < ARRAY_SIZE(override_cases); i++) {
		const struct override_case *c = &override_cases[i];
		struct fake_mem *m = &env->mem;
		struct fadt_spec spec = modern_fadt;
		u64 fw[2], ov[3], ov_madt = 0;
		u32 n_fw = 0, n_ov = 0;
		const struct acpi_table_ref *madt;

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fake_reset(m, LOW_BASE);
		if (c->fw_madt != FW_NO_MADT)
			fw[n_fw++] = add_madt(m, LAPIC_BASE, 1, fw_entries, sizeof(fw_entries));
		if (c->fw_madt == FW_BAD_MADT)
			corrupt_sdt(m, fw[0]);
		fw[n_fw++] = add_fadt(m, &spec);
		if (c->ov_ssdt)
			ov[n_ov++] = add_sdt(m, "SSDT", 2, NULL, 40);
		if (c->ov_madt)
			ov[n_ov++] = ov_madt = add_madt(m, 0xfee10000, 1, ov_entries,
							sizeof(ov_entries));
		if (c->ov_outside)
			ov[n_ov++] = LOW_BASE + 4 * FAKE_SIZE;

		make_rsdp(env->rsdp, 0, (u32)add_root(m, false, fw, n_fw), 0);
		EXPECT_EQ(parse(env, ACPI_RSDP_V1_LEN, ov, n_ov), 0);
		EXPECT_EQ(info->table_count, c->tables);
		madt = acpi_find_table(info, "APIC");
		assert_non_null(madt);
		assert_true(info->has_madt);
		EXPECT_EQ(madt->address, c->madt_from_override ? ov_madt : fw[0]);
		EXPECT_EQ(info->lapic_address, c->madt_from_override ? 0xfee10000 : LAPIC_BASE);
		EXPECT_EQ(info->cpu_count, c->cpus);
		assert_true(info->has_fadt);
		if (c->ov_ssdt)
			assert_non_null(acpi_find_table(info, "SSDT"));
		if (c->warning)
			expect_warning(info, c->warning);
		else
			expect_no_warnings(info);
	}
}

static void test_madt_entries_beyond_the_limits_are_dropped(void **state)
{
	enum { CPUS = ACPI_MAX_CPUS + 20, IOAPICS = ACPI_MAX_IOAPICS + 2 };
	enum { OVERRIDES = ACPI_MAX_OVERRIDES + 3, NMIS = ACPI_MAX_NMIS + 3 };
	u32 len = CPUS * 16 + IOAPICS * 12 + OVERRIDES * 10 + NMIS * 6;
	struct env *env = *state;
	const struct acpi_info *info = &env->info;
	u8 *entries = calloc(1, len), *e = entries;

	snprintf(unit_label, sizeof(unit_label), "%s", "limits");
	assert_non_null(entries);
	for (u32 i = 0; i < CPUS; i++, e += 16) {
		const u8 x2apic[] = { MADT_X2APIC(i, CPU_ENABLED, i) };

		memcpy(e, x2apic, sizeof(x2apic));
	}
	for (u32 i = 0; i < IOAPICS; i++, e += 12) {
		const u8 ioapic[] = { MADT_IOAPIC(i, 0xfec00000 + i * 0x1000, i * 24) };

		memcpy(e, ioapic, sizeof(ioapic));
	}
	for (u32 i = 0; i < OVERRIDES; i++, e += 10) {
		const u8 override[] = { MADT_OVERRIDE(i, i + 100, 0) };

		memcpy(e, override, sizeof(override));
	}
	for (u32 i = 0; i < NMIS; i++, e += 6) {
		const u8 nmi[] = { MADT_NMI(i, 0, 1) };

		memcpy(e, nmi, sizeof(nmi));
	}
	parse_madt_entries(env, entries, len);
	free(entries);
	EXPECT_EQ(info->cpu_count, ACPI_MAX_CPUS);
	EXPECT_EQ(info->cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
	expect_warning(info, "CPUs");
	assert_true(info->warning_count <= ACPI_WARNINGS_MAX);
	EXPECT_EQ(info->ioapic_count, ACPI_MAX_IOAPICS);
	EXPECT_EQ(info->ioapics[ACPI_MAX_IOAPICS - 1].id, ACPI_MAX_IOAPICS - 1);
	EXPECT_EQ(info->override_count, ACPI_MAX_OVERRIDES);
	EXPECT_EQ(info->overrides[ACPI_MAX_OVERRIDES - 1].gsi, ACPI_MAX_OVERRIDES - 1 + 100);
	EXPECT_EQ(info->nmi_count, ACPI_MAX_NMIS);
	EXPECT_EQ(info->nmis[ACPI_MAX_NMIS - 1].uid, ACPI_MAX_NMIS - 1);
}

static void test_table_list_and_warnings_are_bounded(void **state)
{
	enum { GOOD = ACPI_MAX_TABLES + 4, BAD = ACPI_WARNINGS_MAX + 4 };
	struct env *env = *state;
	const struct acpi_info *info = &env->info;
	u64 tables[GOOD + BAD];

	snprintf(unit_label, sizeof(unit_label), "%s", "bounds");
	for (u32 i = 0; i < BAD; i++)
		tables[i] = LOW_BASE + FAKE_SIZE + i * 0x1000;
	for (u32 i = 0; i < GOOD; i++)
		tables[BAD + i] = add_sdt(&env->mem, "OEMT", 1, NULL, 36);
	parse_tables(env, tables, GOOD + BAD);
	EXPECT_EQ(info->table_count, ACPI_MAX_TABLES);
	EXPECT_EQ(info->tables[ACPI_MAX_TABLES - 1].address, tables[BAD + ACPI_MAX_TABLES - 1]);
	EXPECT_EQ(info->warning_count, ACPI_WARNINGS_MAX);
	for (u32 i = 0; i < ACPI_WARNINGS_MAX; i++) {
		assert_non_null(memchr(info->warnings[i], '\0', ACPI_WARNING_LEN));
		assert_non_null(strstr(info->warnings[i], "unreadable"));
	}
}

enum rsdp_kind { RSDP_GOOD, RSDP_BAD_CHECKSUM, RSDP_BAD_SIGNATURE };

struct rsdp_place {
	u32 addr;
	u8 revision;
	enum rsdp_kind kind;
};

struct find_case {
	const char *name;
	u16 ebda_segment;
	struct rsdp_place places[2];
	u32 count;
	int found;	/* index into places, or -1 */
};

static const struct find_case find_cases[] = {
	{ "v1 in the BIOS area", 0x9fc0, { { 0xf5a10, 0, RSDP_GOOD } }, 1, 0 },
	{ "v2 at the start of the BIOS area", 0x9fc0, { { 0xe0000, 2, RSDP_GOOD } }, 1, 0 },
	{ "last slot of the BIOS area", 0x9fc0, { { 0xfffe0, 0, RSDP_GOOD } }, 1, 0 },
	{ "v2 in the EBDA", 0x9fc0, { { 0x9fd00, 2, RSDP_GOOD } }, 1, 0 },
	{ "start of the EBDA", 0x9fc0, { { 0x9fc00, 0, RSDP_GOOD } }, 1, 0 },
	{ "EBDA before the BIOS area", 0x9fc0,
	  { { 0xe0000, 2, RSDP_GOOD }, { 0x9fd00, 0, RSDP_GOOD } }, 2, 1 },
	{ "bad checksum in the EBDA", 0x9fc0,
	  { { 0x9fd00, 0, RSDP_BAD_CHECKSUM }, { 0xf0000, 0, RSDP_GOOD } }, 2, 1 },
	{ "bad checksum in the BIOS area", 0x9fc0,
	  { { 0xe0000, 2, RSDP_BAD_CHECKSUM }, { 0xe0030, 2, RSDP_GOOD } }, 2, 1 },
	{ "only bad RSDPs", 0x9fc0,
	  { { 0xe0000, 0, RSDP_BAD_CHECKSUM }, { 0xf0000, 2, RSDP_BAD_SIGNATURE } }, 2, -1 },
	{ "not on a 16-byte boundary", 0x9fc0, { { 0xe0008, 0, RSDP_GOOD } }, 1, -1 },
	{ "past the first KiB of the EBDA", 0x9f00, { { 0x9f400, 0, RSDP_GOOD } }, 1, -1 },
	{ "below the BIOS area", 0x9fc0, { { 0xdfff0, 0, RSDP_GOOD } }, 1, -1 },
	{ "no RSDP", 0x9fc0, { { 0 } }, 0, -1 },
};

/* An RSDP naming its own address as root table, so each one is recognisable. */
static void place_rsdp(struct fake_mem *m, const struct rsdp_place *pl)
{
	u8 r[ACPI_RSDP_V2_LEN];

	make_rsdp(r, pl->revision, pl->addr, pl->revision >= 2 ? pl->addr : 0);
	if (pl->kind == RSDP_BAD_CHECKSUM)
		r[8] ^= 0x01;
	if (pl->kind == RSDP_BAD_SIGNATURE) {
		r[3] = 'X';
		set_checksum(r, ACPI_RSDP_V1_LEN, 8);
	}
	memcpy(fake_ptr(m, pl->addr), r, pl->revision >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN);
}

static void test_find_rsdp_searches_the_ebda_then_the_bios_area(void **state)
{
	struct env *env = *state;
	struct fake_mem *m = &env->mem;

	for (size_t i = 0; i < ARRAY_SIZE(find_cases); i++) {
		const struct find_case *c = &find_cases[i];
		const struct rsdp_place *want = &c->places[c->found < 0 ? 0 : c->found];
		u8 out[ACPI_RSDP_V2_LEN];
		u32 len;

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fake_reset(m, 0);
		put16(fake_ptr(m, 0x40e), c->ebda_segment);
		for (u32 k = 0; k < c->count; k++)
			place_rsdp(m, &c->places[k]);
		memset(out, 0xee, sizeof(out));
		len = acpi_find_rsdp(&fake_ops, m, out);
		if (c->found < 0) {
			EXPECT_EQ(len, 0);
			continue;
		}
		EXPECT_EQ(len, want->revision >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN);
		assert_memory_equal(out, fake_ptr(m, want->addr), len);
	}
}

static void test_rsdp_found_in_memory_parses(void **state)
{
	struct env *env = *state;
	struct fake_mem *m = &env->mem;
	u8 out[ACPI_RSDP_V2_LEN];
	struct platform p;
	u32 len;

	snprintf(unit_label, sizeof(unit_label), "%s", "find and parse");
	fake_reset(m, 0);
	m->next = 0x10000;
	build_platform(env, true, &p);
	memcpy(fake_ptr(m, 0xf1230), env->rsdp, ACPI_RSDP_V2_LEN);
	memset(env->rsdp, 0, sizeof(env->rsdp));
	len = acpi_find_rsdp(&fake_ops, m, out);
	EXPECT_EQ(len, ACPI_RSDP_V2_LEN);
	EXPECT_EQ(acpi_parse(out, len, &fake_ops, m, NULL, 0, &env->info), 0);
	EXPECT_EQ(env->info.revision, 2);
	expect_platform(&env->info, &p);
}

struct checksum_case {
	const u8 *bytes;
	u32 len;
	bool ok;
};

static void test_checksum_ok_means_bytes_sum_to_zero_mod_256(void **state)
{
	static const u8 zeros[64];
	const struct checksum_case cases[] = {
		{ zeros, 0, true },
		{ BYTES(0), true },
		{ BYTES(1), false },
		{ BYTES(0x80, 0x80), true },
		{ BYTES(0xff, 0x01), true },
		{ BYTES(0xff, 0x02), false },
		{ BYTES(0x10, 0x20, 0x30, 0xa0), true },
		{ BYTES(0x10, 0x20, 0x30, 0xa0, 0x01), false },
		{ zeros, sizeof(zeros), true },
	};
	struct env *env = *state;
	u64 table;
	u8 *t;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT_EQ(acpi_checksum_ok(cases[i].bytes, cases[i].len), cases[i].ok);
	table = add_madt(&env->mem, LAPIC_BASE, 1, std_madt_entries, sizeof(std_madt_entries));
	t = fake_ptr(&env->mem, table);
	assert_true(acpi_checksum_ok(t, 44 + sizeof(std_madt_entries)));
	t[50] ^= 0x04;
	assert_false(acpi_checksum_ok(t, 44 + sizeof(std_madt_entries)));
}

static void test_find_table_skips_tables_with_bad_checksums(void **state)
{
	struct env *env = *state;
	struct acpi_info *info = &env->info;
	static const struct acpi_table_ref refs[] = {
		{ "APIC", 0x1000, 44, false },
		{ "FACP", 0x2000, 276, true },
		{ "APIC", 0x3000, 44, true },
		{ "HPET", 0x4000, 56, false },
		{ "APIC", 0x5000, 44, true },
	};

	memset(info, 0, sizeof(*info));
	memcpy(info->tables, refs, sizeof(refs));
	info->table_count = ARRAY_SIZE(refs);
	assert_ptr_equal(acpi_find_table(info, "APIC"), &info->tables[2]);
	assert_ptr_equal(acpi_find_table(info, "FACP"), &info->tables[1]);
	assert_null(acpi_find_table(info, "HPET"));
	assert_null(acpi_find_table(info, "SSDT"));
	info->table_count = 2;
	assert_null(acpi_find_table(info, "APIC"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, env_setup, env_teardown)
	const struct CMUnitTest tests[] = {
		T(test_v1_rsdp_is_parsed_through_the_rsdt),
		T(test_v2_rsdp_is_parsed_through_the_xsdt_above_4g),
		T(test_rsdp_revision_and_length_choose_the_root_table),
		T(test_madt_lists_each_usable_cpu_once),
		T(test_madt_lists_ioapics_overrides_and_nmis),
		T(test_madt_lapic_address_override_replaces_the_header_address),
		T(test_fadt_fields_and_s5_values_are_read),
		T(test_s5_is_found_in_common_aml_encodings),
		T(test_madt_with_bad_checksum_is_ignored_and_the_rest_parsed),
		T(test_first_madt_with_a_good_checksum_is_used),
		T(test_bad_rsdp_is_rejected_with_a_warning),
		T(test_unusable_root_table_is_rejected_with_a_warning),
		T(test_madt_entry_with_bad_length_stops_parsing_and_keeps_earlier_entries),
		T(test_madt_entry_header_cut_by_the_table_end_warns),
		T(test_madt_entry_shorter_than_its_type_is_skipped_with_a_warning),
		T(test_unreadable_tables_give_warnings_not_crashes),
		T(test_madt_and_fadt_shorter_than_their_fields_are_ignored),
		T(test_override_tables_replace_or_add_firmware_tables),
		T(test_madt_entries_beyond_the_limits_are_dropped),
		T(test_table_list_and_warnings_are_bounded),
		T(test_find_rsdp_searches_the_ebda_then_the_bios_area),
		T(test_rsdp_found_in_memory_parses),
		T(test_checksum_ok_means_bytes_sum_to_zero_mod_256),
		T(test_find_table_skips_tables_with_bad_checksums),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
