/* SPDX-License-Identifier: MIT */
/* The GDB stub's register and memory packets. Pure. */
#include "vmm/gdb_access.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "vmm/gdb_stub_reply.h"

/* The largest m/M/X transfer: what an 'm' reply holds in hex. */
#define GDB_MEM_MAX (GDB_PACKET_MAX / 2)

void gdb_access_read_registers(struct gdb_stub *s)
{
	const struct gdb_layout *l = gdb_layout_get(s->layout);
	struct vcpu_state st;
	u32 pos = 0;
	int err = s->ops->get_state(s->ctx, s->thread, &st);

	if (err) {
		gdb_stub_reply_error(s, err);
		return;
	}
	for (u32 i = 0; i < l->count; i++) {
		gdb_reg_format(&st, &l->regs[i], s->reply + pos);
		pos += 2 * gdb_reg_bytes(&l->regs[i]);
	}
	s->reply_len = pos;
}

void gdb_access_write_registers(struct gdb_stub *s, const char *hex)
{
	const struct gdb_layout *l = gdb_layout_get(s->layout);
	struct vcpu_state st;
	int err;

	if (strlen(hex) != 2 * gdb_layout_bytes(l)) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	err = s->ops->get_state(s->ctx, s->thread, &st);
	for (u32 i = 0; i < l->count && !err; i++) {
		const struct gdb_reg *r = &l->regs[i];

		/* What gdb sends for the unavailable registers is ignored. */
		if (r->kind != GDB_REG_UNAVAILABLE)
			err = gdb_reg_parse(&st, r, hex);
		hex += 2 * gdb_reg_bytes(r);
	}
	if (!err)
		err = s->ops->set_state(s->ctx, s->thread, &st);
	if (err)
		gdb_stub_reply_error(s, err);
	else
		gdb_stub_reply(s, "OK");
}

void gdb_access_register(struct gdb_stub *s, const char *p, bool write)
{
	const struct gdb_layout *l = gdb_layout_get(s->layout);
	const struct gdb_reg *r;
	struct vcpu_state st;
	u64 n;
	int err;

	if (gdb_hex_parse(&p, &n) || n >= l->count || (write ? *p++ != '=' : *p != 0)) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	r = &l->regs[n];
	if (write && strlen(p) != 2 * gdb_reg_bytes(r)) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	err = s->ops->get_state(s->ctx, s->thread, &st);
	if (!err && !write) {
		gdb_reg_format(&st, r, s->reply);
		s->reply_len = 2 * gdb_reg_bytes(r);
		return;
	}
	if (!err)
		err = gdb_reg_parse(&st, r, p);
	if (!err)
		err = s->ops->set_state(s->ctx, s->thread, &st);
	if (err)
		gdb_stub_reply_error(s, err);
	else
		gdb_stub_reply(s, "OK");
}

/* --- memory ---------------------------------------------------------------------------- */

static int mem_read(struct gdb_stub *s, u64 addr, void *buf, u32 len)
{
	if (s->phys)
		return s->ops->read_phys(s->ctx, addr, buf, len);
	return s->ops->read_virt(s->ctx, s->thread, addr, buf, len);
}

static int mem_write(struct gdb_stub *s, u64 addr, const void *buf, u32 len)
{
	if (s->phys)
		return s->ops->write_phys(s->ctx, addr, buf, len);
	return s->ops->write_virt(s->ctx, s->thread, addr, buf, len);
}

void gdb_access_read_memory(struct gdb_stub *s, const char *p)
{
	u64 addr, len;
	int done;

	if (gdb_stub_parse_addr_len(&p, &addr, &len) || *p) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	len = MIN(len, (u64)GDB_MEM_MAX);
	done = len ? mem_read(s, addr, s->scratch.mem, (u32)len) : 0;
	if (done <= 0 && len) {
		gdb_stub_reply_error(s, -EFAULT);
		return;
	}
	done = MIN(done, (int)len);
	gdb_hex_encode(s->reply, s->scratch.mem, (u32)done);
	s->reply_len = 2 * (u32)done;
}

void gdb_access_write_memory(struct gdb_stub *s, const char *p, bool binary)
{
	const char *data;
	u64 addr, len;
	int done;

	if (gdb_stub_parse_addr_len(&p, &addr, &len) || *p != ':' || len > GDB_MEM_MAX) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	data = p + 1;
	if (binary) {
		/* The payload may hold NULs: its length is the packet's. */
		if ((u64)(s->rx.buf + s->rx.len - (const u8 *)data) != len) {
			gdb_stub_reply_error(s, -EINVAL);
			return;
		}
		memcpy(s->scratch.mem, data, len);
	} else if (strlen(data) != 2 * len || gdb_hex_decode(s->scratch.mem, data, (u32)len)) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	/* "X addr,0:" is gdb's probe for X support. */
	done = len ? mem_write(s, addr, s->scratch.mem, (u32)len) : 0;
	if (done != (int)len)
		gdb_stub_reply_error(s, -EFAULT);
	else
		gdb_stub_reply(s, "OK");
}

