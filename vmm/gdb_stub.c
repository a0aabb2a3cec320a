/* SPDX-License-Identifier: MIT */
/* The GDB stub's sessions and packet dispatch, with the query packets. Pure. */
#include "vmm/gdb_stub.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "vmm/gdb_access.h"
#include "vmm/gdb_monitor.h"
#include "vmm/gdb_run.h"
#include "vmm/gdb_stub_reply.h"

/* Signals in stop replies: gdb's numbering (GDB manual, "Signals"). */
#define GDB_SIGINT 2
#define GDB_SIGTRAP 5

/* --- replies --------------------------------------------------------------------------- */

void gdb_stub_reply(struct gdb_stub *s, const char *text)
{
	s->reply_len = (u32)MIN(strlen(text), (size_t)GDB_PACKET_MAX);
	memcpy(s->reply, text, s->reply_len);
}

void gdb_stub_replyf(struct gdb_stub *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(s->reply, sizeof(s->reply), fmt, ap);
	va_end(ap);
	s->reply_len = (u32)MIN(n, GDB_PACKET_MAX);
}

/* "Enn" with nn the errno in decimal ("E14": EFAULT): gdb takes nn as opaque. */
void gdb_stub_reply_error(struct gdb_stub *s, int err)
{
	gdb_stub_replyf(s, "E%02d", MIN(err < 0 ? -err : err, 99));
}

static void send_packet(struct gdb_stub *s, const void *payload, u32 len)
{
	s->tx_len = gdb_packet_encode(s->tx, sizeof(s->tx), payload, len);
	s->ops->send(s->ctx, s->tx, s->tx_len);
}

static void send_reply(struct gdb_stub *s)
{
	send_packet(s, s->reply, s->reply_len);
}

/* --- parsing --------------------------------------------------------------------------- */

int gdb_stub_parse_addr_len(const char **p, u64 *addr, u64 *len)
{
	if (gdb_hex_parse(p, addr) || **p != ',')
		return -EINVAL;
	(*p)++;
	return gdb_hex_parse(p, len);
}

