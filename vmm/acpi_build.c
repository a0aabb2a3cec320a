/* SPDX-License-Identifier: MIT */
/* The ACPI tables of a VM (ACPI 6.5, chapter 5). Pure. */
#include "vmm/acpi_build.h"
#include "kernel/string.h"
#include "vmm/table_bytes.h"

#define HEADER_LEN 36
#define RSDP_LEN 36
#define FACS_LEN 64
#define FADT_LEN 244	/* the ACPI 2.0-4.0 layout, through X_GPE1_BLK */
#define FADT_REVISION 4
#define MADT_REVISION 3
#define MADT_FIXED_LEN 44
#define MADT_LAPIC_LEN 8
#define MADT_IOAPIC_LEN 12
#define MADT_OVERRIDE_LEN 10
#define MADT_NMI_LEN 6
#define MADT_OVERRIDES 2	/* IRQ 0 to GSI 2, and the SCI */
#define ROOT_ENTRIES 2		/* FADT, MADT */

/* The MPS INTI flags of an override (ACPI 6.5, table 5.50): active high, level-triggered. */
#define INTI_ACTIVE_HIGH 1
#define INTI_LEVEL (3u << 2)

/* FADT flags (table 5.10) and IAPC_BOOT_ARCH (table 5.11). */
#define FADT_WBINVD BIT(0)
#define FADT_PROC_C1 BIT(2)
#define FADT_PWR_BUTTON BIT(4)	/* no fixed power button */
#define FADT_SLP_BUTTON BIT(5)	/* no fixed sleep button */
#define FADT_FIX_RTC BIT(6)	/* no RTC wake status in the fixed registers */
#define FADT_RESET_REG_SUP BIT(10)
#define BOOT_ARCH_LEGACY_DEVICES BIT(0)
#define BOOT_ARCH_8042 BIT(1)
#define C2_UNSUPPORTED 101	/* latencies over 100 us and 1000 us: no C2, no C3 (5.2.9) */
#define C3_UNSUPPORTED 1001

/* Generic address structure (5.2.3.2): system I/O space, and the access sizes. */
#define GAS_SYSTEM_IO 1
#define GAS_BYTE 1
#define GAS_WORD 2
#define GAS_DWORD 3

#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_IOAPIC 1
#define MADT_TYPE_OVERRIDE 2
#define MADT_TYPE_LAPIC_NMI 4
#define MADT_PCAT_COMPAT BIT(0)
#define MADT_CPU_ENABLED BIT(0)
#define ALL_PROCESSORS 0xff
#define LINT1 1

/* The DSDT's body: Name (_S5_, Package (4) { 5, 5, 0, 0 }), the AML of 19.6.91 and 19.6.102. */
static const u8 dsdt_aml[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, ACPI_BUILD_S5_SLP_TYP, 0x0a, ACPI_BUILD_S5_SLP_TYP, 0x00, 0x00,
};

/* Where each table goes, as offsets from the RSDP. */
struct layout {
	u32 facs, rsdt, xsdt, fadt, dsdt, madt, madt_len, end;
};

static void plan(const struct acpi_build_config *c, struct layout *l)
{
	l->facs = ALIGN_UP(RSDP_LEN, 64);	/* the FACS must be 64-byte aligned (5.2.10) */
	l->rsdt = l->facs + FACS_LEN;
	l->xsdt = ALIGN_UP(l->rsdt + HEADER_LEN + 4 * ROOT_ENTRIES, 16);
	l->fadt = ALIGN_UP(l->xsdt + HEADER_LEN + 8 * ROOT_ENTRIES, 16);
	l->dsdt = ALIGN_UP(l->fadt + FADT_LEN, 16);
	l->madt = ALIGN_UP(l->dsdt + HEADER_LEN + (u32)sizeof(dsdt_aml), 16);
	l->madt_len = MADT_FIXED_LEN + c->cpu_count * MADT_LAPIC_LEN + MADT_IOAPIC_LEN +
		      MADT_OVERRIDES * MADT_OVERRIDE_LEN + MADT_NMI_LEN;
	l->end = l->madt + l->madt_len;
}

u32 acpi_build_size(const struct acpi_build_config *c)
{
	struct layout l;

	plan(c, &l);
	return l.end;
}

/* A system description table header (5.2.6); the checksum comes once the table is written. */
static void put_header(u8 *t, const char *sig, u32 len, u8 revision)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = revision;
	memcpy(t + 10, "VIREO ", 6);
	memcpy(t + 16, "VIREOPC ", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "VIRE", 4);
	put32(t + 32, 1);
}

static void seal(u8 *t)
{
	u32 len = t[4] | t[5] << 8 | t[6] << 16 | (u32)t[7] << 24;

	t[9] = table_checksum(t, len);
}

static void put_gas(u8 *g, u8 bytes, u8 access, u64 port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = (u8)(8 * bytes);
	g[3] = access;
	put64(g + 4, port);
}

