/* SPDX-License-Identifier: MIT */
/* The BIOS data area and the EBDA's head. Pure. */
#include "vmm/bios_data.h"
#include "kernel/string.h"
#include "vmm/table_bytes.h"

void bios_data_write(const struct bios_data_config *c, u8 *bda, u8 *ebda)
{
	u16 equipment = BDA_EQUIPMENT_FPU | BDA_EQUIPMENT_VIDEO_80X25_COLOR;

	memset(bda, 0, PC_BDA_SIZE);
	memset(ebda, 0, PC_EBDA_SIZE);
	if (c->com1) {
		put16(bda + BDA_COM_PORTS, PC_COM1_PORT);
		equipment |= 1u << BDA_EQUIPMENT_SERIAL_SHIFT;
	}
	put16(bda + BDA_EBDA_SEGMENT, (u16)(PC_EBDA_BASE >> 4));
	put16(bda + BDA_EQUIPMENT, equipment);
	put16(bda + BDA_BASE_MEMORY_KIB, (u16)(PC_EBDA_BASE / KiB));
	ebda[0] = (u8)(PC_EBDA_SIZE / KiB);
}
