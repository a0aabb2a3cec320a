/* SPDX-License-Identifier: MIT */
/*
 * ACPI table parser (ACPI 6.5, chapter 5): RSDP, RSDT/XSDT, MADT, FADT and the \_S5 sleep
 * values in the DSDT. Pure: every table is read through struct acpi_ops, so unit tests feed it
 * table images and the kernel feeds it the direct map.
 */
#ifndef VIREO_ARCH_X86_ACPI_H
#define VIREO_ARCH_X86_ACPI_H

#include "kernel/types.h"

#define ACPI_MAX_CPUS 256
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_NMIS 16
#define ACPI_MAX_TABLES 32
#define ACPI_WARNINGS_MAX 8
#define ACPI_WARNING_LEN 112
#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36

struct acpi_ops {
	/*
	 * A pointer to len readable bytes of physical memory at phys, or NULL when that range
	 * cannot be read (outside RAM, say).
	 */
	const void *(*map)(void *ctx, u64 phys, u64 len);
};

struct acpi_cpu {
	u32 apic_id;
	u32 uid;		/* ACPI processor UID, which NMI entries name */
	bool x2apic_entry;	/* declared by an x2APIC entry (type 9) */
};

struct acpi_ioapic {
	u32 id;
	u64 address;
	u32 gsi_base;
};

struct acpi_override {
	u8 bus_irq;		/* ISA IRQ */
	u32 gsi;		/* the global system interrupt it arrives on */
	u16 flags;		/* MPS INTI polarity and trigger mode */
};

struct acpi_nmi {
	u32 uid;		/* processor UID, 0xffffffff: all */
	u8 lint;		/* LINT0 or LINT1 */
	u16 flags;
};

struct acpi_table_ref {
	char signature[5];
	u64 address;
	u32 length;
	bool checksum_ok;
};

struct acpi_info {
	bool present;		/* an RSDP was found and its root table is readable */
	u8 revision;		/* RSDP revision: 0 for ACPI 1.0, 2 for 2.0+ */
	char oem_id[7];
	u32 table_count;
	struct acpi_table_ref tables[ACPI_MAX_TABLES];

	bool has_madt;		/* a MADT with a good checksum was parsed */
	u64 lapic_address;
	bool pcat_compat;	/* dual 8259s present */
	u32 cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	u32 ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	u32 override_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	u32 nmi_count;
	struct acpi_nmi nmis[ACPI_MAX_NMIS];

	bool has_fadt;
	u32 smi_command;
	u8 acpi_enable_value;
	u32 pm1a_control, pm1b_control;	/* PM1 control block I/O ports */
	bool has_reset_register;	/* FADT RESET_REG in I/O space, and the flag says supported */
	u64 reset_port;
	u8 reset_value;
	bool has_8042;
	bool has_s5;		/* \_S5 found in the DSDT */
	u8 s5_slp_typ_a, s5_slp_typ_b;

	u32 warning_count;
	char warnings[ACPI_WARNINGS_MAX][ACPI_WARNING_LEN];
};

/*
 * Parse the tables reachable from an RSDP copy of rsdp_len bytes. Each of the override_count
 * tables at overrides[] (physical addresses) replaces the firmware table with its signature,
 * or is added when the firmware has none. Returns 0 when the RSDP and its root table were
 * usable (info->present), -EINVAL otherwise. Problems become warnings: a table with a bad
 * checksum is ignored whole; in the MADT, an entry too short for its type is skipped and an
 * entry running past the table ends the parse, keeping the entries before it.
 */
int acpi_parse(const u8 *rsdp, u32 rsdp_len, const struct acpi_ops *ops, void *ctx,
	       const u64 *overrides, u32 override_count, struct acpi_info *info);

/*
 * Search the BIOS areas for an RSDP (ACPI 6.5, 5.2.5.1: the first KiB of the EBDA, then
 * 0xE0000-0xFFFFF, on 16-byte boundaries) and copy it into out (ACPI_RSDP_V2_LEN bytes).
 * Returns its length, or 0 when none has a valid checksum.
 */
u32 acpi_find_rsdp(const struct acpi_ops *ops, void *ctx, u8 *out);

/* True when the len bytes at p sum to zero modulo 256, as every ACPI table must. */
bool acpi_checksum_ok(const void *p, u64 len);

/* The first table with this signature and a good checksum, or NULL. */
const struct acpi_table_ref *acpi_find_table(const struct acpi_info *info, const char *sig);

#endif
