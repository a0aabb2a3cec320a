// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the PC's small port devices a guest probes, driven together by 8-byte steps (a
 * kind, a port offset, a size, a 32-bit value, a time scale): PCI configuration mechanism #1
 * (vmm/dev/vpci.c), the ACPI PM block (vmm/dev/vacpi_pm.c), the VGA registers
 * (vmm/dev/vvga.c) and the reset ports 0xCF9 and 0x92 (vmm/dev/vreset.c), and the rendering
 * of a screen row from the input's bytes. Each model is
 * checked against a shadow the harness keeps by the datasheets' rules, byte by byte:
 * CONFIG_ADDRESS reads back its writable bits; the host bridge at 00:00.0 reads its IDs,
 * class and command register (whose two bytes alone take writes), every other function all
 * ones; PM1_STS stays clear (nothing raises an event), PM1_EN reads back, PM1_CNT keeps SCI_EN
 * and never reads SLP_EN, each write of SLP_EN enters the sleep state its SLP_TYP names, and
 * the PM timer reads floor(t * 3.579545 MHz) mod 2^24 exactly; the CRTC's registers read back,
 * the cursor is theirs, input status 1 flips its retrace bits on each read; 0xCF9 keeps
 * SYS_RST and FULL_RST, port A all but fast reset, and each write of RST_CPU or fast reset
 * resets once, naming its port; a rendered row is printable ASCII without trailing blanks.
 */
#include <string.h>

#include "tests/fuzz/fuzz_dev.h"
#include "vmm/dev/vacpi_pm.h"
#include "vmm/dev/vpci.h"
#include "vmm/dev/vreset.h"
#include "vmm/dev/vvga.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define STEP 8
#define PM_BASE 0xb000
#define PCI_ENABLE 0x80000000u
#define PCI_ADDRESS_BITS 0x80fffffcu
#define SLP_EN_HIGH_BYTE 0x20	/* PM1_CNT bit 13, in the control's second byte */

enum kind {
	PCI_ADDRESS_WRITE, PCI_ADDRESS_READ, PCI_DATA_WRITE, PCI_DATA_READ,
	PM_WRITE, PM_READ, TIME, VGA_WRITE, VGA_READ, RESET_WRITE, RESET_READ, VGA_RENDER, KINDS
};

struct run {
	struct fuzz_dev dev;
	struct vpci pci;
	struct vacpi_pm pm;
	struct vvga vga;
	struct vreset reset;
	/* The shadows. */
	u32 pci_address;
	u8 pci_command[2];
	u8 pm_enable[2];
	u8 crtc_index, crtc[VVGA_CRTC_REGS];
	u8 status_reads;
	u8 control, port_a;	/* 0xCF9 and 0x92 as they read */
	u32 resets;		/* the resets asked for since the last write */
	int slept_as;		/* the SLP_TYP the model entered since the last write (-1: none) */
};

static struct run run;

static void sleep_enter(void *ctx, u8 slp_typ)
{
	(void)ctx;
	fuzz_check(run.slept_as < 0);	/* once per write */
	run.slept_as = slp_typ;
}

static void reset_asked(void *ctx, const char *how)
{
	(void)ctx;
	fuzz_check(strstr(how, "0xcf9") || strstr(how, "0x92"));
	run.resets++;
}

/* The reset ports are byte registers: 0xCF9 or 0x92, by the offset's low bit. */
static void reset_write(u8 offset, u8 value)
{
	u16 port = offset & 1 ? VRESET_PORT_A : VRESET_CONTROL_PORT;
	bool resets = value & (port == VRESET_PORT_A ? VRESET_PORT_A_FAST_RESET :
					       VRESET_CONTROL_RST_CPU);

	run.resets = 0;
	vreset_ops.write(&run.reset, port, 1, value);
	fuzz_check(run.resets == (resets ? 1u : 0u));
	if (port == VRESET_PORT_A)
		run.port_a = value & ~VRESET_PORT_A_FAST_RESET;
	else
		run.control = value & (VRESET_CONTROL_SYS_RST | VRESET_CONTROL_FULL_RST);
}

static void reset_read(u8 offset)
{
	u16 port = offset & 1 ? VRESET_PORT_A : VRESET_CONTROL_PORT;

	fuzz_check((u8)vreset_ops.read(&run.reset, port, 1) ==
		   (port == VRESET_PORT_A ? run.port_a : run.control));
}

static u32 mask(u8 size)
{
	return size == 4 ? ~0u : (1u << (8 * size)) - 1;
}

