/* SPDX-License-Identifier: MIT */
/*
 * Tests of the ACPI table builder: the tables are placed in a fake first MiB as a VM has them,
 * then found and read back by the project's own parser (arch/x86/acpi.c), which checks every
 * checksum it meets; the rest is checked field by field.
 */
#include "tests/unit/unit.h"
#include "arch/x86/acpi.h"
#include "vmm/acpi_build.h"
#include "vmm/pc_layout.h"

#include <stdio.h>

#define LOW_MEM (1 * MiB)

static u8 *low;		/* guest-physical 0 to 1 MiB */

static const void *low_map(void *ctx, u64 phys, u64 len)
{
	(void)ctx;
	return phys < LOW_MEM && len <= LOW_MEM - phys ? low + phys : NULL;
}

static const struct acpi_ops low_ops = { .map = low_map };

static u32 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static struct acpi_build_config config_of(u32 cpus)
{
	return (struct acpi_build_config){
		.cpu_count = cpus, .lapic_address = (u32)PC_LAPIC_BASE,
		.ioapic_address = (u32)PC_IOAPIC_BASE, .pcat_compat = true, .has_8042 = true,
		.sci_irq = PC_ACPI_SCI_IRQ, .pm1_evt_port = PC_ACPI_PM1_EVT_PORT,
		.pm1_cnt_port = PC_ACPI_PM1_CNT_PORT, .pm_tmr_port = PC_ACPI_PM_TMR_PORT,
		.reset_port = PC_RESET_PORT, .reset_value = PC_RESET_VALUE,
	};
}

/* Build into the BIOS area of a fresh first MiB, with the BDA's EBDA pointer set. */
static void build(const struct acpi_build_config *c)
{
	u32 size = acpi_build_size(c);

	low = calloc(1, LOW_MEM);
	assert_non_null(low);
	low[0x40e] = (u8)(PC_EBDA_BASE >> 4);
	low[0x40f] = (u8)(PC_EBDA_BASE >> 12);
	memset(low + PC_ACPI_BASE, 0xa5, PC_ACPI_SIZE);
	assert_true(size <= PC_ACPI_SIZE);
	EXPECT_EQ(acpi_build_write(c, low + PC_ACPI_BASE, PC_ACPI_BASE), size);
}

static void parse(struct acpi_info *info, u32 rsdp_len_wanted)
{
	u8 rsdp[ACPI_RSDP_V2_LEN];
	u32 len = acpi_find_rsdp(&low_ops, NULL, rsdp);

	EXPECT_EQ(len, ACPI_RSDP_V2_LEN);
	EXPECT_EQ(acpi_parse(rsdp, rsdp_len_wanted, &low_ops, NULL, NULL, 0, info), 0);
	for (u32 i = 0; i < info->warning_count; i++)
		fail_msg("%s: parser warning: %s", unit_label, info->warnings[i]);
}

static void expect_checksums(const struct acpi_info *info)
{
	EXPECT_EQ(info->table_count, 2);
	for (u32 i = 0; i < info->table_count; i++)
		assert_true(info->tables[i].checksum_ok);
	assert_non_null(acpi_find_table(info, "FACP"));
	assert_non_null(acpi_find_table(info, "APIC"));
}

static void test_madt_lists_the_vcpus_the_ioapic_and_the_overrides(void **state)
{
	static const u32 counts[] = { 1, 2, 4, 16 };
	static struct acpi_info info;
	(void)state;

	for (u32 k = 0; k < ARRAY_SIZE(counts); k++) {
		struct acpi_build_config c = config_of(counts[k]);

		snprintf(unit_label, sizeof(unit_label), "%u vCPUs", counts[k]);
		build(&c);
		parse(&info, ACPI_RSDP_V2_LEN);
		EXPECT_EQ(info.revision, 2);
		assert_string_equal(info.oem_id, "VIREO ");
		expect_checksums(&info);
		assert_true(info.has_madt);
		EXPECT_EQ(info.lapic_address, PC_LAPIC_BASE);
		assert_true(info.pcat_compat);
		EXPECT_EQ(info.cpu_count, counts[k]);
		for (u32 i = 0; i < info.cpu_count; i++) {
			EXPECT_EQ(info.cpus[i].apic_id, i);
			EXPECT_EQ(info.cpus[i].uid, i);
		}
		EXPECT_EQ(info.ioapic_count, 1);
		EXPECT_EQ(info.ioapics[0].id, counts[k]);
		EXPECT_EQ(info.ioapics[0].address, PC_IOAPIC_BASE);
		EXPECT_EQ(info.ioapics[0].gsi_base, 0);
		EXPECT_EQ(info.override_count, 2);
		EXPECT_EQ(info.overrides[0].bus_irq, 0);
		EXPECT_EQ(info.overrides[0].gsi, 2);
		EXPECT_EQ(info.overrides[0].flags, 0);
		EXPECT_EQ(info.overrides[1].bus_irq, 9);
		EXPECT_EQ(info.overrides[1].gsi, 9);
		EXPECT_EQ(info.overrides[1].flags, 0xd);	/* active high, level */
		EXPECT_EQ(info.nmi_count, 1);
		EXPECT_EQ(info.nmis[0].uid, 0xffffffffu);
		EXPECT_EQ(info.nmis[0].lint, 1);
		free(low);
	}
}

