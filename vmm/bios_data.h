/* SPDX-License-Identifier: MIT */
/*
 * The BIOS data area at 0x400 and the head of the EBDA, as a PC BIOS leaves them for the OS
 * (IBM PC/AT Technical Reference, "BIOS data area"): the EBDA's segment, the base memory size,
 * the serial ports and the equipment word. Pure: it fills buffers the caller copies in.
 */
#ifndef VIREO_VMM_BIOS_DATA_H
#define VIREO_VMM_BIOS_DATA_H

#include "kernel/types.h"
#include "vmm/pc_layout.h"

/* Offsets in the BDA (from 0x400). */
#define BDA_COM_PORTS 0x00	/* four u16: COM1-COM4's base ports, 0 for none */
#define BDA_EBDA_SEGMENT 0x0e
#define BDA_EQUIPMENT 0x10
#define BDA_BASE_MEMORY_KIB 0x13

/* Equipment word bits. */
#define BDA_EQUIPMENT_FPU BIT(1)
#define BDA_EQUIPMENT_VIDEO_80X25_COLOR (2u << 4)
#define BDA_EQUIPMENT_SERIAL_SHIFT 9

struct bios_data_config {
	bool com1;		/* the VM has a UART at PC_COM1_PORT */
};

/*
 * Write the BDA into bda (PC_BDA_SIZE bytes, the guest's 0x400) and the EBDA's first bytes
 * into ebda (PC_EBDA_SIZE bytes, the guest's PC_EBDA_BASE): both are cleared first, and the
 * EBDA's first byte is its size in KiB.
 */
void bios_data_write(const struct bios_data_config *c, u8 *bda, u8 *ebda);

#endif
