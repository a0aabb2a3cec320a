/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2) with one device: the host
 * bridge at 00:00.0, as the i440FX's, and no other. Operating systems probe for it before
 * they trust the PC's buses; every other function reads as absent (all ones). Pure.
 */
#ifndef VIREO_VMM_DEV_VPCI_H
#define VIREO_VMM_DEV_VPCI_H

#include "vmm/pio.h"

#define VPCI_ADDRESS_PORT 0xcf8	/* a doubleword register: byte 0xcf9 is the reset control's */
#define VPCI_DATA_PORT 0xcfc
#define VPCI_DATA_PORTS 4

#define VPCI_HOST_VENDOR 0x8086	/* Intel */
#define VPCI_HOST_DEVICE 0x1237	/* 82441FX (i440FX), the host bridge QEMU's pc machine has */

struct vpci {
	u32 address;		/* CONFIG_ADDRESS: enable, bus, device, function, register */
	u16 command;		/* the host bridge's command register, which reads back */
};

/* The device is a struct vpci: CONFIG_ADDRESS at VPCI_ADDRESS_PORT, CONFIG_DATA after it. */
extern const struct pio_ops vpci_address_ops, vpci_data_ops;

#endif
