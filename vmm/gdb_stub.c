/* SPDX-License-Identifier: MIT */
/* The GDB stub's command layer: one handler per packet of the GDB manual's "Packets". Pure. */
#include "vmm/gdb_stub.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "vmm/gdb_monitor.h"

/* Signals in stop replies: gdb's numbering (GDB manual, "Signals"). */
#define GDB_SIGINT 2
#define GDB_SIGTRAP 5

/* The largest m/M/X transfer: what an 'm' reply holds in hex. */
#define GDB_MEM_MAX (GDB_PACKET_MAX / 2)

/* --- replies --------------------------------------------------------------------------- */

static void reply_raw(struct gdb_stub *s, const void *bytes, u32 len)
{
	len = MIN(len, (u32)GDB_PACKET_MAX);
	memcpy(s->reply, bytes, len);
	s->reply_len = len;
}

static void reply(struct gdb_stub *s, const char *text)
{
	reply_raw(s, text, (u32)strlen(text));
}

static void __printf(2, 3) replyf(struct gdb_stub *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(s->reply, sizeof(s->reply), fmt, ap);
	va_end(ap);
	s->reply_len = (u32)MIN(n, GDB_PACKET_MAX);
}

/* "Enn" with nn the errno in decimal ("E14": EFAULT): gdb takes nn as opaque. */
static void reply_error(struct gdb_stub *s, int err)
{
	replyf(s, "E%02d", MIN(err < 0 ? -err : err, 99));
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

/* Parse "addr,len" at *p. */
static int parse_addr_len(const char **p, u64 *addr, u64 *len)
{
	if (gdb_hex_parse(p, addr) || **p != ',')
		return -EINVAL;
	(*p)++;
	return gdb_hex_parse(p, len);
}

/*
 * A thread id: "-1" (all), "0" (any: the current one), or a thread's hex id. Sets *vcpu to
 * -1 for all, else the 0-based vCPU. -EINVAL for no such thread.
 */
static int parse_thread(struct gdb_stub *s, const char **p, s32 *vcpu)
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
	if (id > s->ops->thread_count(s->ctx) || id > GDB_MAX_THREADS)
		return -EINVAL;
	*vcpu = (s32)(id - 1);
	return 0;
}

static u32 thread_count(struct gdb_stub *s)
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
	/* A new connection: whatever the last one left (no-ack mode) is gone. */
	session_reset(s);
	s->swbreak = *args == ':' && gdb_offers(args + 1, "swbreak+");
	latch_layout(s);
	replyf(s, "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;vContSupported+;"
		  "swbreak+;hwbreak+", GDB_PACKET_MAX);
}