static void test_fadt_gives_the_pm_block_the_reset_register_and_s5(void **state)
{
	static struct acpi_info info;
	struct acpi_build_config c = config_of(2);
	const u8 *fadt, *facs, *dsdt;
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "FADT");
	build(&c);
	parse(&info, ACPI_RSDP_V2_LEN);
	assert_true(info.has_fadt);
	EXPECT_EQ(info.smi_command, 0);
	EXPECT_EQ(info.pm1a_control, PC_ACPI_PM1_CNT_PORT);
	EXPECT_EQ(info.pm1b_control, 0);
	assert_true(info.has_reset_register);
	EXPECT_EQ(info.reset_port, 0xcf9);
	EXPECT_EQ(info.reset_value, 6);
	assert_true(info.has_8042);
	assert_true(info.has_s5);
	EXPECT_EQ(info.s5_slp_typ_a, ACPI_BUILD_S5_SLP_TYP);
	EXPECT_EQ(info.s5_slp_typ_b, ACPI_BUILD_S5_SLP_TYP);
	/* What the parser does not read: the SCI, the PM timer, the FACS, X_DSDT = DSDT. */
	fadt = low + acpi_find_table(&info, "FACP")->address;
	EXPECT_EQ(get16(fadt + 46), 9);
	EXPECT_EQ(get32(fadt + 56), 0xb000);
	EXPECT_EQ(get32(fadt + 76), 0xb008);
	EXPECT_EQ(fadt[91], 4);
	EXPECT_EQ(get32(fadt + 112) & BIT(8), 0);	/* TMR_VAL_EXT clear: 24 bits */
	EXPECT_EQ(fadt[208], 1);			/* X_PM_TMR_BLK in I/O space */
	EXPECT_EQ(get32(fadt + 212), 0xb008);
	EXPECT_EQ(get32(fadt + 140), get32(fadt + 40));
	EXPECT_EQ(get32(fadt + 132), get32(fadt + 36));
	facs = low + get32(fadt + 36);
	EXPECT_EQ(get32(fadt + 36) % 64, 0);
	assert_memory_equal(facs, "FACS", 4);
	EXPECT_EQ(get32(facs + 4), 64);
	dsdt = low + get32(fadt + 40);
	assert_memory_equal(dsdt, "DSDT", 4);
	assert_true(acpi_checksum_ok(dsdt, get32(dsdt + 4)));
	free(low);
}

static void test_acpi_1_readers_take_the_rsdt(void **state)
{
	static struct acpi_info info;
	struct acpi_build_config c = config_of(4);
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "RSDT");
	build(&c);
	parse(&info, ACPI_RSDP_V1_LEN);
	expect_checksums(&info);
	EXPECT_EQ(info.cpu_count, 4);
	assert_true(acpi_checksum_ok(low + PC_ACPI_BASE, ACPI_RSDP_V2_LEN));
	free(low);
}

static void test_a_changed_byte_is_caught(void **state)
{
	static struct acpi_info info;
	struct acpi_build_config c = config_of(2);
	u8 rsdp[ACPI_RSDP_V2_LEN];
	const u8 *madt;
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "corrupt MADT");
	build(&c);
	parse(&info, ACPI_RSDP_V2_LEN);
	madt = low + acpi_find_table(&info, "APIC")->address;
	low[madt - low + 50] ^= 1;	/* an entry's byte */
	EXPECT_EQ(acpi_find_rsdp(&low_ops, NULL, rsdp), ACPI_RSDP_V2_LEN);
	EXPECT_EQ(acpi_parse(rsdp, ACPI_RSDP_V2_LEN, &low_ops, NULL, NULL, 0, &info), 0);
	assert_false(info.has_madt);
	assert_null(acpi_find_table(&info, "APIC"));
	free(low);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_madt_lists_the_vcpus_the_ioapic_and_the_overrides),
		cmocka_unit_test(test_fadt_gives_the_pm_block_the_reset_register_and_s5),
		cmocka_unit_test(test_acpi_1_readers_take_the_rsdt),
		cmocka_unit_test(test_a_changed_byte_is_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
