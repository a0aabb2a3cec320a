// SPDX-License-Identifier: MIT
/*
 * fwscan: a 32-bit guest that learns its machine the way an OS does, with no hypercall: it
 * reads the BIOS data area, searches the EBDA and the BIOS area for the MP floating pointer
 * (MP spec 1.4, 4.0) and the ACPI RSDP (ACPI 6.5, 5.2.5.1), checks every checksum, walks the
 * MP configuration table and the MADT counting processors and finding the I/O APIC, reads the
 * FADT, and asks fw_cfg (QEMU's docs/specs/fw_cfg) for its signature, CPU count, RAM size and
 * files. It checks that the PM timer the FADT names advances, and with the argument "poweroff"
 * powers the VM off as an OS does, writing \_S5's SLP_TYP with SLP_EN to PM1a_CNT. It prints
 * what it found on the debug console and ends with a count of failed checks (the exit
 * hypercall, its only one). With "scribble" it wipes what it found before it exits, so that a
 * restarted VM shows whether its firmware data was made again. The searches and walks an OS
 * needs are in guests/lib/pc_firmware.c, which lapicsmp shares.
 */
#include "guests/lib/guest.h"
#include "guests/lib/pc_firmware.h"
#include "arch/x86/io.h"

#define MAX_CPUS 64

static u32 failures;

/* Zero len bytes of physical memory at addr. */
static void wipe(u32 addr, u32 len)
{
	u8 *p;

	__asm__("" : "=r"(p) : "0"(addr));
	while (len--)
		*p++ = 0;
}

static void put(const char *s)
{
	while (*s)
		debug_putc(*s++);
}

static void put_hex(u32 v)
{
	char buf[11] = "0x";
	int n = 0;

	for (u32 t = v; t; t >>= 4)
		n++;
	n = n ? n : 1;
	for (int i = 0; i < n; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (4 * (n - 1 - i))) & 15];
	buf[2 + n] = '\0';
	put(buf);
}

static void put_dec(u32 v)
{
	char buf[11];
	int i = 10;

	buf[i] = '\0';
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(buf + i);
}

static void put_chars(const u8 *p, u32 n)
{
	for (u32 i = 0; i < n; i++)
		debug_putc((char)p[i]);
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		put("FAILED: ");
		put(what);
		put("\n");
		failures++;
	}
}

static void scan_bda(void)
{
	const u8 *bda = fw_phys(0x400);

	put("bda: ebda ");
	put_hex(fw_ebda_base());
	put(", base memory ");
	put_dec(fw_get16(bda + 0x13));
	put(" KiB, com1 ");
	put_hex(fw_get16(bda + 0x00));
	put(", equipment ");
	put_hex(fw_get16(bda + 0x10));
	put("\n");
}

static u32 mp_cpus, madt_cpus;
static u8 mp_apic_ids[MAX_CPUS], madt_apic_ids[MAX_CPUS];
static const u8 *fadt;

static void walk_mp_entries(const u8 *t)
{
	const u8 *e = t + 44;
	u32 count = fw_get16(t + 34), ioapics = 0, io_ints = 0, local_ints = 0, bsp = 0xff;
	int irq0_pin = -1;

	mp_cpus = mp_processors(t, mp_apic_ids, MAX_CPUS);
	for (u32 i = 0; i < count; i++) {
		if (e[0] == 0) {
			if (e[3] & 2)
				bsp = e[1];
			e += 20;
			continue;
		}
		if (e[0] == 2) {
			ioapics++;
			put("mp: ioapic id ");
			put_dec(e[1]);
			put(" version ");
			put_hex(e[2]);
			put(" at ");
			put_hex(fw_get32(e + 4));
			put("\n");
		} else if (e[0] == 3) {
			io_ints++;
			if (e[5] == 0)
				irq0_pin = e[7];
		} else if (e[0] == 4) {
			local_ints++;
		}
		e += 8;
	}
	check(e - t == (int)fw_get16(t + 4), "MP entries fill the table");
	put("mp: ");
	put_dec(mp_cpus);
	put(" cpus, bsp lapic ");
	put_dec(bsp);
	put(", ");
	put_dec(ioapics);
	put(" ioapic, ");
	put_dec(io_ints);
	put(" io interrupts (irq0 -> pin ");
	put_dec((u32)irq0_pin);
	put("), ");
	put_dec(local_ints);
	put(" local interrupts\n");
}

