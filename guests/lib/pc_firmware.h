/* SPDX-License-Identifier: MIT */
/*
 * Finding a PC's firmware data the way an OS does (guests/lib/pc_firmware.c): the MP floating
 * pointer (MP spec 1.4, 4.0), the ACPI RSDP and tables (ACPI 6.5, 5.2), fw_cfg (QEMU's
 * docs/specs/fw_cfg). Guest-physical addresses below 4 GiB, reached through an identity map.
 */
#ifndef VIREO_GUESTS_LIB_PC_FIRMWARE_H
#define VIREO_GUESTS_LIB_PC_FIRMWARE_H

#include "kernel/types.h"

#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_MAX_CPUS 0x0f
#define FW_CFG_FILE_DIR 0x19

/* Physical memory at addr, through a pointer the compiler cannot see the value of. */
const u8 *fw_phys(u32 addr);

/* Little-endian fields of the tables. */
u32 fw_get16(const u8 *p);
u32 fw_get32(const u8 *p);

bool fw_sums_to_zero(const u8 *p, u32 len);

/*
 * The first 16-byte aligned match of sig in [start, start + size) whose first sum_len bytes
 * sum to zero (sum_len 0: 16 times its byte 8, the MP floating pointer's length in paragraphs).
 */
const u8 *fw_search(u32 start, u32 size, const char *sig, u32 sig_len, u32 sum_len);

/* The EBDA's base, from the BIOS data area (0: none). */
u32 fw_ebda_base(void);

/* The MP floating pointer: the EBDA's first KiB, the last KiB of base memory, the BIOS ROM. */
const u8 *mp_find_floating_pointer(void);

/* The APIC IDs of the enabled processors of an MP configuration table, at most max; the count. */
u32 mp_processors(const u8 *table, u8 *apic_ids, u32 max);

/* The RSDP: the EBDA's first KiB, then 0xE0000-0xFFFFF. */
const u8 *acpi_find_rsdp(void);

/* The table with signature sig that the XSDT of rsdp lists (NULL: none). */
const u8 *acpi_find_table(const u8 *rsdp, const char *sig);

/* The APIC IDs of the enabled processors of a MADT, at most max; the count. */
u32 madt_processors(const u8 *madt, u8 *apic_ids, u32 max);

/* The address of the MADT's first I/O APIC (0: none). */
u32 madt_ioapic_address(const u8 *madt);

/* \_S5's SLP_TYP in a DSDT (-1: no \_S5). */
int acpi_s5_type(const u8 *dsdt);

/*
 * Power off as an OS does: \_S5's SLP_TYP with SLP_EN in the FADT's PM1a_CNT (ACPI 6.5,
 * 4.8.3.2.1). Returns only if the machine did not stop.
 */
void acpi_power_off(const u8 *fadt);

/* n bytes of fw_cfg item key, through the selector and data ports. */
void fw_cfg_read(u16 key, u8 *buf, u32 n);

/* A little-endian fw_cfg item of n (at most 4) bytes. */
u32 fw_cfg_u32(u16 key, u32 n);

#endif