static u8 byte_of(u32 value, u32 i)
{
	return (u8)(value >> (8 * i));
}

static bool host_bridge_selected(void)
{
	return (run.pci_address & PCI_ENABLE) && ((run.pci_address >> 8) & 0xffff) == 0;
}

/* The host bridge's configuration byte at offset, as the i440FX shows it to Vireo's guests. */
static u8 host_bridge_byte(u32 offset)
{
	switch (offset) {
	case 0: return 0x86;
	case 1: return 0x80;
	case 2: return 0x37;
	case 3: return 0x12;
	case 4: case 5: return run.pci_command[offset - 4];
	case 8: return 0x02;	/* revision */
	case 11: return 0x06;	/* class: bridge, subclass 0: host */
	default: return 0;
	}
}

static void pci_data_write(u32 offset, u8 size, u32 value)
{
	vpci_data_ops.write(&run.pci, (u16)(VPCI_DATA_PORT + offset), size, value & mask(size));
	if (!host_bridge_selected() || (run.pci_address & 0xfc) != 4)
		return;
	for (u32 i = 0; i < size && offset + i < 2; i++)
		run.pci_command[offset + i] = byte_of(value, i);
}

static void pci_data_read(u32 offset, u8 size)
{
	u32 got = vpci_data_ops.read(&run.pci, (u16)(VPCI_DATA_PORT + offset), size) & mask(size);

	for (u32 i = 0; i < size && offset + i < VPCI_DATA_PORTS; i++) {
		u8 want = host_bridge_selected() ?
			  host_bridge_byte((run.pci_address & 0xfc) + offset + i) : 0xff;

		fuzz_check(byte_of(got, i) == want);
	}
}

/* The PM timer by its definition, in exact arithmetic: ticks of 3.579545 MHz since time 0. */
static u32 pm_timer_model(void)
{
	unsigned __int128 ticks = (unsigned __int128)run.dev.now * VACPI_PM_TIMER_HZ / 1000000000u;

	return (u32)ticks & 0xffffff;
}

static void pm_write(u32 offset, u8 size, u32 value)
{
	bool sleeps = false;
	u8 slp_typ = 0;

	for (u32 i = 0; i < size && offset + i < VACPI_PM_PORTS; i++) {
		u8 b = byte_of(value, i);

		if (offset + i == VACPI_PM_EN || offset + i == VACPI_PM_EN + 1)
			run.pm_enable[offset + i - VACPI_PM_EN] = b;
		if (offset + i == VACPI_PM_CNT + 1 && (b & SLP_EN_HIGH_BYTE)) {
			sleeps = true;
			slp_typ = (b >> 2) & 7;
		}
	}
	run.slept_as = -1;
	vacpi_pm_ops.write(&run.pm, (u16)(PM_BASE + offset), size, value & mask(size));
	fuzz_check(sleeps ? run.slept_as == slp_typ : run.slept_as < 0);
}

static void pm_read(u32 offset, u8 size)
{
	u32 got = vacpi_pm_ops.read(&run.pm, (u16)(PM_BASE + offset), size) & mask(size);
	u32 timer = pm_timer_model();

	for (u32 i = 0; i < size && offset + i < VACPI_PM_PORTS; i++) {
		u32 at = offset + i;
		u8 b = byte_of(got, i);

		if (at < VACPI_PM_EN)
			fuzz_check(b == 0);	/* PM1_STS: no event ever sets a bit */
		else if (at < VACPI_PM_CNT)
			fuzz_check(b == run.pm_enable[at - VACPI_PM_EN]);
		else if (at == VACPI_PM_CNT)
			fuzz_check(b & VACPI_PM_CNT_SCI_EN);
		else if (at == VACPI_PM_CNT + 1)
			fuzz_check(!(b & SLP_EN_HIGH_BYTE));
		else if (at >= VACPI_PM_TMR)
			fuzz_check(b == byte_of(timer, at - VACPI_PM_TMR));
		else
			fuzz_check(b == 0);	/* reserved */
	}
}

/* The VGA port of an offset byte: the 0x3C0 block, the CRTC's index and data, status 1. */
static u16 vga_port(u8 offset)
{
	switch (offset % 4) {
	case 0: return (u16)(VVGA_PORT + offset / 4 % VVGA_PORTS);
	case 1: return VVGA_CRTC_PORT;
	case 2: return VVGA_CRTC_PORT + 1;
	default: return VVGA_STATUS_PORT;
	}
}