static void scan_mp(void)
{
	const u8 *fp = mp_find_floating_pointer(), *t;

	if (!fp) {
		put("mp: no floating pointer\n");
		return;
	}
	put("mp: floating pointer at ");
	put_hex((u32)fp);
	put(", spec 1.");
	put_dec(fp[9]);
	put("\n");
	t = fw_phys(fw_get32(fp + 4));
	check(t[0] == 'P' && t[1] == 'C' && t[2] == 'M' && t[3] == 'P', "PCMP signature");
	check(fw_sums_to_zero(t, fw_get16(t + 4)), "MP configuration table checksum");
	walk_mp_entries(t);
}

static void walk_madt(const u8 *t)
{
	u32 len = fw_get32(t + 4), ioapics = 0, nmis = 0;

	madt_cpus = madt_processors(t, madt_apic_ids, MAX_CPUS);
	for (u32 off = 44; off + 2 <= len && t[off + 1] >= 2; off += t[off + 1]) {
		const u8 *e = t + off;

		if (e[0] == 1) {
			ioapics++;
			put("acpi: ioapic id ");
			put_dec(e[2]);
			put(" at ");
			put_hex(fw_get32(e + 4));
			put(" gsi base ");
			put_dec(fw_get32(e + 8));
			put("\n");
		} else if (e[0] == 2) {
			put("acpi: override irq ");
			put_dec(e[3]);
			put(" -> gsi ");
			put_dec(fw_get32(e + 4));
			put(" flags ");
			put_hex(fw_get16(e + 8));
			put("\n");
		} else if (e[0] == 4) {
			nmis++;
		}
	}
	put("acpi: madt ");
	put_dec(madt_cpus);
	put(" cpus, ");
	put_dec(ioapics);
	put(" ioapic, ");
	put_dec(nmis);
	put(" nmi, lapic at ");
	put_hex(fw_get32(t + 36));
	put("\n");
}

/* The PM timer must count, in 24 bits: read it until it moves, a bounded number of times. */
static void check_pm_timer(u16 port, u16 pm1a_cnt, int s5_type)
{
	u32 first = inl(port), now = first, reads = 0;

	while (now == first && reads < 1000000) {
		now = inl(port);
		reads++;
	}
	check(now != first, "the PM timer advances");
	check(first >> 24 == 0 && now >> 24 == 0, "the PM timer has 24 bits");
	put("acpi: pm timer advances, sci_en ");
	put_dec(inw(pm1a_cnt) & 1);
	put(", \\_S5 type ");
	put_dec((u32)s5_type);
	put("\n");
}

static void read_fadt(const u8 *t)
{
	const u8 *dsdt = fw_phys(fw_get32(t + 40));

	fadt = t;
	put("acpi: fadt sci ");
	put_dec(fw_get16(t + 46));
	put(", pm timer ");
	put_hex(fw_get32(t + 76));
	put(", reset ");
	put_hex(fw_get32(t + 120));
	put(" value ");
	put_dec(t[128]);
	put("\n");
	check(dsdt[0] == 'D' && dsdt[1] == 'S' && fw_sums_to_zero(dsdt, fw_get32(dsdt + 4)),
	      "DSDT checksum");
	check_pm_timer((u16)fw_get32(t + 76), (u16)fw_get32(t + 64), acpi_s5_type(dsdt));
}

/* Each table a root table lists: checksummed, and the MADT and FADT read. */
static u32 walk_root(const u8 *root, u32 entry_size)
{
	u32 tables = 0;

	check(fw_sums_to_zero(root, fw_get32(root + 4)), "root table checksum");
	for (u32 off = 36; off + entry_size <= fw_get32(root + 4); off += entry_size) {
		const u8 *t = fw_phys(fw_get32(root + off));	/* below 4 GiB: the high half is 0 */

		check(fw_sums_to_zero(t, fw_get32(t + 4)), "table checksum");
		tables++;
		if (entry_size == 4)
			continue;	/* the RSDT lists the same tables: read them once */
		put("acpi: table ");
		put_chars(t, 4);
		put(" at ");
		put_hex((u32)t);
		put("\n");
		if (t[0] == 'A' && t[1] == 'P' && t[2] == 'I' && t[3] == 'C')
			walk_madt(t);
		if (t[0] == 'F' && t[1] == 'A' && t[2] == 'C' && t[3] == 'P')
			read_fadt(t);
	}
	return tables;
}

