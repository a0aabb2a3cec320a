/* SPDX-License-Identifier: MIT */
/* ACPI table parser. Pure: all memory is reached through acpi_ops.map. */
#include "arch/x86/acpi.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

#define SDT_HEADER_LEN 36
#define MADT_ENTRIES_OFFSET 44
#define FADT_MIN_LEN 116

enum madt_entry_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDRESS = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

#define MADT_CPU_ENABLED BIT(0)
#define MADT_CPU_ONLINE_CAPABLE BIT(1)

static u16 get16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

static u32 get32(const u8 *p)
{
	return get16(p) | (u32)get16(p + 2) << 16;
}

static u64 get64(const u8 *p)
{
	return get32(p) | (u64)get32(p + 4) << 32;
}

static __printf(2, 3) void warn(struct acpi_info *info, const char *fmt, ...)
{
	va_list ap;

	if (info->warning_count == ACPI_WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	format_v(info->warnings[info->warning_count++], ACPI_WARNING_LEN, fmt, ap);
	va_end(ap);
}

bool acpi_checksum_ok(const void *p, u64 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum = (u8)(sum + *b++);
	return sum == 0;
}

/* Map a whole table: its header first, to learn the length. NULL if unreadable or absurd. */
static const u8 *map_table(const struct acpi_ops *ops, void *ctx, u64 phys, u32 *len)
{
	const u8 *h = ops->map(ctx, phys, SDT_HEADER_LEN);

	if (!h)
		return NULL;
	*len = get32(h + 4);
	if (*len < SDT_HEADER_LEN || *len > 16 * MiB)
		return NULL;
	return ops->map(ctx, phys, *len);
}

const struct acpi_table_ref *acpi_find_table(const struct acpi_info *info, const char *sig)
{
	for (u32 i = 0; i < info->table_count; i++)
		if (info->tables[i].checksum_ok && memcmp(info->tables[i].signature, sig, 4) == 0)
			return &info->tables[i];
	return NULL;
}

static void add_cpu(struct acpi_info *info, u32 apic_id, u32 uid, u32 flags, bool x2)
{
	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
		return;	/* firmware says this processor cannot be used */
	for (u32 i = 0; i < info->cpu_count; i++)
		if (info->cpus[i].apic_id == apic_id)
			return;	/* listed twice (xAPIC and x2APIC entries) */
	if (info->cpu_count == ACPI_MAX_CPUS) {
		warn(info, "MADT: more than %u CPUs; the rest are ignored", ACPI_MAX_CPUS);
		return;
	}
	info->cpus[info->cpu_count++] = (struct acpi_cpu){ apic_id, uid, x2 };
}

/* Minimum length of each MADT entry type we read. */
static u8 madt_entry_min_len(u8 type)
{
	switch (type) {
	case MADT_LAPIC: return 8;
	case MADT_IOAPIC: return 12;
	case MADT_OVERRIDE: return 10;
	case MADT_LAPIC_NMI: return 6;
	case MADT_LAPIC_ADDRESS: return 12;
	case MADT_X2APIC: return 16;
	case MADT_X2APIC_NMI: return 12;
	default: return 2;
	}
}

static void madt_entry(struct acpi_info *info, const u8 *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(info, e[3], e[2], get32(e + 4), false);
		break;
	case MADT_X2APIC:
		add_cpu(info, get32(e + 4), get32(e + 12), get32(e + 8), true);
		break;
	case MADT_IOAPIC:
		if (info->ioapic_count < ACPI_MAX_IOAPICS)
			info->ioapics[info->ioapic_count++] =
				(struct acpi_ioapic){ e[2], get32(e + 4), get32(e + 8) };
		break;
	case MADT_OVERRIDE:
		if (info->override_count < ACPI_MAX_OVERRIDES)
			info->overrides[info->override_count++] =
				(struct acpi_override){ e[3], get32(e + 4), get16(e + 8) };
		break;
	case MADT_LAPIC_NMI:
		if (info->nmi_count < ACPI_MAX_NMIS)
			info->nmis[info->nmi_count++] = (struct acpi_nmi){
				e[2] == 0xff ? 0xffffffffu : e[2], e[5], get16(e + 3) };
		break;
	case MADT_X2APIC_NMI:
		if (info->nmi_count < ACPI_MAX_NMIS)
			info->nmis[info->nmi_count++] =
				(struct acpi_nmi){ get32(e + 4), e[8], get16(e + 2) };
		break;
	case MADT_LAPIC_ADDRESS:
		info->lapic_address = get64(e + 4);
		break;
	default:
		break;	/* entry types for other architectures or features we do not use */
	}
}

