/* SPDX-License-Identifier: MIT */
/* Tests of PCI configuration mechanism #1: the probes Linux and others make, and the bridge. */
#include "tests/unit/unit.h"
#include "vmm/dev/vpci.h"

static struct vpci pci;

static void out(u16 port, u8 size, u32 value)
{
	(port == VPCI_ADDRESS_PORT ? &vpci_address_ops : &vpci_data_ops)->write(&pci, port, size,
										 value);
}

static u32 in(u16 port, u8 size)
{
	const struct pio_ops *ops = port == VPCI_ADDRESS_PORT ? &vpci_address_ops : &vpci_data_ops;

	return ops->read(&pci, port, size) & pio_size_mask(size);
}

static u32 config(u32 bus, u32 dev, u32 fn, u32 reg)
{
	out(VPCI_ADDRESS_PORT, 4, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | reg);
	return in(VPCI_DATA_PORT, 4);
}

static void test_address_reads_back(void **state)
{
	(void)state;
	pci = (struct vpci){ 0 };
	out(VPCI_ADDRESS_PORT, 4, 0x80000000u);	/* Linux's pci_check_type1 */
	assert_int_equal(in(VPCI_ADDRESS_PORT, 4), 0x80000000u);
	out(VPCI_ADDRESS_PORT, 4, 0xffffffffu);	/* reserved and low bits stay zero */
	assert_int_equal(in(VPCI_ADDRESS_PORT, 4), 0x80fffffcu);
	out(VPCI_ADDRESS_PORT, 1, 0);			/* not CONFIG_ADDRESS: ignored */
	assert_int_equal(in(VPCI_ADDRESS_PORT, 4), 0x80fffffcu);
}

static void test_host_bridge(void **state)
{
	(void)state;
	pci = (struct vpci){ 0 };
	assert_int_equal(config(0, 0, 0, 0), 0x12378086u);
	assert_int_equal(config(0, 0, 0, 8) >> 8, 0x060000u);
	assert_int_equal(config(0, 0, 0, 0x10), 0);		/* no BAR */
	out(VPCI_ADDRESS_PORT, 4, 0x80000000u | 2);		/* byte 2: the device ID */
	assert_int_equal(in(VPCI_DATA_PORT + 2, 2), 0x1237);
	config(0, 0, 0, 4);
	out(VPCI_DATA_PORT, 2, 0x0007);
	assert_int_equal(config(0, 0, 0, 4), 0x0007);
	out(VPCI_DATA_PORT + 2, 2, 0xffff);			/* status: not writable */
	assert_int_equal(config(0, 0, 0, 4), 0x0007);
	config(0, 0, 0, 0);
	out(VPCI_DATA_PORT, 4, 0);				/* IDs are read-only */
	assert_int_equal(config(0, 0, 0, 0), 0x12378086u);
}

static void test_nothing_else_is_there(void **state)
{
	(void)state;
	pci = (struct vpci){ 0 };
	assert_int_equal(config(0, 1, 0, 0), 0xffffffffu);
	assert_int_equal(config(0, 0, 1, 0), 0xffffffffu);
	assert_int_equal(config(1, 0, 0, 0), 0xffffffffu);
	out(VPCI_ADDRESS_PORT, 4, 0);				/* disabled */
	assert_int_equal(in(VPCI_DATA_PORT, 4), 0xffffffffu);
	assert_int_equal(in(VPCI_DATA_PORT + 1, 1), 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_reads_back),
		cmocka_unit_test(test_host_bridge),
		cmocka_unit_test(test_nothing_else_is_there),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