static void scan_acpi(void)
{
	const u8 *rsdp = acpi_find_rsdp();
	u32 rsdt_tables, xsdt_tables;

	if (!rsdp) {
		put("acpi: no rsdp\n");
		return;
	}
	put("acpi: rsdp at ");
	put_hex((u32)rsdp);
	put(", revision ");
	put_dec(rsdp[15]);
	put(", oem ");
	put_chars(rsdp + 9, 6);
	put("\n");
	check(rsdp[15] >= 2 && fw_sums_to_zero(rsdp, fw_get32(rsdp + 20)), "RSDP extended checksum");
	xsdt_tables = walk_root(fw_phys(fw_get32(rsdp + 24)), 8);
	rsdt_tables = walk_root(fw_phys(fw_get32(rsdp + 16)), 4);
	check(xsdt_tables == rsdt_tables, "RSDT and XSDT list as many tables");
}

static u32 be(const u8 *p, u32 n)
{
	u32 v = 0;

	for (u32 i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void read_file(const u8 *entry)
{
	u32 size = be(entry, 4);
	u16 select = (u16)be(entry + 4, 2);
	u8 buf[256];

	put("fwcfg: file ");
	put((const char *)entry + 8);
	put(", ");
	put_dec(size);
	put(" bytes");
	fw_cfg_read(select, buf, size < sizeof(buf) ? size : sizeof(buf));
	if (entry[8 + 4] == 'v') {	/* etc/vireo/...: text */
		put(": ");
		put_chars(buf, size < sizeof(buf) ? size : sizeof(buf));
	} else if (entry[8 + 4] == 'e') {	/* etc/e820: 20-byte entries */
		u32 ram_kib = 0;

		for (u32 at = 0; at + 20 <= size && at + 20 <= sizeof(buf); at += 20)
			if (fw_get32(buf + at + 16) == 1)
				ram_kib += fw_get32(buf + at + 8) >> 10 | fw_get32(buf + at + 12) << 22;
		put(": ");
		put_dec(size / 20);
		put(" entries, ");
		put_dec(ram_kib);
		put(" KiB of RAM");
	}
	put("\n");
}

static u32 fw_cfg_cpus;

static void scan_fw_cfg(void)
{
	u8 sig[4], dir[4 + 4 * 64], ram[8];
	u32 files;

	fw_cfg_read(FW_CFG_SIGNATURE, sig, 4);
	if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U') {
		put("fwcfg: no signature\n");
		return;
	}
	fw_cfg_read(FW_CFG_RAM_SIZE, ram, 8);
	fw_cfg_cpus = fw_cfg_u32(FW_CFG_NB_CPUS, 2);
	put("fwcfg: signature QEMU, id ");
	put_hex(fw_cfg_u32(FW_CFG_ID, 4));
	put(", ram ");
	put_dec(fw_get32(ram) >> 20 | fw_get32(ram + 4) << 12);
	put(" MiB, cpus ");
	put_dec(fw_cfg_cpus);
	put(", max cpus ");
	put_dec(fw_cfg_u32(FW_CFG_MAX_CPUS, 2));
	put("\n");
	fw_cfg_read(FW_CFG_FILE_DIR, dir, sizeof(dir));
	files = be(dir, 4);
	put("fwcfg: ");
	put_dec(files);
	put(" files\n");
	for (u32 i = 0; i < files && i < 4; i++)
		read_file(dir + 4 + 64 * i);
}

int main(const struct vireo_boot_info *bi)
{
	(void)bi;
	scan_bda();
	scan_mp();
	scan_acpi();
	scan_fw_cfg();
	if (mp_cpus && madt_cpus) {
		check(mp_cpus == madt_cpus, "the MP table and the MADT agree");
		for (u32 i = 0; i < mp_cpus && i < madt_cpus && i < MAX_CPUS; i++)
			check(mp_apic_ids[i] == madt_apic_ids[i],
			      "the MP table and the MADT name the same APIC IDs");
	}
	if (fw_cfg_cpus && madt_cpus)
		check(fw_cfg_cpus == madt_cpus, "fw_cfg and the MADT agree");
	put("fwscan: ");
	put_dec(failures);
	put(" check(s) failed\n");
	if (guest_arg_is("scribble")) {
		put("fwscan: wiping the BDA, the EBDA and the BIOS area\n");
		wipe(0x400, 0x100);
		wipe(0x9fc00, 0x400);
		wipe(0xe0000, 0x20000);
	}
	if (guest_arg_is("poweroff") && fadt) {
		put("fwscan: powering off through PM1a_CNT\n");
		acpi_power_off(fadt);
		for (;;)	/* the VM stops here; without the device it halts for good */
			__asm__ volatile("cli; hlt");
	}
	return (int)failures;
}