static void parse_madt(struct acpi_info *info, const u8 *t, u32 len)
{
	u32 off = MADT_ENTRIES_OFFSET;

	if (len < MADT_ENTRIES_OFFSET) {
		warn(info, "MADT: %u bytes is too short; ignored", len);
		return;
	}
	info->lapic_address = get32(t + 36);
	info->pcat_compat = get32(t + 40) & 1;
	while (off + 2 <= len) {
		const u8 *e = t + off;

		if (e[1] < 2 || off + e[1] > len) {
			warn(info, "MADT: entry at offset %u has a bad length %u; rest ignored",
			     off, e[1]);
			break;
		}
		if (e[1] < madt_entry_min_len(e[0]))
			warn(info, "MADT: type %u entry at offset %u is too short; skipped", e[0],
			     off);
		else
			madt_entry(info, e);
		off += e[1];
	}
	if (off < len && off + 2 > len)
		warn(info, "MADT: %u stray byte(s) at the end; ignored", len - off);
	info->has_madt = true;
}

/*
 * Find the \_S5 package in AML and read its first two values (SLP_TYPa, SLP_TYPb). This is a
 * pattern match on the common encodings, not an AML interpreter: NameOp "_S5_" PackageOp
 * PkgLength NumElements, then each value as ZeroOp, OneOp, BytePrefix n, or a bare byte.
 */
static bool find_s5(const u8 *aml, u32 len, u8 *a, u8 *b)
{
	for (u32 i = 1; i + 4 < len; i++) {
		u32 p;
		u8 vals[2];

		if (memcmp(aml + i, "_S5_", 4) || (aml[i - 1] != 0x08 && aml[i - 1] != '\\'))
			continue;
		p = i + 4;
		if (p >= len || aml[p] != 0x12)
			continue;
		p++;
		if (p >= len)
			return false;
		p += 1 + (aml[p] >> 6);	/* PkgLength: bits 7:6 of the lead byte count extra bytes */
		p++;			/* NumElements */
		for (int v = 0; v < 2; v++) {
			if (p >= len)
				return false;
			if (aml[p] == 0x0a) {	/* BytePrefix */
				if (p + 1 >= len)
					return false;
				vals[v] = aml[p + 1];
				p += 2;
			} else {
				vals[v] = aml[p];	/* ZeroOp is 0, OneOp is 1 */
				p++;
			}
		}
		*a = vals[0];
		*b = vals[1];
		return true;
	}
	return false;
}

static void parse_dsdt(struct acpi_info *info, const struct acpi_ops *ops, void *ctx, u64 phys)
{
	u32 len;
	const u8 *t = map_table(ops, ctx, phys, &len);

	if (!t || memcmp(t, "DSDT", 4) || !acpi_checksum_ok(t, len)) {
		warn(info, "DSDT at %#llx unreadable or bad; no ACPI power-off", phys);
		return;
	}
	info->has_s5 = find_s5(t + SDT_HEADER_LEN, len - SDT_HEADER_LEN, &info->s5_slp_typ_a,
			       &info->s5_slp_typ_b);
}

static void parse_fadt(struct acpi_info *info, const struct acpi_ops *ops, void *ctx,
		       const u8 *t, u32 len)
{
	u64 dsdt;

	if (len < FADT_MIN_LEN) {
		warn(info, "FADT: %u bytes is too short; ignored", len);
		return;
	}
	info->has_fadt = true;
	info->smi_command = get32(t + 48);
	info->acpi_enable_value = t[52];
	info->pm1a_control = get32(t + 64);
	info->pm1b_control = get32(t + 68);
	/* IAPC_BOOT_ARCH bit 1 (8042) is defined from revision 2 on; older FADTs imply it. */
	info->has_8042 = t[8] < 2 || (get16(t + 109) & BIT(1));
	if (len >= 129 && (get32(t + 112) & BIT(10)) && t[116] == 1) {	/* RESET_REG_SUP, I/O */
		info->has_reset_register = true;
		info->reset_port = get64(t + 120);
		info->reset_value = t[128];
	}
	dsdt = len >= 148 && get64(t + 140) ? get64(t + 140) : get32(t + 40);
	if (dsdt)
		parse_dsdt(info, ops, ctx, dsdt);
}

struct overrides {
	const u64 *phys;
	u32 count;
	u32 used;	/* bit i: overrides.phys[i] replaced a firmware table */
};

/* The override table replacing a firmware table with signature sig, if any. */
static bool find_override(const struct acpi_ops *ops, void *ctx, struct overrides *ov,
			  const u8 *sig, u64 *phys)
{
	for (u32 i = 0; i < ov->count; i++) {
		const u8 *h = ops->map(ctx, ov->phys[i], SDT_HEADER_LEN);

		if (h && memcmp(h, sig, 4) == 0) {
			ov->used |= 1u << i;
			*phys = ov->phys[i];
			return true;
		}
	}
	return false;
}

