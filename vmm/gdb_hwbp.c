/* SPDX-License-Identifier: MIT */
/* A debugger's breakpoints in DR0-DR3: the registers' use, DR7, and a #DB's DR6. Pure. */
#include "vmm/gdb_hwbp.h"
#include "kernel/errno.h"

#define DR7_FIXED BIT(10)	/* reads as 1 (SDM Vol. 3B 17.2.4) */
#define DR7_LE BIT(8)		/* exact data breakpoints: ignored by newer CPUs, advised */
#define DR7_L(n) BIT(2 * (n))
#define DR7_RW_SHIFT(n) (16 + 4 * (n))
#define DR7_LEN_SHIFT(n) (18 + 4 * (n))

/* R/W field: 00 instruction, 01 data writes, 11 data reads or writes (10 is I/O). */
static u64 rw_field(enum gdb_breakpoint_type type)
{
	return type == GDB_BP_WRITE ? 1 : type == GDB_BP_ACCESS ? 3 : 0;
}

/* LEN field: 00 one byte, 01 two, 11 four, 10 eight (SDM 17.2.5). */
static u64 len_field(u32 len)
{
	return len == 2 ? 1 : len == 4 ? 3 : len == 8 ? 2 : 0;
}

static bool valid(enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	if (type == GDB_BP_HARDWARE)
		return len <= 1;
	if (type != GDB_BP_WRITE && type != GDB_BP_ACCESS)
		return false;
	return (len == 1 || len == 2 || len == 4 || len == 8) && (addr & (len - 1)) == 0;
}

int gdb_hwbp_insert(struct gdb_hwbp *h, enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	if (!valid(type, addr, len))
		return -EINVAL;
	for (u32 i = 0; i < GDB_HWBP_SLOTS; i++) {
		if (h->used & BIT(i))
			continue;
		h->used |= (u8)BIT(i);
		h->slot[i].type = type;
		h->slot[i].addr = addr;
		h->slot[i].len = type == GDB_BP_HARDWARE ? 1 : len;
		return 0;
	}
	return -ENOSPC;
}

int gdb_hwbp_remove(struct gdb_hwbp *h, enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	if (type == GDB_BP_HARDWARE && len == 0)
		len = 1;
	for (u32 i = 0; i < GDB_HWBP_SLOTS; i++) {
		if ((h->used & BIT(i)) && h->slot[i].type == type && h->slot[i].addr == addr &&
		    h->slot[i].len == len) {
			h->used &= (u8)~BIT(i);
			return 0;
		}
	}
	return -EINVAL;
}

u64 gdb_hwbp_dr7(const struct gdb_hwbp *h)
{
	u64 dr7 = DR7_FIXED;

	for (u32 i = 0; i < GDB_HWBP_SLOTS; i++) {
		if (!(h->used & BIT(i)))
			continue;
		dr7 |= DR7_L(i) | rw_field(h->slot[i].type) << DR7_RW_SHIFT(i) |
		       len_field(h->slot[i].len) << DR7_LEN_SHIFT(i);
		if (h->slot[i].type != GDB_BP_HARDWARE)
			dr7 |= DR7_LE;
	}
	return dr7;
}

void gdb_hwbp_addresses(const struct gdb_hwbp *h, u64 dr[GDB_HWBP_SLOTS])
{
	for (u32 i = 0; i < GDB_HWBP_SLOTS; i++)
		dr[i] = (h->used & BIT(i)) ? h->slot[i].addr : 0;
}

u32 gdb_hwbp_hit(const struct gdb_hwbp *h, u64 dr6, struct gdb_stop *stop)
{
	u32 hits = (u32)dr6 & h->used & 0xf;

	if (!hits)
		return 0;
	for (u32 i = 0; i < GDB_HWBP_SLOTS; i++) {
		if (!(hits & BIT(i)))
			continue;
		if (h->slot[i].type == GDB_BP_HARDWARE) {
			stop->reason = GDB_STOP_HW_BREAKPOINT;
		} else {
			stop->reason = GDB_STOP_WATCHPOINT;
			stop->watch_type = h->slot[i].type;
			stop->watch_addr = h->slot[i].addr;
		}
		break;
	}
	return hits;
}