/* Table 5.9's fields, by offset; the 32-bit blocks and their X_ twins agree. */
static void put_fadt(const struct acpi_build_config *c, u8 *t, u64 gpa, const struct layout *l)
{
	put_header(t, "FACP", FADT_LEN, FADT_REVISION);
	put32(t + 36, (u32)(gpa + l->facs));
	put32(t + 40, (u32)(gpa + l->dsdt));
	put16(t + 46, c->sci_irq);
	/* SMI_CMD 0: the machine is in ACPI mode from the start, SCI_EN set (5.2.9). */
	put32(t + 56, c->pm1_evt_port);
	put32(t + 64, c->pm1_cnt_port);
	put32(t + 76, c->pm_tmr_port);
	t[88] = 4;	/* PM1_EVT_LEN: status and enable, two bytes each */
	t[89] = 2;
	t[91] = 4;	/* PM_TMR_LEN; TMR_VAL_EXT clear: the timer counts 24 bits */
	put16(t + 96, C2_UNSUPPORTED);
	put16(t + 98, C3_UNSUPPORTED);
	put16(t + 109, (u16)(BOOT_ARCH_LEGACY_DEVICES | (c->has_8042 ? BOOT_ARCH_8042 : 0)));
	put32(t + 112, FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON |
		       FADT_FIX_RTC | FADT_RESET_REG_SUP);
	put_gas(t + 116, 1, GAS_BYTE, c->reset_port);
	t[128] = c->reset_value;
	put64(t + 132, gpa + l->facs);
	put64(t + 140, gpa + l->dsdt);
	put_gas(t + 148, 4, GAS_WORD, c->pm1_evt_port);
	put_gas(t + 172, 2, GAS_WORD, c->pm1_cnt_port);
	put_gas(t + 208, 4, GAS_DWORD, c->pm_tmr_port);
	seal(t);
}

static u8 *put_override(u8 *e, u8 irq, u32 gsi, u16 flags)
{
	e[0] = MADT_TYPE_OVERRIDE;
	e[1] = MADT_OVERRIDE_LEN;
	e[3] = irq;	/* bus 0: ISA */
	put32(e + 4, gsi);
	put16(e + 8, flags);
	return e + MADT_OVERRIDE_LEN;
}

static void put_madt(const struct acpi_build_config *c, u8 *t, u32 len)
{
	u8 *e = t + MADT_FIXED_LEN;

	put_header(t, "APIC", len, MADT_REVISION);
	put32(t + 36, c->lapic_address);
	put32(t + 40, c->pcat_compat ? MADT_PCAT_COMPAT : 0);
	for (u32 i = 0; i < c->cpu_count; i++, e += MADT_LAPIC_LEN) {
		e[0] = MADT_TYPE_LAPIC;
		e[1] = MADT_LAPIC_LEN;
		e[2] = (u8)i;
		e[3] = (u8)i;
		put32(e + 4, MADT_CPU_ENABLED);
	}
	e[0] = MADT_TYPE_IOAPIC;
	e[1] = MADT_IOAPIC_LEN;
	e[2] = (u8)c->cpu_count;
	put32(e + 4, c->ioapic_address);
	e += MADT_IOAPIC_LEN;	/* GSI base 0 */
	/* The 8254 is wired to pin 2 on PCs, where the 8259s' cascade would be (5.2.12.5). */
	e = put_override(e, 0, 2, 0);
	e = put_override(e, (u8)c->sci_irq, c->sci_irq, INTI_ACTIVE_HIGH | INTI_LEVEL);
	e[0] = MADT_TYPE_LAPIC_NMI;
	e[1] = MADT_NMI_LEN;
	e[2] = ALL_PROCESSORS;
	e[5] = LINT1;
	seal(t);
}

static void put_root(u8 *t, const char *sig, u32 entry_size, u64 gpa, const struct layout *l)
{
	u32 entries[ROOT_ENTRIES] = { l->fadt, l->madt };

	put_header(t, sig, HEADER_LEN + entry_size * ROOT_ENTRIES, 1);
	for (u32 i = 0; i < ROOT_ENTRIES; i++) {
		if (entry_size == 8)
			put64(t + HEADER_LEN + 8 * i, gpa + entries[i]);
		else
			put32(t + HEADER_LEN + 4 * i, (u32)(gpa + entries[i]));
	}
	seal(t);
}

static void put_rsdp(u8 *r, u64 gpa, const struct layout *l)
{
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "VIREO ", 6);
	r[15] = 2;
	put32(r + 16, (u32)(gpa + l->rsdt));
	put32(r + 20, RSDP_LEN);
	put64(r + 24, gpa + l->xsdt);
	r[8] = table_checksum(r, 20);		/* the ACPI 1.0 part */
	r[32] = table_checksum(r, RSDP_LEN);	/* all of it */
}

u32 acpi_build_write(const struct acpi_build_config *c, u8 *buf, u64 gpa)
{
	struct layout l;
	u8 *facs, *dsdt;

	plan(c, &l);
	memset(buf, 0, l.end);
	facs = buf + l.facs;
	memcpy(facs, "FACS", 4);
	put32(facs + 4, FACS_LEN);
	facs[32] = 2;	/* version */
	dsdt = buf + l.dsdt;
	put_header(dsdt, "DSDT", HEADER_LEN + (u32)sizeof(dsdt_aml), 2);
	memcpy(dsdt + HEADER_LEN, dsdt_aml, sizeof(dsdt_aml));
	seal(dsdt);
	put_madt(c, buf + l.madt, l.madt_len);
	put_fadt(c, buf + l.fadt, gpa, &l);
	put_root(buf + l.rsdt, "RSDT", 4, gpa, &l);
	put_root(buf + l.xsdt, "XSDT", 8, gpa, &l);
	put_rsdp(buf, gpa, &l);
	return l.end;
}