static void record_table(struct acpi_info *info, const struct acpi_ops *ops, void *ctx,
			 struct overrides *ov, u64 phys)
{
	struct acpi_table_ref *ref;
	u32 len;
	const u8 *t = map_table(ops, ctx, phys, &len);

	if (!t) {
		warn(info, "table at %#llx is unreadable; ignored", phys);
		return;
	}
	if (ov && find_override(ops, ctx, ov, t, &phys) && !(t = map_table(ops, ctx, phys, &len))) {
		warn(info, "override table at %#llx is unreadable; ignored", phys);
		return;
	}
	if (info->table_count == ACPI_MAX_TABLES)
		return;
	ref = &info->tables[info->table_count++];
	memcpy(ref->signature, t, 4);
	ref->signature[4] = '\0';
	ref->address = phys;
	ref->length = len;
	ref->checksum_ok = acpi_checksum_ok(t, len);
	if (!ref->checksum_ok)
		warn(info, "%s at %#llx has a bad checksum; ignored", ref->signature, phys);
}

static void parse_known_tables(struct acpi_info *info, const struct acpi_ops *ops, void *ctx)
{
	const struct acpi_table_ref *madt = acpi_find_table(info, "APIC");
	const struct acpi_table_ref *fadt = acpi_find_table(info, "FACP");
	const u8 *t;
	u32 len;

	if (madt && (t = map_table(ops, ctx, madt->address, &len)))
		parse_madt(info, t, len);
	if (fadt && (t = map_table(ops, ctx, fadt->address, &len)))
		parse_fadt(info, ops, ctx, t, len);
}

int acpi_parse(const u8 *rsdp, u32 rsdp_len, const struct acpi_ops *ops, void *ctx,
	       const u64 *overrides, u32 override_count, struct acpi_info *info)
{
	struct overrides ov = { overrides, MIN(override_count, 32u), 0 };
	bool use_xsdt;
	u64 root;
	u32 len, entry_size;
	const u8 *t;

	memset(info, 0, sizeof(*info));
	if (rsdp_len < ACPI_RSDP_V1_LEN || memcmp(rsdp, "RSD PTR ", 8) ||
	    !acpi_checksum_ok(rsdp, ACPI_RSDP_V1_LEN)) {
		warn(info, "RSDP is missing or has a bad checksum");
		return -EINVAL;
	}
	info->revision = rsdp[15];
	memcpy(info->oem_id, rsdp + 9, 6);
	use_xsdt = info->revision >= 2 && rsdp_len >= ACPI_RSDP_V2_LEN &&
		   acpi_checksum_ok(rsdp, ACPI_RSDP_V2_LEN) && get64(rsdp + 24);
	root = use_xsdt ? get64(rsdp + 24) : get32(rsdp + 16);
	entry_size = use_xsdt ? 8 : 4;
	t = map_table(ops, ctx, root, &len);
	if (!t || memcmp(t, use_xsdt ? "XSDT" : "RSDT", 4) || !acpi_checksum_ok(t, len)) {
		warn(info, "%s at %#llx is unreadable or has a bad checksum",
		     use_xsdt ? "XSDT" : "RSDT", root);
		return -EINVAL;
	}
	info->present = true;
	for (u32 off = SDT_HEADER_LEN; off + entry_size <= len; off += entry_size)
		record_table(info, ops, ctx, &ov, use_xsdt ? get64(t + off) : get32(t + off));
	for (u32 i = 0; i < ov.count; i++)
		if (!(ov.used & (1u << i)))
			record_table(info, ops, ctx, NULL, ov.phys[i]);
	parse_known_tables(info, ops, ctx);
	return 0;
}

static u32 scan_for_rsdp(const struct acpi_ops *ops, void *ctx, u64 start, u64 len, u8 *out)
{
	const u8 *p = ops->map(ctx, start, len);

	for (u64 off = 0; p && off + ACPI_RSDP_V1_LEN <= len; off += 16) {
		const u8 *r = p + off;
		u32 rlen = ACPI_RSDP_V1_LEN;

		if (memcmp(r, "RSD PTR ", 8) || !acpi_checksum_ok(r, ACPI_RSDP_V1_LEN))
			continue;
		if (r[15] >= 2 && off + ACPI_RSDP_V2_LEN <= len)
			rlen = ACPI_RSDP_V2_LEN;
		memcpy(out, r, rlen);
		return rlen;
	}
	return 0;
}

u32 acpi_find_rsdp(const struct acpi_ops *ops, void *ctx, u8 *out)
{
	const u8 *bda = ops->map(ctx, 0x40e, 2);
	u64 ebda = bda ? (u64)get16(bda) << 4 : 0;
	u32 n = 0;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		n = scan_for_rsdp(ops, ctx, ebda, 1024, out);
	if (!n)
		n = scan_for_rsdp(ops, ctx, 0xe0000, 0x20000, out);
	return n;
}
