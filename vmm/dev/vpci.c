/* SPDX-License-Identifier: MIT */
/* PCI configuration mechanism #1 and the host bridge behind it. Pure. */
#include "vmm/dev/vpci.h"

#define ADDRESS_ENABLE BIT(31)
#define ADDRESS_BITS (ADDRESS_ENABLE | 0x00fffffcu)	/* bits 30:24 reserved, 1:0 zero */
#define ADDRESS_FUNCTION(a) (((a) >> 8) & 0xffff)	/* bus, device, function */
#define HOST_BRIDGE 0				/* 00:00.0 */

#define CONFIG_COMMAND 0x04
#define CLASS_HOST_BRIDGE 0x06000000u		/* class 06 (bridge), subclass 00 (host) */

/* The host bridge's configuration doubleword at offset reg (a multiple of 4). */
static u32 host_bridge_read(const struct vpci *pci, u32 reg)
{
	switch (reg) {
	case 0x00:
		return (u32)VPCI_HOST_DEVICE << 16 | VPCI_HOST_VENDOR;
	case CONFIG_COMMAND:
		return pci->command;	/* status 0: no capabilities, no errors */
	case 0x08:
		return CLASS_HOST_BRIDGE | 0x02;	/* revision 2 */
	default:
		return 0;		/* header type 0, single function; no BARs, no interrupt */
	}
}

static bool selects_host_bridge(const struct vpci *pci)
{
	return (pci->address & ADDRESS_ENABLE) && ADDRESS_FUNCTION(pci->address) == HOST_BRIDGE;
}

/* Only whole doublewords reach CONFIG_ADDRESS: smaller accesses are other registers' (I/O). */
static u32 address_read(void *dev, u16 port, u8 size)
{
	(void)port;
	return size == 4 ? ((struct vpci *)dev)->address : 0xffffffffu;
}

static void address_write(void *dev, u16 port, u8 size, u32 value)
{
	(void)port;
	if (size == 4)
		((struct vpci *)dev)->address = value & ADDRESS_BITS;
}

/* An access of size bytes at byte (port - 0xcfc) of the selected doubleword. */
static u32 data_read(void *dev, u16 port, u8 size)
{
	struct vpci *pci = dev;
	u32 shift = 8 * (u32)(port - VPCI_DATA_PORT);

	(void)size;	/* the bus masks the value to it */
	if (!selects_host_bridge(pci))
		return 0xffffffffu;	/* no device: a master abort reads all ones */
	return host_bridge_read(pci, pci->address & 0xfc) >> shift;
}

static void data_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vpci *pci = dev;
	u32 shift = 8 * (u32)(port - VPCI_DATA_PORT), mask = pio_size_mask(size) << shift;

	if (!selects_host_bridge(pci) || (pci->address & 0xfc) != CONFIG_COMMAND)
		return;		/* read-only, or nobody there */
	pci->command = (u16)((pci->command & ~mask) | ((value << shift) & mask));
}

const struct pio_ops vpci_address_ops = { .read = address_read, .write = address_write };
const struct pio_ops vpci_data_ops = { .read = data_read, .write = data_write };