/* "qXfer:features:read:target.xml:offset,length" (GDB manual, "General Query Packets"). */
static void handle_qxfer_features(struct gdb_stub *s, const char *args)
{
	static const char annex[] = "target.xml:";
	u64 offset, length;
	u32 len, chunk;

	if (strncmp(args, annex, sizeof(annex) - 1)) {
		reply_error(s, -ENOENT);
		return;
	}
	args += sizeof(annex) - 1;
	if (parse_addr_len(&args, &offset, &length) || *args) {
		reply_error(s, -EINVAL);
		return;
	}
	if (offset == 0)
		latch_layout(s);
	len = gdb_tdesc_write(s->scratch.text, sizeof(s->scratch.text), gdb_layout_get(s->layout));
	if (offset >= len) {
		reply(s, "l");
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
	u32 n = thread_count(s);
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
		reply_error(s, -EINVAL);
		return;
	}
	/* The command in the first half of text, the output in the second. */
	s->scratch.text[n] = 0;
	out = s->scratch.text + sizeof(s->scratch.text) / 2;
	out_len = gdb_monitor_run(s, s->scratch.text, out, MIN(sizeof(s->scratch.text) / 2,
							    (size_t)GDB_PACKET_MAX / 2));
	/* The output goes back hex-encoded in the reply itself, or "OK" when there is none. */
	if (!out_len) {
		reply(s, "OK");
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
		reply(s, "l");
	else if (strcmp(p, "qC") == 0)
		replyf(s, "QC%x", s->thread + 1);
	else if (strcmp(p, "qAttached") == 0)
		reply(s, "1");	/* attached to a VM that existed: leaving it detaches */
	else if (str_starts_with(p, "qRcmd,"))
		handle_qrcmd(s, p + strlen("qRcmd,"));
	else
		reply(s, "");	/* qOffsets, qTStatus, qSymbol...: not supported */
}

/* --- registers ------------------------------------------------------------------------- */

static void handle_read_registers(struct gdb_stub *s)
{
	const struct gdb_layout *l = gdb_layout_get(s->layout);
	struct vcpu_state st;
	u32 pos = 0;
	int err = s->ops->get_state(s->ctx, s->thread, &st);

	if (err) {
		reply_error(s, err);
		return;
	}
	for (u32 i = 0; i < l->count; i++) {
		gdb_reg_format(&st, &l->regs[i], s->reply + pos);
		pos += 2 * gdb_reg_bytes(&l->regs[i]);
	}
	s->reply_len = pos;
}

static void handle_write_registers(struct gdb_stub *s, const char *hex)
{
	const struct gdb_layout *l = gdb_layout_get(s->layout);
	struct vcpu_state st;
	int err;

	if (strlen(hex) != 2 * gdb_layout_bytes(l)) {
		reply_error(s, -EINVAL);
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
		reply_error(s, err);
	else
		reply(s, "OK");
}

/* "p n" and "P n=value". */
static void handle_register(struct gdb_stub *s, const char *p, bool write)
{
	const struct gdb_layout *l = gdb_layout_get(s->layout);
	const struct gdb_reg *r;
	struct vcpu_state st;
	u64 n;
	int err;

	if (gdb_hex_parse(&p, &n) || n >= l->count || (write ? *p++ != '=' : *p != 0)) {
		reply_error(s, -EINVAL);
		return;
	}
	r = &l->regs[n];
	if (write && strlen(p) != 2 * gdb_reg_bytes(r)) {
		reply_error(s, -EINVAL);
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
		reply_error(s, err);
	else
		reply(s, "OK");
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

/* "m addr,len": as many bytes as can be read from addr on, E14 when not even one can. */
static void handle_read_memory(struct gdb_stub *s, const char *p)
{
	u64 addr, len;
	int done;

	if (parse_addr_len(&p, &addr, &len) || *p) {
		reply_error(s, -EINVAL);
		return;
	}
	len = MIN(len, (u64)GDB_MEM_MAX);
	done = len ? mem_read(s, addr, s->scratch.mem, (u32)len) : 0;
	if (done <= 0 && len) {
		reply_error(s, -EFAULT);
		return;
	}
	done = MIN(done, (int)len);
	gdb_hex_encode(s->reply, s->scratch.mem, (u32)done);
	s->reply_len = 2 * (u32)done;
}

/* "M addr,len:hex" and "X addr,len:binary": all bytes written, or an error. */
static void handle_write_memory(struct gdb_stub *s, const char *p, bool binary)
{
	const char *data;
	u64 addr, len;
	int done;

	if (parse_addr_len(&p, &addr, &len) || *p != ':' || len > GDB_MEM_MAX) {
		reply_error(s, -EINVAL);
		return;
	}
	data = p + 1;
	if (binary) {
		/* The payload may hold NULs: its length is the packet's. */
		if ((u64)(s->rx.buf + s->rx.len - (const u8 *)data) != len) {
			reply_error(s, -EINVAL);
			return;
		}
		memcpy(s->scratch.mem, data, len);
	} else if (strlen(data) != 2 * len || gdb_hex_decode(s->scratch.mem, data, (u32)len)) {
		reply_error(s, -EINVAL);
		return;
	}
	/* "X addr,0:" is gdb's probe for X support. */
	done = len ? mem_write(s, addr, s->scratch.mem, (u32)len) : 0;
	if (done != (int)len)
		reply_error(s, -EFAULT);
	else
		reply(s, "OK");
}

/* --- threads and running --------------------------------------------------------------- */

/* "Hg thread" selects the thread of registers and memory, "Hc thread" that of c and s. */
static void handle_set_thread(struct gdb_stub *s, const char *p)
{
	char op = *p++;
	s32 vcpu;

	if ((op != 'g' && op != 'c') || parse_thread(s, &p, &vcpu) || *p) {
		reply_error(s, -EINVAL);
		return;
	}
	if (op == 'g')
		s->thread = vcpu < 0 ? s->thread : (u32)vcpu;
	else
		s->step_thread = vcpu;
	reply(s, "OK");
}

static void handle_thread_alive(struct gdb_stub *s, const char *p)
{
	s32 vcpu;

	if (parse_thread(s, &p, &vcpu) || *p || vcpu < 0)
		reply_error(s, -EINVAL);
	else
		reply(s, "OK");
}

static void resume(struct gdb_stub *s, const enum gdb_resume_action *actions)
{
	s->vm = GDB_VM_RUNNING;
	s->ops->resume(s->ctx, actions, thread_count(s));
}

/*
 * "c [addr]", "s [addr]", "C sig[;addr]", "S sig[;addr]": the Hc thread (else the current
 * one) steps or continues, from addr if given; on 'c' every other vCPU runs too, on 's' they
 * stay. A signal means nothing to a guest and is ignored. Returns whether to reply now.
 */
static bool handle_legacy_resume(struct gdb_stub *s, const char *p)
{
	enum gdb_resume_action actions[GDB_MAX_THREADS];
	bool step = *p == 's' || *p == 'S';
	u32 vcpu = s->step_thread < 0 ? s->thread : (u32)s->step_thread;
	const char *addr_text = NULL;
	u64 sig, addr;

	if (*p == 'C' || *p == 'S') {
		p++;
		if (gdb_hex_parse(&p, &sig) || (*p && *p != ';'))
			goto bad;
		if (*p == ';')
			addr_text = p + 1;
	} else if (p[1]) {
		addr_text = p + 1;
	}
	if (addr_text) {
		struct vcpu_state st;

		if (gdb_hex_parse(&addr_text, &addr) || *addr_text ||
		    s->ops->get_state(s->ctx, vcpu, &st))
			goto bad;
		st.regs.rip = addr;
		if (s->ops->set_state(s->ctx, vcpu, &st))
			goto bad;
	}
	for (u32 i = 0; i < thread_count(s); i++)
		actions[i] = step ? GDB_RESUME_STAY : GDB_RESUME_CONTINUE;
	actions[vcpu] = step ? GDB_RESUME_STEP : GDB_RESUME_CONTINUE;
	resume(s, actions);
	return false;
bad:
	reply_error(s, -EINVAL);
	return true;
}

/* One vCont action ("c", "s", "t", "Cxx", "Sxx"), or -EINVAL. */
static int parse_vcont_action(const char **p, enum gdb_resume_action *action)
{
	char c = *(*p)++;
	u64 sig;

	if ((c == 'C' || c == 'S') && gdb_hex_parse(p, &sig))
		return -EINVAL;
	if (c == 'c' || c == 'C')
		*action = GDB_RESUME_CONTINUE;
	else if (c == 's' || c == 'S')
		*action = GDB_RESUME_STEP;
	else if (c == 't')
		*action = GDB_RESUME_STAY;
	else
		return -EINVAL;
	return 0;
}

/*
 * "vCont;action[:thread];..." (GDB manual, "Packets", vCont): each vCPU takes the leftmost
 * action naming it or naming no thread; a vCPU no action names stays stopped. Returns whether
 * to reply now.
 */
static bool handle_vcont(struct gdb_stub *s, const char *p)
{
	enum gdb_resume_action actions[GDB_MAX_THREADS];
	bool set[GDB_MAX_THREADS] = { false };
	u32 n = thread_count(s);
	bool runs = false;

	while (*p == ';') {
		enum gdb_resume_action action;
		s32 vcpu = -1;

		p++;
		if (parse_vcont_action(&p, &action))
			goto bad;
		if (*p == ':' && (p++, parse_thread(s, &p, &vcpu)))
			goto bad;
		for (u32 i = 0; i < n; i++) {
			if (!set[i] && (vcpu < 0 || (u32)vcpu == i)) {
				set[i] = true;
				actions[i] = action;
			}
		}
	}
	if (*p)
		goto bad;
	for (u32 i = 0; i < n; i++) {
		if (!set[i])
			actions[i] = GDB_RESUME_STAY;
		runs |= actions[i] != GDB_RESUME_STAY;
	}
	/* Nothing would run, so no stop would ever answer: say so instead. */
	if (!runs)
		goto bad;
	resume(s, actions);
	return false;
bad:
	reply_error(s, -EINVAL);
	return true;
}

/* Returns whether to reply now. */
static bool handle_v(struct gdb_stub *s, const char *p)
{
	if (strcmp(p, "vCont?") == 0)
		reply(s, "vCont;c;C;s;S;t");
	else if (str_starts_with(p, "vCont;"))
		return handle_vcont(s, p + strlen("vCont"));
	else
		reply(s, "");	/* vMustReplyEmpty, vKill, vFile...: not supported */
	return true;
}

/* --- breakpoints ----------------------------------------------------------------------- */

/* "Z type,addr,kind" and "z type,addr,kind" (conditions after ';' are ignored). */
static void handle_breakpoint(struct gdb_stub *s, const char *p, bool insert)
{
	u64 type, addr, kind;
	int err;

	if (gdb_hex_parse(&p, &type) || *p++ != ',' || parse_addr_len(&p, &addr, &kind) ||
	    (*p && *p != ';') || kind > 8) {
		reply_error(s, -EINVAL);
		return;
	}
	/* x86 debug registers cannot watch reads alone (SDM Vol. 3B 18.2.4, R/W 10 is I/O). */
	if (type == 3 || type > GDB_BP_ACCESS) {
		reply(s, "");
		return;
	}
	err = insert ? s->ops->insert_breakpoint(s->ctx, type, addr, (u32)kind)
		     : s->ops->remove_breakpoint(s->ctx, type, addr, (u32)kind);
	if (err == -ENOSYS)
		reply(s, "");	/* gdb falls back to writing int3 itself */
	else if (err)
		reply_error(s, err);
	else
		reply(s, "OK");
}

/* --- stops ----------------------------------------------------------------------------- */

/* The stop reply for s->last_stop (GDB manual, "Stop Reply Packets"). */
static void reply_stop(struct gdb_stub *s)
{
	const struct gdb_stop *st = &s->last_stop;
	u32 thread = MIN(st->thread, thread_count(s) - 1) + 1;
	int sig = st->reason == GDB_STOP_INTERRUPTED && !s->attach_stop ? GDB_SIGINT : GDB_SIGTRAP;
	int n;

	if (st->reason == GDB_STOP_EXITED) {
		replyf(s, "W%02x", st->exit_code);
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
		handle_read_registers(s);
		break;
	case 'G':
		handle_write_registers(s, p + 1);
		break;
	case 'p':
	case 'P':
		handle_register(s, p + 1, p[0] == 'P');
		break;
	case 'm':
		handle_read_memory(s, p + 1);
		break;
	case 'M':
	case 'X':
		handle_write_memory(s, p + 1, p[0] == 'X');
		break;
	case 'c':
	case 'C':
	case 's':
	case 'S':
		return handle_legacy_resume(s, p);
	case 'v':
		return handle_v(s, p);
	case 'H':
		handle_set_thread(s, p + 1);
		break;
	case 'T':
		handle_thread_alive(s, p + 1);
		break;
	case 'q':
		handle_query(s, p);
		break;
	case 'Q':
		reply(s, strcmp(p, "QStartNoAckMode") == 0 ? "OK" : "");
		break;
	case 'Z':
	case 'z':
		handle_breakpoint(s, p + 1, p[0] == 'Z');
		break;
	case 'D':
		reply(s, "OK");
		send_reply(s);
		detach(s);
		return false;
	case 'k':
		/* No reply: gdb does not wait for one. The guest is not killed. */
		detach(s);
		return false;
	default:
		reply(s, "");	/* unknown packets get the empty reply */
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
	if (stop->thread < thread_count(s))
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