static void vga_write(u16 port, u8 size, u32 value)
{
	for (u32 i = 0; i < size; i++) {
		if (port + i == VVGA_CRTC_PORT)
			run.crtc_index = byte_of(value, i);
		else if (port + i == VVGA_CRTC_PORT + 1 && run.crtc_index < VVGA_CRTC_REGS)
			run.crtc[run.crtc_index] = byte_of(value, i);
	}
	vvga_ops.write(&run.vga, port, size, value & mask(size));
}

static void vga_read(u16 port, u8 size)
{
	u32 got = vvga_ops.read(&run.vga, port, size) & mask(size);

	for (u32 i = 0; i < size; i++) {
		u8 b = byte_of(got, i);

		if (port + i == VVGA_CRTC_PORT)
			fuzz_check(b == run.crtc_index);
		else if (port + i == VVGA_CRTC_PORT + 1)
			fuzz_check(b == (run.crtc_index < VVGA_CRTC_REGS ?
					 run.crtc[run.crtc_index] : 0));
		else if (port + i == VVGA_STATUS_PORT)
			fuzz_check((b & 0x09) == (++run.status_reads & 1 ? 0x09 : 0));
	}
	fuzz_check(vvga_cursor(&run.vga) == (run.crtc[VVGA_CRTC_CURSOR_HIGH] << 8 |
					     run.crtc[VVGA_CRTC_CURSOR_LOW]));
}

static void vga_render(const u8 *cells)
{
	char row[VVGA_COLUMNS + 1];
	size_t len;

	vvga_render_row(cells, row);
	len = strnlen(row, sizeof(row));
	fuzz_check(len <= VVGA_COLUMNS && (len == 0 || row[len - 1] != ' '));
	for (size_t col = 0; col < len; col++) {
		u8 c = cells[2 * col];

		fuzz_check(row[col] == (c >= 0x20 && c < 0x7f ? (char)c : ' '));
	}
	for (size_t col = len; col < VVGA_COLUMNS; col++)
		fuzz_check(cells[2 * col] <= 0x20 || cells[2 * col] >= 0x7f);
}

static void start(void)
{
	struct dev_clock clock;
	struct vacpi_pm_sleep sleep = { .enter = sleep_enter };

	run = (struct run){ .slept_as = -1 };
	clock = fuzz_dev_clock(&run.dev);
	vacpi_pm_init(&run.pm, PM_BASE, &clock, &sleep);
	vvga_init(&run.vga);
	run.reset.reset = reset_asked;
	vreset_init(&run.reset);
	run.crtc[0x09] = 0x4f;	/* 16-line characters, the cursor on lines 13-14 */
	run.crtc[0x0a] = 0x0d;
	run.crtc[0x0b] = 0x0e;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	start();
	for (size_t at = 0; at + STEP <= size; at += STEP) {
		const u8 *s = data + at;
		u8 offset = s[1], width = (u8)(1u << (s[2] % 3));
		u32 value = (u32)s[3] | (u32)s[4] << 8 | (u32)s[5] << 16 | (u32)s[6] << 24;

		switch (s[0] % KINDS) {
		case PCI_ADDRESS_WRITE:
			vpci_address_ops.write(&run.pci, VPCI_ADDRESS_PORT, width, value & mask(width));
			if (width == 4)
				run.pci_address = value & PCI_ADDRESS_BITS;
			break;
		case PCI_ADDRESS_READ:
			fuzz_check((vpci_address_ops.read(&run.pci, VPCI_ADDRESS_PORT, width) &
				    mask(width)) == (width == 4 ? run.pci_address : mask(width)));
			break;
		case PCI_DATA_WRITE: pci_data_write(offset % VPCI_DATA_PORTS, width, value); break;
		case PCI_DATA_READ: pci_data_read(offset % VPCI_DATA_PORTS, width); break;
		case PM_WRITE: pm_write(offset % VACPI_PM_PORTS, width, value); break;
		case PM_READ: pm_read(offset % VACPI_PM_PORTS, width); break;
		case TIME: fuzz_dev_advance(&run.dev, s[7], s[3]); break;
		case VGA_WRITE: vga_write(vga_port(offset), width, value); break;
		case VGA_READ: vga_read(vga_port(offset), width); break;
		case RESET_WRITE: reset_write(offset, s[3]); break;
		case RESET_READ: reset_read(offset); break;
		default:
			if (at + STEP + VVGA_COLUMNS * 2 <= size)
				vga_render(data + at + STEP);
			break;
		}
	}
	return 0;
}
