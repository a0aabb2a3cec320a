/* SPDX-License-Identifier: MIT */
/* Finding a PC's firmware data the way an OS does: see pc_firmware.h. */
#include "guests/lib/pc_firmware.h"
#include "arch/x86/io.h"

#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA 0x511
#define MP_PROCESSOR 0
#define MP_PROCESSOR_ENABLED 1
#define MADT_LOCAL_APIC 0
#define MADT_IO_APIC 1
#define MADT_ENABLED 1
#define SLP_EN (1u << 13)

const u8 *fw_phys(u32 addr)
{
	const u8 *p;

	__asm__("" : "=r"(p) : "0"((unsigned long)addr));
	return p;
}

u32 fw_get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

u32 fw_get32(const u8 *p)
{
	return fw_get16(p) | fw_get16(p + 2) << 16;
}

bool fw_sums_to_zero(const u8 *p, u32 len)
{
	u8 sum = 0;

	while (len--)
		sum = (u8)(sum + *p++);
	return sum == 0;
}

const u8 *fw_search(u32 start, u32 size, const char *sig, u32 sig_len, u32 sum_len)
{
	for (u32 at = start; at + 16 <= start + size; at += 16) {
		const u8 *p = fw_phys(at);
		u32 i = 0;

		while (i < sig_len && p[i] == (u8)sig[i])
			i++;
		if (i == sig_len && fw_sums_to_zero(p, sum_len ? sum_len : 16u * p[8]))
			return p;
	}
	return NULL;
}

u32 fw_ebda_base(void)
{
	return fw_get16(fw_phys(0x40e)) << 4;
}

const u8 *mp_find_floating_pointer(void)
{
	const u8 *fp = NULL;
	u32 ebda = fw_ebda_base(), base_end = fw_get16(fw_phys(0x413)) * 1024;

	if (ebda)
		fp = fw_search(ebda, 1024, "_MP_", 4, 0);
	if (!fp && base_end >= 1024)
		fp = fw_search(base_end - 1024, 1024, "_MP_", 4, 0);
	return fp ? fp : fw_search(0xf0000, 0x10000, "_MP_", 4, 0);
}

/* Processor entries are 20 bytes, every other kind 8 (MP spec 1.4, 4.3). */
u32 mp_processors(const u8 *table, u8 *apic_ids, u32 max)
{
	const u8 *e = table + 44;
	u32 found = 0;

	for (u32 i = 0; i < fw_get16(table + 34); i++) {
		if (e[0] != MP_PROCESSOR) {
			e += 8;
			continue;
		}
		if ((e[3] & MP_PROCESSOR_ENABLED) && found < max)
			apic_ids[found] = e[1];
		found += (e[3] & MP_PROCESSOR_ENABLED) != 0;
		e += 20;
	}
	return found;
}

const u8 *acpi_find_rsdp(void)
{
	u32 ebda = fw_ebda_base();
	const u8 *rsdp = ebda ? fw_search(ebda, 1024, "RSD PTR ", 8, 20) : NULL;

	return rsdp ? rsdp : fw_search(0xe0000, 0x20000, "RSD PTR ", 8, 20);
}

const u8 *acpi_find_table(const u8 *rsdp, const char *sig)
{
	const u8 *xsdt = fw_phys(fw_get32(rsdp + 24));	/* below 4 GiB: the high half is 0 */

	for (u32 off = 36; off + 8 <= fw_get32(xsdt + 4); off += 8) {
		const u8 *t = fw_phys(fw_get32(xsdt + off));

		if (t[0] == sig[0] && t[1] == sig[1] && t[2] == sig[2] && t[3] == sig[3])
			return t;
	}
	return NULL;
}

u32 madt_processors(const u8 *madt, u8 *apic_ids, u32 max)
{
	u32 len = fw_get32(madt + 4), found = 0;

	for (u32 off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
		const u8 *e = madt + off;

		if (e[0] != MADT_LOCAL_APIC || !(fw_get32(e + 4) & MADT_ENABLED))
			continue;
		if (found < max)
			apic_ids[found] = e[3];
		found++;
	}
	return found;
}

u32 madt_ioapic_address(const u8 *madt)
{
	u32 len = fw_get32(madt + 4);

	for (u32 off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1])
		if (madt[off] == MADT_IO_APIC)
			return fw_get32(madt + off + 4);
	return 0;
}

/* \_S5's first value: NameOp "_S5_" PackageOp PkgLength NumElements, then a byte constant. */
int acpi_s5_type(const u8 *dsdt)
{
	u32 len = fw_get32(dsdt + 4);

	for (u32 i = 37; i + 9 < len; i++) {
		const u8 *p = dsdt + i;

		if (p[-1] == 0x08 && p[0] == '_' && p[1] == 'S' && p[2] == '5' && p[3] == '_' &&
		    p[4] == 0x12) {
			p += 6 + (p[5] >> 6) + 1;	/* past PkgLength and NumElements */
			return p[0] == 0x0a ? p[1] : p[0];
		}
	}
	return -1;
}

void acpi_power_off(const u8 *fadt)
{
	u16 pm1a_cnt = (u16)fw_get32(fadt + 64);
	int s5_type = acpi_s5_type(fw_phys(fw_get32(fadt + 40)));

	if (pm1a_cnt && s5_type >= 0)
		outw(pm1a_cnt, (u16)((u32)s5_type << 10 | SLP_EN));
}

void fw_cfg_read(u16 key, u8 *buf, u32 n)
{
	outw(FW_CFG_SELECTOR, key);
	for (u32 i = 0; i < n; i++)
		buf[i] = inb(FW_CFG_DATA);
}

u32 fw_cfg_u32(u16 key, u32 n)
{
	u8 b[4] = { 0 };

	fw_cfg_read(key, b, n < 4 ? n : 4);
	return fw_get32(b);
}