int gdb_stub_parse_thread(struct gdb_stub *s, const char **p, s32 *vcpu)
{
	u64 id;

	if ((*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*vcpu = -1;
		return 0;
	}
	if (gdb_hex_parse(p, &id))
		return -EINVAL;
	if (id == 0) {
		*vcpu = (s32)s->thread;
		return 0;
	}
	if (id > gdb_stub_thread_count(s))
		return -EINVAL;
	*vcpu = (s32)(id - 1);
	return 0;
}

u32 gdb_stub_thread_count(struct gdb_stub *s)
{
	return MIN(s->ops->thread_count(s->ctx), (u32)GDB_MAX_THREADS);
}

/* --- session --------------------------------------------------------------------------- */

static void session_reset(struct gdb_stub *s)
{
	s->rx.no_ack = false;
	s->phys = false;
	s->swbreak = false;
	s->thread = 0;
	s->step_thread = -1;
}

/* Fix the register layout for this connection from the selected vCPU's mode. */
static void latch_layout(struct gdb_stub *s)
{
	struct vcpu_state st;

	if (s->ops->get_state(s->ctx, s->thread, &st) == 0)
		s->layout = gdb_layout_for(&st);
}

/* Whether gdb's qSupported list (after the ':') names feature. */
static bool gdb_offers(const char *list, const char *feature)
{
	size_t n = strlen(feature);

	for (const char *p = list; *p; p++) {
		if ((p == list || p[-1] == ';') && strncmp(p, feature, n) == 0 &&
		    (p[n] == ';' || p[n] == 0))
			return true;
	}
	return false;
}

static void handle_qsupported(struct gdb_stub *s, const char *args)
{
	/* A new connection: whatever the last one left (no-ack mode, breakpoints) is gone. */
	session_reset(s);
	s->ops->remove_all_breakpoints(s->ctx);
	s->swbreak = *args == ':' && gdb_offers(args + 1, "swbreak+");
	latch_layout(s);
	gdb_stub_replyf(s, "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;vContSupported+;"
			"swbreak+;hwbreak+", GDB_PACKET_MAX);
}

/* "qXfer:features:read:target.xml:offset,length" (GDB manual, "General Query Packets"). */
static void handle_qxfer_features(struct gdb_stub *s, const char *args)
{
	static const char annex[] = "target.xml:";
	u64 offset, length;
	u32 len, chunk;

	if (strncmp(args, annex, sizeof(annex) - 1)) {
		gdb_stub_reply_error(s, -ENOENT);
		return;
	}
	args += sizeof(annex) - 1;
	if (gdb_stub_parse_addr_len(&args, &offset, &length) || *args) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	if (offset == 0)
		latch_layout(s);
	len = gdb_tdesc_write(s->scratch.text, sizeof(s->scratch.text), gdb_layout_get(s->layout));
	if (offset >= len) {
		gdb_stub_reply(s, "l");
		return;
	}
	/* 'm': more follows; 'l': this is the last part. */
	chunk = (u32)MIN(MIN(length, (u64)(len - offset)), (u64)GDB_PACKET_MAX - 1);
	s->reply[0] = offset + chunk < len ? 'm' : 'l';
	memcpy(s->reply + 1, s->scratch.text + offset, chunk);
	s->reply_len = chunk + 1;
}

static void handle_thread_info(struct gdb_stub *s)
{
	u32 n = gdb_stub_thread_count(s);
	u32 len = 0;

	s->reply[len++] = 'm';
	for (u32 i = 0; i < n; i++)
		len += (u32)format(s->reply + len, sizeof(s->reply) - len, i ? ",%x" : "%x", i + 1);
	s->reply_len = len;
}

static void handle_qrcmd(struct gdb_stub *s, const char *hex)
{
	u32 n = (u32)strlen(hex) / 2;
	char *out;
	u32 out_len;

	if (strlen(hex) % 2 || n >= sizeof(s->scratch.text) / 2 ||
	    gdb_hex_decode((u8 *)s->scratch.text, hex, n)) {
		gdb_stub_reply_error(s, -EINVAL);
		return;
	}
	/* The command in the first half of text, the output in the second. */
	s->scratch.text[n] = 0;
	out = s->scratch.text + sizeof(s->scratch.text) / 2;
	out_len = gdb_monitor_run(s, s->scratch.text, out, MIN(sizeof(s->scratch.text) / 2,
							    (size_t)GDB_PACKET_MAX / 2));
	/* The output goes back hex-encoded in the reply itself, or "OK" when there is none. */
	if (!out_len) {
		gdb_stub_reply(s, "OK");
		return;
	}
	gdb_hex_encode(s->reply, (const u8 *)out, out_len);
	s->reply_len = 2 * out_len;
}

static void handle_query(struct gdb_stub *s, const char *p)
{
	if (str_starts_with(p, "qSupported"))
		handle_qsupported(s, p + strlen("qSupported"));
	else if (str_starts_with(p, "qXfer:features:read:"))
		handle_qxfer_features(s, p + strlen("qXfer:features:read:"));
	else if (strcmp(p, "qfThreadInfo") == 0)
		handle_thread_info(s);
	else if (strcmp(p, "qsThreadInfo") == 0)
		gdb_stub_reply(s, "l");
	else if (strcmp(p, "qC") == 0)
		gdb_stub_replyf(s, "QC%x", s->thread + 1);
	else if (strcmp(p, "qAttached") == 0)
		gdb_stub_reply(s, "1");	/* attached to a VM that existed: leaving it detaches */
	else if (str_starts_with(p, "qRcmd,"))
		handle_qrcmd(s, p + strlen("qRcmd,"));
	else
		gdb_stub_reply(s, "");	/* qOffsets, qTStatus, qSymbol...: not supported */
}

/* --- stops ----------------------------------------------------------------------------- */

/* The stop reply for s->last_stop (GDB manual, "Stop Reply Packets"). */
static void reply_stop(struct gdb_stub *s)
{
	const struct gdb_stop *st = &s->last_stop;
	u32 thread = MIN(st->thread, gdb_stub_thread_count(s) - 1) + 1;
	int sig = st->reason == GDB_STOP_INTERRUPTED && !s->attach_stop ? GDB_SIGINT : GDB_SIGTRAP;
	int n;

	if (st->reason == GDB_STOP_EXITED) {
		gdb_stub_replyf(s, "W%02x", st->exit_code);
		return;
	}
	n = format(s->reply, sizeof(s->reply), "T%02xthread:%x;", sig, thread);
	if (st->reason == GDB_STOP_WATCHPOINT)
		n += format(s->reply + n, sizeof(s->reply) - (u32)n, "%s:%llx;",
			    st->watch_type == GDB_BP_ACCESS ? "awatch" : "watch", st->watch_addr);
	else if (st->reason == GDB_STOP_SW_BREAKPOINT && s->swbreak)
		n += format(s->reply + n, sizeof(s->reply) - (u32)n, "swbreak:;");
	else if (st->reason == GDB_STOP_HW_BREAKPOINT && s->swbreak)
		n += format(s->reply + n, sizeof(s->reply) - (u32)n, "hwbreak:;");
	s->reply_len = (u32)n;
}

/* gdb leaves ('D', 'k'): breakpoints out, the VM runs freely, the next gdb starts afresh. */
static void detach(struct gdb_stub *s)
{
	s->ops->remove_all_breakpoints(s->ctx);
	s->ops->detach(s->ctx);
	s->vm = GDB_VM_FREE;
}

/* --- dispatch -------------------------------------------------------------------------- */

/* Handle the packet in s->rx.buf. Returns whether a reply is to be sent now. */
static bool dispatch(struct gdb_stub *s)
{
	const char *p = (const char *)s->rx.buf;

	s->reply_len = 0;
	switch (p[0]) {
	case '?':
		reply_stop(s);
		break;
	case 'g':
		gdb_access_read_registers(s);
		break;
	case 'G':
		gdb_access_write_registers(s, p + 1);
		break;
	case 'p':
	case 'P':
		gdb_access_register(s, p + 1, p[0] == 'P');
		break;
	case 'm':
		gdb_access_read_memory(s, p + 1);
		break;
	case 'M':
	case 'X':
		gdb_access_write_memory(s, p + 1, p[0] == 'X');
		break;
	case 'c':
	case 'C':
	case 's':
	case 'S':
		return gdb_run_legacy(s, p);
	case 'v':
		return gdb_run_v(s, p);
	case 'H':
		gdb_run_set_thread(s, p + 1);
		break;
	case 'T':
		gdb_run_thread_alive(s, p + 1);
		break;
	case 'q':
		handle_query(s, p);
		break;
	case 'Q':
		gdb_stub_reply(s, strcmp(p, "QStartNoAckMode") == 0 ? "OK" : "");
		break;
	case 'Z':
	case 'z':
		gdb_run_breakpoint(s, p + 1, p[0] == 'Z');
		break;
	case 'D':
		gdb_stub_reply(s, "OK");
		send_reply(s);
		detach(s);
		return false;
	case 'k':
		/* No reply: gdb does not wait for one. The guest is not killed. */
		detach(s);
		return false;
	default:
		gdb_stub_reply(s, "");	/* unknown packets get the empty reply */
	}
	return true;
}

/* Acknowledge and answer the packet in s->rx.buf, the VM being stopped. */
static void handle_packet(struct gdb_stub *s)
{
	u8 ack;

	/* qSupported opens a connection: its ack is owed even if the last one was no-ack. */
	if (str_starts_with((const char *)s->rx.buf, "qSupported"))
		s->rx.no_ack = false;
	ack = gdb_rx_ack(&s->rx, GDB_RX_PACKET);
	if (ack)
		s->ops->send(s->ctx, &ack, 1);
	if (dispatch(s))
		send_reply(s);
	/* The OK went out acknowledged; from now on nothing is (GDB manual, "Packet Acknowledgment"). */
	if (strcmp((const char *)s->rx.buf, "QStartNoAckMode") == 0)
		s->rx.no_ack = true;
}

void gdb_stub_init(struct gdb_stub *s, const struct gdb_target_ops *ops, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	s->vm = GDB_VM_FREE;
	s->layout = GDB_LAYOUT_AMD64;
	gdb_rx_init(&s->rx);
	session_reset(s);
}

static void on_packet(struct gdb_stub *s)
{
	switch (s->vm) {
	case GDB_VM_STOPPED:
		handle_packet(s);
		return;
	case GDB_VM_FREE:
	case GDB_VM_RUNNING:
		/*
		 * A packet while the VM runs is a new gdb (an all-stop gdb sends only 0x03 while
		 * it waits): stop the VM, and answer once it has stopped. gdb sends nothing more
		 * before the answer but, after a timeout, this packet again.
		 */
		s->vm = GDB_VM_ATTACHING;
		s->ops->request_stop(s->ctx);
		return;
	case GDB_VM_ATTACHING:
		return;
	}
}

void gdb_stub_feed(struct gdb_stub *s, u8 byte)
{
	enum gdb_rx_event ev = gdb_rx_feed(&s->rx, byte);
	u8 ack;

	switch (ev) {
	case GDB_RX_PACKET:
		on_packet(s);
		return;
	case GDB_RX_CORRUPT:
	case GDB_RX_OVERLONG:
		ack = gdb_rx_ack(&s->rx, ev);
		if (ack)
			s->ops->send(s->ctx, &ack, 1);
		else if (ev == GDB_RX_OVERLONG && s->vm == GDB_VM_STOPPED)
			send_packet(s, "E22", 3);	/* no-ack mode: gdb would wait forever */
		return;
	case GDB_RX_NACK:
		if (s->tx_len)
			s->ops->send(s->ctx, s->tx, s->tx_len);
		return;
	case GDB_RX_INTERRUPT:
		if (s->vm == GDB_VM_RUNNING)
			s->ops->request_stop(s->ctx);
		return;
	case GDB_RX_NONE:
	case GDB_RX_ACK:
		return;
	}
}

void gdb_stub_report_stop(struct gdb_stub *s, const struct gdb_stop *stop)
{
	enum gdb_vm_state was = s->vm;

	s->last_stop = *stop;
	s->attach_stop = was == GDB_VM_ATTACHING;
	if (stop->thread < gdb_stub_thread_count(s))
		s->thread = stop->thread;
	s->step_thread = -1;
	s->vm = stop->reason == GDB_STOP_EXITED ? GDB_VM_FREE : GDB_VM_STOPPED;
	if (was == GDB_VM_RUNNING) {
		reply_stop(s);
		send_reply(s);
	} else if (was == GDB_VM_ATTACHING) {
		handle_packet(s);
	}
}
