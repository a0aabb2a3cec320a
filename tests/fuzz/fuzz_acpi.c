// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the ACPI parser (arch/x86/acpi.c) on an input that is physical memory from
 * address 0: its first 36 bytes are the RSDP, a flag byte after them picks the ACPI 1.0 or
 * 2.0 length and one table override, and the tables are anywhere in it. The memory is a
 * buffer of exactly the input's size (ASan catches a read past it, the map refuses a range
 * outside it). The RSDP search runs over the same memory. What the parse keeps is sound:
 * counts within their arrays, terminated strings, each table recorded lies in the memory,
 * and a MADT is kept only when one was found with a good checksum.
 */
#include <string.h>

#include "arch/x86/acpi.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct memory {
	const u8 *bytes;
	u64 size;
};

static const void *map(void *ctx, u64 phys, u64 len)
{
	const struct memory *m = ctx;

	if (phys > m->size || len > m->size - phys)
		return NULL;
	return m->bytes + phys;
}

static void check_info(const struct acpi_info *info, const struct memory *m)
{
	fuzz_check(info->table_count <= ACPI_MAX_TABLES && info->cpu_count <= ACPI_MAX_CPUS);
	fuzz_check(info->ioapic_count <= ACPI_MAX_IOAPICS);
	fuzz_check(info->override_count <= ACPI_MAX_OVERRIDES);
	fuzz_check(info->nmi_count <= ACPI_MAX_NMIS && info->warning_count <= ACPI_WARNINGS_MAX);
	fuzz_check(strnlen(info->oem_id, sizeof(info->oem_id)) < sizeof(info->oem_id));
	for (u32 i = 0; i < info->warning_count; i++)
		fuzz_check(strnlen(info->warnings[i], ACPI_WARNING_LEN) < ACPI_WARNING_LEN);
	for (u32 i = 0; i < info->table_count; i++) {
		const struct acpi_table_ref *t = &info->tables[i];

		fuzz_check(strnlen(t->signature, sizeof(t->signature)) < sizeof(t->signature));
		fuzz_check(t->address <= m->size && t->length <= m->size - t->address);
		fuzz_check(!t->checksum_ok || acpi_checksum_ok(m->bytes + t->address, t->length));
	}
	fuzz_check(!info->has_madt || acpi_find_table(info, "APIC") != NULL);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const struct acpi_ops ops = { .map = map };
	static struct acpi_info info;
	u8 *bytes = malloc(size ? size : 1);
	struct memory m = { bytes, size };
	u8 rsdp[ACPI_RSDP_V2_LEN] = { 0 }, found[ACPI_RSDP_V2_LEN];
	u64 override = 0;
	u32 rsdp_len, found_len;

	memcpy(bytes, data, size);
	memcpy(rsdp, data, MIN(size, sizeof(rsdp)));
	rsdp_len = size > ACPI_RSDP_V2_LEN && (data[ACPI_RSDP_V2_LEN] & 1) ? ACPI_RSDP_V1_LEN
									    : ACPI_RSDP_V2_LEN;
	if (size >= ACPI_RSDP_V2_LEN + 5)
		memcpy(&override, data + ACPI_RSDP_V2_LEN + 1, 4);
	memset(&info, 0x5a, sizeof(info));
	if (acpi_parse(rsdp, rsdp_len, &ops, &m, &override,
		       size > ACPI_RSDP_V2_LEN && (data[ACPI_RSDP_V2_LEN] & 2), &info) == 0)
		fuzz_check(info.present);
	check_info(&info, &m);

	found_len = acpi_find_rsdp(&ops, &m, found);
	fuzz_check(found_len == 0 || found_len == ACPI_RSDP_V1_LEN ||
		   found_len == ACPI_RSDP_V2_LEN);
	free(bytes);
	return 0;
}
