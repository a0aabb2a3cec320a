/* SPDX-License-Identifier: MIT */
/* This machine's ACPI tables, read through the direct map. */
#include "arch/x86/acpi_boot.h"
#include "arch/x86/paging.h"
#include "kernel/format.h"
#include "kernel/modules.h"
#include "kernel/printk.h"
#include "kernel/string.h"

struct acpi_info acpi;

struct acpi_source {
	u64 override_phys[BOOT_MODULES_MAX];	/* replacement tables from modules */
	u32 override_count;
};

static const void *direct_map(void *ctx, u64 phys, u64 len)
{
	(void)ctx;
	if (phys + len < phys || phys + len > paging_direct_map_top())
		return NULL;
	return phys_to_virt(phys);
}

static const struct acpi_ops acpi_direct_ops = { .map = direct_map };

static void collect_overrides(const struct boot_info *bi, struct acpi_source *src)
{
	for (u32 i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (module_kind_of(m) != MODULE_ACPI_TABLE)
			continue;
		if (m->end - m->start < 36) {
			pr_warn("ACPI: module %u (%s) is too small for an ACPI table; ignored\n", i,
				m->string);
			continue;
		}
		src->override_phys[src->override_count++] = m->start;
	}
}

static void report(const struct acpi_source *src)
{
	char line[160];
	size_t n;

	n = (size_t)format(line, sizeof(line), "ACPI: revision %u, OEM '%s', tables:", acpi.revision,
			   acpi.oem_id);
	for (u32 i = 0; i < acpi.table_count && n < sizeof(line); i++)
		n += (size_t)format(line + n, sizeof(line) - n, " %s%s", acpi.tables[i].signature,
				    acpi.tables[i].checksum_ok ? "" : "(bad)");
	pr_info("%s\n", line);
	if (src->override_count)
		pr_notice("ACPI: %u table(s) replaced by acpi-table modules\n", src->override_count);
	if (acpi.has_madt)
		pr_info("ACPI: MADT lists %u CPU(s), %u I/O APIC(s), %u interrupt override(s), "
			"local APIC at %#llx\n", acpi.cpu_count, acpi.ioapic_count,
			acpi.override_count, acpi.lapic_address);
	if (acpi.has_s5)
		pr_info("ACPI: power-off through PM1a control port %#x (SLP_TYP %u)\n",
			acpi.pm1a_control, acpi.s5_slp_typ_a);
}

void acpi_boot_init(const struct boot_info *bi)
{
	struct acpi_source src = { 0 };
	u8 rsdp[ACPI_RSDP_V2_LEN];
	u32 rsdp_len = bi->rsdp_len;
	const char *from = "the Multiboot2 tag";

	memcpy(rsdp, bi->rsdp, sizeof(rsdp));
	if (!rsdp_len) {
		rsdp_len = acpi_find_rsdp(&acpi_direct_ops, NULL, rsdp);
		from = "the BIOS area";
	}
	collect_overrides(bi, &src);
	if (!rsdp_len) {
		pr_warn("ACPI: no RSDP found: one CPU, no ACPI power-off\n");
		return;
	}
	pr_info("ACPI: RSDP found in %s\n", from);
	acpi_parse(rsdp, rsdp_len, &acpi_direct_ops, NULL, src.override_phys, src.override_count,
		   &acpi);
	for (u32 i = 0; i < acpi.warning_count; i++)
		pr_warn("ACPI: %s\n", acpi.warnings[i]);
	if (!acpi.present) {
		pr_warn("ACPI: the RSDP is unusable: one CPU, no ACPI power-off\n");
		return;
	}
	report(&src);
}
