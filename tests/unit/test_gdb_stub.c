/* SPDX-License-Identifier: MIT */
/* Tests of the GDB stub: whole conversations with a fake VM (tests/unit/gdb_fake_target.h). */
#include "tests/unit/unit.h"
#include "tests/unit/gdb_fake_target.h"
#include "arch/x86/msr.h"
#include "kernel/errno.h"

#include <stdio.h>

static struct fake_target target;
static char last_reply[GDB_PACKET_MAX + 1];

/* Frame payload[0..len) as gdb would and feed it to the stub. */
static void send_raw(struct fake_target *t, const void *payload, u32 len)
{
	static u8 framed[GDB_PACKET_ENCODED_MAX];
	u32 n = gdb_packet_encode(framed, sizeof(framed), payload, len);

	assert_true(n > 0);
	for (u32 i = 0; i < n; i++)
		gdb_stub_feed(&t->stub, framed[i]);
}

static void send_text(struct fake_target *t, const char *payload)
{
	send_raw(t, payload, (u32)strlen(payload));
}

/*
 * The payload of the last packet the stub sent since the last call (NULL if none), read
 * back through a receiver so that framing and checksum are checked too. Clears the output.
 */
static const char *take_reply(struct fake_target *t)
{
	struct gdb_rx rx;
	bool got = false;

	gdb_rx_init(&rx);
	for (u32 i = 0; i < t->out_len; i++) {
		enum gdb_rx_event ev = gdb_rx_feed(&rx, (u8)t->out[i]);

		assert_int_not_equal(ev, GDB_RX_CORRUPT);
		if (ev == GDB_RX_PACKET) {
			memcpy(last_reply, rx.buf, rx.len + 1);
			got = true;
		}
	}
	t->out_len = 0;
	return got ? last_reply : NULL;
}

/* Send a packet, expect one reply, return it. */
static const char *ask(struct fake_target *t, const char *payload)
{
	const char *r;

	t->out_len = 0;
	send_text(t, payload);
	r = take_reply(t);
	if (!r)
		fail_msg("no reply to \"%s\"", payload);
	return r;
}

#define EXPECT_REPLY(t, payload, want) assert_string_equal(ask(t, payload), want)

/* Run "monitor cmd"; return its output text. */
static const char *monitor(struct fake_target *t, const char *cmd)
{
	static char q[256], text[GDB_PACKET_MAX / 2 + 1];
	const char *r;

	strcpy(q, "qRcmd,");
	gdb_hex_encode(q + 6, (const u8 *)cmd, (u32)strlen(cmd));
	q[6 + 2 * strlen(cmd)] = 0;
	r = ask(t, q);
	memset(text, 0, sizeof(text));
	assert_int_equal(gdb_hex_decode((u8 *)text, r, (u32)strlen(r) / 2), 0);
	return text;
}

/* gdb connects: the VM stops, the first packet is answered. */
static void attach(struct fake_target *t, u32 vcpus)
{
	fake_target_init(t, vcpus);
	send_text(t, "qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
	assert_int_equal(t->stop_requests, 1);
	assert_int_equal(t->out_len, 0);	/* not even an ack before the VM has stopped */
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
	assert_int_equal(t->out[0], '+');
	assert_non_null(strstr(take_reply(t), "PacketSize=1000;"));
}

/* The hex of a register value as 'g' shows it: little-endian, bytes bytes. */
static const char *le_hex(u64 v, u32 bytes)
{
	static char buf[17];

	for (u32 i = 0; i < bytes; i++)
		snprintf(buf + 2 * i, 3, "%02x", (unsigned)(u8)(v >> (8 * i)));
	return buf;
}

static void expect_field(const char *g, u32 byte_offset, u64 v, u32 bytes, const char *name)
{
	snprintf(unit_label, sizeof(unit_label), "%s at byte %u", name, byte_offset);
	if (strncmp(g + 2 * byte_offset, le_hex(v, bytes), 2 * bytes))
		fail_msg("%s: got %.*s, expected %s", unit_label, (int)(2 * bytes),
			 g + 2 * byte_offset, le_hex(v, bytes));
}

static void test_connect_reports_features_and_stop(void **state)
{
	struct fake_target *t = &target;
	const char *r;
	(void)state;

	fake_target_init(t, 2);
	/* gdb's first '+' is noise to a stub that has sent nothing. */
	gdb_stub_feed(&t->stub, '+');
	assert_int_equal(t->stop_requests, 0);
	send_text(t, "qSupported:swbreak+");
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
	r = take_reply(t);
	assert_non_null(r);
	for (const char *f = "qXfer:features:read+\0QStartNoAckMode+\0vContSupported+\0"
			     "swbreak+\0hwbreak+\0"; *f; f += strlen(f) + 1)
		assert_non_null(strstr(r, f));
	/* Stopped for gdb: a trap, not an interrupt, on the first thread. */
	EXPECT_REPLY(t, "?", "T05thread:1;");
	EXPECT_REPLY(t, "qAttached", "1");
	EXPECT_REPLY(t, "qfThreadInfo", "m1,2");
	EXPECT_REPLY(t, "qsThreadInfo", "l");
	EXPECT_REPLY(t, "qC", "QC1");
	EXPECT_REPLY(t, "qOffsets", "");
	EXPECT_REPLY(t, "vMustReplyEmpty", "");
	EXPECT_REPLY(t, "!", "");
}

static void test_a_stopped_vm_answers_at_once(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	fake_target_init(t, 1);
	t->running = false;		/* e.g. started held for gdb */
	EXPECT_REPLY(t, "qSupported", "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+;"
				       "vContSupported+;swbreak+;hwbreak+");
	assert_int_equal(t->stop_requests, 1);
}

/* Read target.xml in pieces of 0x100, as gdb may; check it is well formed enough. */
static void read_tdesc(struct fake_target *t, char *xml, size_t size)
{
	size_t len = 0;
	char q[64];
	const char *r;

	for (;;) {
		snprintf(q, sizeof(q), "qXfer:features:read:target.xml:%zx,100", len);
		r = ask(t, q);
		assert_true(r[0] == 'm' || r[0] == 'l');
		assert_true(strlen(r + 1) <= 0x100);
		assert_true(len + strlen(r + 1) < size);
		memcpy(xml + len, r + 1, strlen(r + 1) + 1);
		len += strlen(r + 1);
		if (r[0] == 'l')
			break;
		assert_int_equal(strlen(r + 1), 0x100);
	}
	snprintf(q, sizeof(q), "qXfer:features:read:target.xml:%zx,100", len + 10);
	EXPECT_REPLY(t, q, "l");
}

static u32 count(const char *s, const char *what)
{
	u32 n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

/* Every element closed: <x ...>...</x> pairs balance and each <reg .../> closes itself. */
static void expect_well_formed(const char *xml, u32 regs)
{
	int depth = 0;

	assert_int_equal(count(xml, "<target"), 1);
	assert_int_equal(count(xml, "</target>"), 1);
	assert_int_equal(count(xml, "<feature "), count(xml, "</feature>"));
	assert_int_equal(count(xml, "<flags "), count(xml, "</flags>"));
	assert_int_equal(count(xml, "<reg "), regs);
	for (const char *p = xml; *p; p++) {
		if (*p != '<' || p[1] == '?' || p[1] == '!')
			continue;
		const char *end = strchr(p, '>');

		assert_non_null(end);
		assert_null(memchr(p + 1, '<', (size_t)(end - p - 1)));
		if (p[1] == '/')
			depth--;
		else if (end[-1] != '/')
			depth++;
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
	assert_non_null(strstr(xml, "<feature name=\"org.gnu.gdb.i386.core\">"));
	assert_non_null(strstr(xml, "<osabi>none</osabi>"));
}

static void test_target_description_follows_the_mode(void **state)
{
	struct fake_target *t = &target;
	static char xml[8192];
	(void)state;

	attach(t, 1);
	read_tdesc(t, xml, sizeof(xml));
	expect_well_formed(xml, 16 + 1 + 7 + 16 + 2 + 5);
	assert_non_null(strstr(xml, "<architecture>i386:x86-64</architecture>"));
	assert_non_null(strstr(xml, "<reg name=\"rax\" bitsize=\"64\" type=\"int64\" regnum=\"0\"/>"));
	assert_non_null(strstr(xml, "<reg name=\"r15\""));
	assert_non_null(strstr(xml, "<feature name=\"org.gnu.gdb.i386.segments\">"));
	assert_null(strstr(xml, "\"eax\""));

	fake_target_set_mode(t, 0, GDB_LAYOUT_I386);
	read_tdesc(t, xml, sizeof(xml));
	expect_well_formed(xml, 8 + 1 + 7 + 16 + 5);
	assert_null(strstr(xml, "i386.segments"));	/* gdb 13 fails on it in 32 bits */
	assert_non_null(strstr(xml, "<architecture>i386</architecture>"));
	assert_non_null(strstr(xml, "<reg name=\"eax\" bitsize=\"32\""));
	assert_null(strstr(xml, "\"r8\""));

	fake_target_set_mode(t, 0, GDB_LAYOUT_I8086);
	read_tdesc(t, xml, sizeof(xml));
	assert_non_null(strstr(xml, "<architecture>i8086</architecture>"));

	assert_string_equal(ask(t, "qXfer:features:read:other.xml:0,100"), "E02");
	assert_string_equal(ask(t, "qXfer:features:read:target.xml:zz"), "E22");
}

static void test_g_in_the_long_mode_layout(void **state)
{
	struct fake_target *t = &target;
	const struct vcpu_state *st = &t->state[1];
	const char *g;
	(void)state;

	attach(t, 2);
	EXPECT_REPLY(t, "Hg2", "OK");
	g = ask(t, "g");
	/* rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rip: 8 bytes each; eflags, 6 selectors: 4. */
	assert_int_equal(strlen(g), 2 * (17 * 8 + 7 * 4 + 8 * 10 + 8 * 4 + 2 * 8 + 5 * 8));
	expect_field(g, 0, st->regs.rax, 8, "rax");
	expect_field(g, 8, st->regs.rbx, 8, "rbx");
	expect_field(g, 16, st->regs.rcx, 8, "rcx");
	expect_field(g, 24, st->regs.rdx, 8, "rdx");
	expect_field(g, 32, st->regs.rsi, 8, "rsi");
	expect_field(g, 40, st->regs.rdi, 8, "rdi");
	expect_field(g, 48, st->regs.rbp, 8, "rbp");
	expect_field(g, 56, st->regs.rsp, 8, "rsp");
	expect_field(g, 64, st->regs.r8, 8, "r8");
	expect_field(g, 120, st->regs.r15, 8, "r15");
	expect_field(g, 128, st->regs.rip, 8, "rip");
	expect_field(g, 136, 0x246, 4, "eflags");
	expect_field(g, 140, 0x08, 4, "cs");
	expect_field(g, 144, 0x10, 4, "ss");
	for (u32 i = 0; i < 2 * 80; i++)
		assert_int_equal(g[2 * 164 + i], 'x');	/* the x87 registers are unavailable */
	expect_field(g, 164 + 80 + 32, 0xfeedf00d0000ULL, 8, "fs_base");
	expect_field(g, 292, st->cr0, 8, "cr0");
	expect_field(g, 308, 0x9000, 8, "cr3");
	expect_field(g, 324, st->efer, 8, "efer");
}

static void test_g_in_the_i386_layout(void **state)
{
	struct fake_target *t = &target;
	const struct vcpu_state *st = &t->state[0];
	const char *g;
	(void)state;

	fake_target_init(t, 1);
	fake_target_set_mode(t, 0, GDB_LAYOUT_I386);
	send_text(t, "qSupported");
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
	g = ask(t, "g");
	assert_int_equal(strlen(g), 2 * (16 * 4 + 8 * 10 + 8 * 4 + 5 * 8));
	expect_field(g, 0, st->regs.rax, 4, "eax");
	expect_field(g, 4, st->regs.rcx, 4, "ecx");
	expect_field(g, 8, st->regs.rdx, 4, "edx");
	expect_field(g, 12, st->regs.rbx, 4, "ebx");
	expect_field(g, 16, st->regs.rsp, 4, "esp");
	expect_field(g, 28, st->regs.rdi, 4, "edi");
	expect_field(g, 32, st->regs.rip, 4, "eip");
	expect_field(g, 36, 0x246, 4, "eflags");
	expect_field(g, 40, 0x08, 4, "cs");
	expect_field(g, 64 + 80 + 32, st->cr0, 8, "cr0");
	expect_field(g, 192, 0x9000, 8, "cr3");
	/* The layout stays that of the connection when the guest enters long mode... */
	fake_target_set_mode(t, 0, GDB_LAYOUT_AMD64);
	assert_int_equal(strlen(ask(t, "g")), strlen(last_reply));
	assert_int_equal(strlen(last_reply), 2 * 216);
	/* ...and "monitor mode" says so. */
	assert_non_null(strstr(monitor(t, "mode"), "vCPU 0 (thread 1): long mode"));
	assert_non_null(strstr(monitor(t, "mode"), "reconnect"));
}

static void test_register_writes(void **state)
{
	struct fake_target *t = &target;
	static char g[GDB_PACKET_MAX + 2];
	(void)state;

	attach(t, 1);
	strcpy(g, "G");
	strcat(g, ask(t, "g"));
	memcpy(g + 1, "efbeadde00000000", 16);		/* rax */
	EXPECT_REPLY(t, g, "OK");
	EXPECT_EQ(t->state[0].regs.rax, 0xdeadbeef);
	EXPECT_EQ(t->state[0].regs.rbx, 0x4444444444444400ULL);
	g[strlen(g) - 1] = 0;
	EXPECT_REPLY(t, g, "E22");			/* one digit short */
	/* p and P number the registers as the description: rip is 16 (0x10), cs 18. */
	EXPECT_REPLY(t, "p10", le_hex(t->state[0].regs.rip, 8));
	EXPECT_REPLY(t, "P10=0020400000000000", "OK");
	EXPECT_EQ(t->state[0].regs.rip, 0x402000);
	EXPECT_REPLY(t, "p11", "46020000");
	EXPECT_REPLY(t, "P11=02000000", "OK");
	EXPECT_EQ(t->state[0].regs.rflags, 2);
	EXPECT_REPLY(t, "p18", "xxxxxxxxxxxxxxxxxxxx");	/* st0 */
	EXPECT_REPLY(t, "P18=00000000000000000000", "E22");
	EXPECT_REPLY(t, "p2f", "E22");			/* past the last register */
	EXPECT_REPLY(t, "P10=12", "E22");
	EXPECT_REPLY(t, "P10=zz20400000000000", "E22");
	EXPECT_REPLY(t, "p", "E22");
	/* A state the target refuses (a reserved EFER bit): efer is register 0x2e. */
	EXPECT_REPLY(t, "P2e=0100000000100000", "E22");
	EXPECT_EQ(t->state[0].efer, EFER_LME | EFER_LMA);
}

static void test_real_mode_selector_write_sets_the_base(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	fake_target_init(t, 1);
	fake_target_set_mode(t, 0, GDB_LAYOUT_I8086);
	t->running = false;
	ask(t, "qSupported");
	/* ds is register 12 (0xc) in the i386 layout. */
	EXPECT_REPLY(t, "Pc=00100000", "OK");
	EXPECT_EQ(t->state[0].seg[SEG_DS].selector, 0x1000);
	EXPECT_EQ(t->state[0].seg[SEG_DS].base, 0x10000);
}

static void test_memory_reads_stop_at_the_hole(void **state)
{
	struct fake_target *t = &target;
	char q[64];
	(void)state;

	attach(t, 1);
	snprintf(q, sizeof(q), "m%llx,4", FAKE_VIRT_BASE + 0x10);
	EXPECT_REPLY(t, q, "10111213");
	/* Across the start of the hole: the bytes before it. */
	snprintf(q, sizeof(q), "m%llx,8", FAKE_HOLE - 2);
	EXPECT_REPLY(t, q, "feff");
	snprintf(q, sizeof(q), "m%llx,8", FAKE_HOLE + 8);
	EXPECT_REPLY(t, q, "E14");
	EXPECT_REPLY(t, "m0,4", "E14");
	EXPECT_REPLY(t, "mffffffffffffffff,10", "E14");
	EXPECT_REPLY(t, "m400000", "E22");
	EXPECT_REPLY(t, "m400000,", "E22");
	EXPECT_REPLY(t, "m,4", "E22");
	EXPECT_REPLY(t, "m400000,4x", "E22");
	EXPECT_REPLY(t, "m400000,0", "");
	/* A long read is cut to what one reply holds. */
	snprintf(q, sizeof(q), "m%llx,ffffffff", FAKE_VIRT_BASE + 0x4000);
	assert_int_equal(strlen(ask(t, q)), GDB_PACKET_MAX);
	/* Guest-physical after "monitor phys on": the hole's page is there. */
	monitor(t, "phys on");
	EXPECT_REPLY(t, "m2000,4", "00010203");
	EXPECT_REPLY(t, "m10000,4", "E14");
	monitor(t, "phys off");
	EXPECT_REPLY(t, "m2000,4", "E14");
}

static void test_memory_writes(void **state)
{
	struct fake_target *t = &target;
	static const u8 binary[] = { '#', '}', 0, '*', '$', 0xff };
	char q[64];
	int n;
	(void)state;

	attach(t, 1);
	snprintf(q, sizeof(q), "M%llx,4:deadbeef", FAKE_VIRT_BASE + 0x100);
	EXPECT_REPLY(t, q, "OK");
	assert_memory_equal(t->ram + 0x100, "\xde\xad\xbe\xef", 4);
	snprintf(q, sizeof(q), "M%llx,4:deadbeef", FAKE_HOLE - 2);
	EXPECT_REPLY(t, q, "E14");
	snprintf(q, sizeof(q), "M%llx,4:deadbee", FAKE_VIRT_BASE);
	EXPECT_REPLY(t, q, "E22");
	snprintf(q, sizeof(q), "M%llx,2:deadbeef", FAKE_VIRT_BASE);
	EXPECT_REPLY(t, q, "E22");
	snprintf(q, sizeof(q), "M%llx,4:dead-eef", FAKE_VIRT_BASE);
	EXPECT_REPLY(t, q, "E22");
	/* X carries binary bytes, escaped on the wire ('#', '}', '*', '$'), NULs included. */
	n = snprintf(q, sizeof(q), "X%llx,6:", FAKE_VIRT_BASE + 0x200);
	memcpy(q + n, binary, sizeof(binary));
	t->out_len = 0;
	send_raw(t, q, (u32)(n + (int)sizeof(binary)));
	assert_string_equal(take_reply(t), "OK");
	assert_memory_equal(t->ram + 0x200, binary, sizeof(binary));
	/* Fewer bytes than the length says. */
	t->out_len = 0;
	send_raw(t, q, (u32)(n + (int)sizeof(binary) - 1));
	assert_string_equal(take_reply(t), "E22");
	snprintf(q, sizeof(q), "X%llx,0:", FAKE_VIRT_BASE);
	EXPECT_REPLY(t, q, "OK");			/* gdb's probe */
	EXPECT_REPLY(t, "X0,1:a", "E14");
}

static void test_breakpoints_and_watchpoints(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 1);
	EXPECT_REPLY(t, "Z0,401000,1", "OK");
	assert_true(fake_target_breakpoint_at(t, GDB_BP_SOFTWARE, 0x401000));
	EXPECT_REPLY(t, "z0,401000,1", "OK");
	assert_false(fake_target_breakpoint_at(t, GDB_BP_SOFTWARE, 0x401000));
	EXPECT_REPLY(t, "z0,401000,1", "E22");
	/* Four debug registers: the fifth hardware breakpoint has no room. */
	EXPECT_REPLY(t, "Z1,401000,1", "OK");
	EXPECT_REPLY(t, "Z2,403000,4", "OK");
	EXPECT_REPLY(t, "Z4,403008,8", "OK");
	EXPECT_REPLY(t, "Z2,403010,2", "OK");
	EXPECT_REPLY(t, "Z2,403020,4", "E28");
	EXPECT_REPLY(t, "z2,403010,2", "OK");
	EXPECT_REPLY(t, "Z2,403021,4", "E22");		/* misaligned */
	EXPECT_REPLY(t, "Z3,403000,4", "");		/* read watchpoints: none on x86 */
	EXPECT_REPLY(t, "Z5,403000,4", "");
	EXPECT_REPLY(t, "Z2,403000", "E22");
	EXPECT_REPLY(t, "Z2,403000,10", "E22");		/* kind 16 */
	EXPECT_REPLY(t, "Z0,401000,1;X2,0a0b", "OK");	/* conditions are ignored */
	/* A watchpoint hit: the stop names the address and the thread. */
	t->out_len = 0;
	send_text(t, "vCont;c");
	assert_null(take_reply(t));
	gdb_stub_report_stop(&t->stub, &(struct gdb_stop){ .reason = GDB_STOP_WATCHPOINT,
		.thread = 0, .watch_type = GDB_BP_WRITE, .watch_addr = 0x403000 });
	assert_string_equal(take_reply(t), "T05thread:1;watch:403000;");
	send_text(t, "c");
	gdb_stub_report_stop(&t->stub, &(struct gdb_stop){ .reason = GDB_STOP_WATCHPOINT,
		.thread = 0, .watch_type = GDB_BP_ACCESS, .watch_addr = 0x403008 });
	assert_string_equal(take_reply(t), "T05thread:1;awatch:403008;");
	/* gdb offered swbreak+ at attach: breakpoint stops say which kind. */
	send_text(t, "c");
	fake_target_stop(t, GDB_STOP_SW_BREAKPOINT, 0);
	assert_string_equal(take_reply(t), "T05thread:1;swbreak:;");
	send_text(t, "c");
	fake_target_stop(t, GDB_STOP_HW_BREAKPOINT, 0);
	assert_string_equal(take_reply(t), "T05thread:1;hwbreak:;");
	/* Detaching takes every breakpoint out. */
	EXPECT_REPLY(t, "D", "OK");
	assert_int_equal(t->bp_count, 0);
	assert_int_equal(t->detaches, 1);
}

static void test_a_new_gdb_clears_what_a_vanished_one_planted(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 1);
	EXPECT_REPLY(t, "Z0,401000,1", "OK");
	EXPECT_REPLY(t, "Z2,403000,4", "OK");
	send_text(t, "c");
	/* That gdb is killed; the next one connects while the VM runs. */
	send_text(t, "qSupported:swbreak+");
	assert_int_equal(t->stop_requests, 2);
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
	assert_non_null(strstr(take_reply(t), "PacketSize"));
	assert_int_equal(t->bp_count, 0);
	assert_int_equal(t->detaches, 0);
	assert_false(t->running);
	EXPECT_REPLY(t, "?", "T05thread:1;");
}

static void test_a_gdb_without_swbreak_gets_plain_traps(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	fake_target_init(t, 1);
	send_text(t, "qSupported:multiprocess+;xmlRegisters=i386");
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
	t->out_len = 0;
	send_text(t, "c");
	fake_target_stop(t, GDB_STOP_SW_BREAKPOINT, 0);
	assert_string_equal(take_reply(t), "T05thread:1;");
}

static void test_vcont_steps_one_thread(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 3);
	EXPECT_REPLY(t, "vCont?", "vCont;c;C;s;S;t");
	t->out_len = 0;
	send_text(t, "vCont;s:2;c");
	assert_null(take_reply(t));			/* the stop is the reply */
	assert_int_equal(t->resumes, 1);
	assert_int_equal(t->actions[0], GDB_RESUME_CONTINUE);
	assert_int_equal(t->actions[1], GDB_RESUME_STEP);
	assert_int_equal(t->actions[2], GDB_RESUME_CONTINUE);
	fake_target_stop(t, GDB_STOP_STEP, 1);
	assert_string_equal(take_reply(t), "T05thread:2;");
	EXPECT_REPLY(t, "qC", "QC2");			/* the stopped thread is current */
	/* The leftmost action naming a thread wins; unnamed threads stay. */
	send_text(t, "vCont;s:3;c:3");
	assert_int_equal(t->actions[0], GDB_RESUME_STAY);
	assert_int_equal(t->actions[1], GDB_RESUME_STAY);
	assert_int_equal(t->actions[2], GDB_RESUME_STEP);
	fake_target_stop(t, GDB_STOP_STEP, 2);
	assert_string_equal(take_reply(t), "T05thread:3;");
	send_text(t, "vCont;C05:1;S0b:2");	/* signals mean nothing to a guest */
	assert_int_equal(t->actions[0], GDB_RESUME_CONTINUE);
	assert_int_equal(t->actions[1], GDB_RESUME_STEP);
	fake_target_stop(t, GDB_STOP_STEP, 1);
	take_reply(t);
	EXPECT_REPLY(t, "vCont;c:9", "E22");		/* no thread 9 */
	EXPECT_REPLY(t, "vCont;t", "E22");		/* nothing would run */
	EXPECT_REPLY(t, "vCont;x", "E22");
	EXPECT_REPLY(t, "vCont;c:", "E22");
	EXPECT_REPLY(t, "vCont;cc", "E22");
	EXPECT_REPLY(t, "vCont;C", "E22");
	assert_int_equal(t->resumes, 3);
}

static void test_legacy_c_and_s(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 2);
	EXPECT_REPLY(t, "Hc2", "OK");
	send_text(t, "s");
	assert_int_equal(t->actions[0], GDB_RESUME_STAY);
	assert_int_equal(t->actions[1], GDB_RESUME_STEP);
	fake_target_stop(t, GDB_STOP_STEP, 1);
	assert_string_equal(take_reply(t), "T05thread:2;");
	/* c with an address resumes there, every thread running. */
	send_text(t, "c401234");
	EXPECT_EQ(t->state[1].regs.rip, 0x401234);
	assert_int_equal(t->actions[0], GDB_RESUME_CONTINUE);
	assert_int_equal(t->actions[1], GDB_RESUME_CONTINUE);
	fake_target_stop(t, GDB_STOP_STEP, 1);
	take_reply(t);
	send_text(t, "S05;401000");
	EXPECT_EQ(t->state[1].regs.rip, 0x401000);
	assert_int_equal(t->actions[1], GDB_RESUME_STEP);
	fake_target_stop(t, GDB_STOP_STEP, 1);
	take_reply(t);
	EXPECT_REPLY(t, "c40x", "E22");
	EXPECT_REPLY(t, "C05x", "E22");
	EXPECT_REPLY(t, "Hg3", "E22");
	EXPECT_REPLY(t, "Hx1", "E22");
	EXPECT_REPLY(t, "Hg-1", "OK");
	EXPECT_REPLY(t, "Hg0", "OK");
	EXPECT_REPLY(t, "T2", "OK");
	EXPECT_REPLY(t, "T3", "E22");
	EXPECT_REPLY(t, "T-1", "E22");
}

static void test_ctrl_c_stops_the_vm(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 2);
	gdb_stub_feed(&t->stub, GDB_INTERRUPT_BYTE);	/* stopped already: nothing to do */
	assert_int_equal(t->stop_requests, 1);
	send_text(t, "vCont;c");
	gdb_stub_feed(&t->stub, GDB_INTERRUPT_BYTE);
	assert_int_equal(t->stop_requests, 2);
	assert_null(take_reply(t));
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 1);
	assert_string_equal(take_reply(t), "T02thread:2;");
	EXPECT_REPLY(t, "?", "T02thread:2;");
}

static void test_exit_ends_the_session(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 1);
	send_text(t, "c");
	gdb_stub_report_stop(&t->stub, &(struct gdb_stop){ .reason = GDB_STOP_EXITED,
							   .exit_code = 3 });
	assert_string_equal(take_reply(t), "W03");
}

static void test_detach_and_reattach_without_acks(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 1);
	EXPECT_REPLY(t, "QStartNoAckMode", "OK");
	assert_int_equal(t->out[0], '+');		/* the request itself is acknowledged */
	t->out_len = 0;
	send_text(t, "g");
	assert_int_not_equal(t->out[0], '+');
	assert_non_null(take_reply(t));
	/* A bad checksum gets no '-' in no-ack mode, and no reply. */
	for (const char *p = "$g#00"; *p; p++)
		gdb_stub_feed(&t->stub, (u8)*p);
	assert_int_equal(t->out_len, 0);
	EXPECT_REPLY(t, "D", "OK");
	assert_int_equal(t->detaches, 1);
	assert_true(t->running);
	/* The next gdb starts with acks again, and stops the VM again. */
	t->out_len = 0;
	send_text(t, "qSupported");
	assert_int_equal(t->stop_requests, 2);
	fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
	assert_int_equal(t->out[0], '+');
	assert_non_null(take_reply(t));
	/* 'k' detaches too (the guest lives on), with no reply. */
	send_text(t, "k");
	assert_int_equal(t->detaches, 2);
	assert_int_equal(t->out_len, 1);
	assert_int_equal(t->out[0], '+');
}

static void test_bad_packets_are_answered(void **state)
{
	struct fake_target *t = &target;
	static char big[GDB_PACKET_MAX + 8];
	(void)state;

	attach(t, 1);
	/* A bad checksum: '-', and the stub waits for the packet again. */
	for (const char *p = "$g#00"; *p; p++)
		gdb_stub_feed(&t->stub, (u8)*p);
	assert_string_equal(t->out, "-");
	t->out_len = 0;
	/* gdb's '-' asks for the last reply again: the same bytes. */
	static char first[sizeof(t->out)];

	t->out_len = 0;
	send_text(t, "qC");
	strcpy(first, t->out + 1);	/* after the '+' */
	assert_string_equal(first, "$QC1#c5");
	t->out_len = 0;
	gdb_stub_feed(&t->stub, '-');
	assert_string_equal(t->out, first);
	/* Overlong: '-'. */
	t->out_len = 0;
	memset(big, 'q', sizeof(big) - 1);
	send_raw(t, big, sizeof(big) - 1);
	assert_string_equal(t->out, "-");
	/* Unknown and malformed packets get the empty reply or an error, never silence. */
	EXPECT_REPLY(t, "", "");
	EXPECT_REPLY(t, "xyzzy", "");
	EXPECT_REPLY(t, "QFoo", "");
	EXPECT_REPLY(t, "qRcmd,6", "E22");
	EXPECT_REPLY(t, "qRcmd,zz", "E22");
	assert_int_equal(strncmp(ask(t, "qRcmd,"), "68656c70", 8), 0);	/* "help" */
	EXPECT_REPLY(t, "G12", "E22");
	EXPECT_REPLY(t, "Z", "E22");
	EXPECT_REPLY(t, "z0,", "E22");
	/* Noise and a lone 0x03 while stopped leave the stub answering. */
	for (const char *p = "garbage\x03+"; *p; p++)
		gdb_stub_feed(&t->stub, (u8)*p);
	EXPECT_REPLY(t, "?", "T05thread:1;");
}

/* Random packets made of the protocol's own letters: every one is answered, nothing breaks. */
static void test_random_packets_never_crash(void **state)
{
	static const char alphabet[] = "gGpPmMXcCsSvHTqQZzD?:;,=-0123456789abcdefx#$}*"
				       "ContSupportedXfer:features:read:target.xmlRcmd";
	struct fake_target *t = &target;
	static char payload[600];
	u32 seed = 12345;
	(void)state;

	attach(t, 2);
	for (int round = 0; round < 20000; round++) {
		u32 len;

		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % (round % 10 == 0 ? sizeof(payload) : 24);
		for (u32 i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			payload[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		/* 'k' and 'D' end the session; the next packet starts another. */
		t->out_len = 0;
		send_raw(t, payload, len);
		if (t->running && t->stub.vm != GDB_VM_FREE)
			fake_target_stop(t, GDB_STOP_STEP, (seed >> 8) % 2);
		if (t->stub.vm == GDB_VM_FREE) {
			t->running = true;
			continue;
		}
		snprintf(unit_label, sizeof(unit_label), "round %d: %.*s", round, (int)len, payload);
		if (!take_reply(t) && t->stub.vm == GDB_VM_STOPPED && len && payload[0] != 'k')
			fail_msg("%s: no reply", unit_label);
	}
}

static void test_monitor_commands(void **state)
{
	struct fake_target *t = &target;
	(void)state;

	attach(t, 1);
	assert_non_null(strstr(monitor(t, "help"), "phys on|off"));
	assert_string_equal(monitor(t, "phys"), "memory: guest-virtual addresses\n");
	assert_string_equal(monitor(t, "phys on"), "memory: guest-physical addresses\n");
	assert_true(t->stub.phys);
	assert_string_equal(monitor(t, "phys maybe"), "usage: phys on|off\n");
	assert_true(t->stub.phys);
	assert_string_equal(monitor(t, "phys off"), "memory: guest-virtual addresses\n");
	assert_string_equal(monitor(t, "mode"),
			    "vCPU 0 (thread 1): long mode (x86-64 registers); "
			    "gdb was given long mode (x86-64 registers)\n");
	assert_non_null(strstr(monitor(t, "frobnicate"), "unknown command"));
	/* A new connection starts with virtual addresses again. */
	monitor(t, "phys on");
	ask(t, "qSupported");
	assert_false(t->stub.phys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_reports_features_and_stop),
		cmocka_unit_test(test_a_stopped_vm_answers_at_once),
		cmocka_unit_test(test_target_description_follows_the_mode),
		cmocka_unit_test(test_g_in_the_long_mode_layout),
		cmocka_unit_test(test_g_in_the_i386_layout),
		cmocka_unit_test(test_register_writes),
		cmocka_unit_test(test_real_mode_selector_write_sets_the_base),
		cmocka_unit_test(test_memory_reads_stop_at_the_hole),
		cmocka_unit_test(test_memory_writes),
		cmocka_unit_test(test_breakpoints_and_watchpoints),
		cmocka_unit_test(test_a_new_gdb_clears_what_a_vanished_one_planted),
		cmocka_unit_test(test_a_gdb_without_swbreak_gets_plain_traps),
		cmocka_unit_test(test_vcont_steps_one_thread),
		cmocka_unit_test(test_legacy_c_and_s),
		cmocka_unit_test(test_ctrl_c_stops_the_vm),
		cmocka_unit_test(test_exit_ends_the_session),
		cmocka_unit_test(test_detach_and_reattach_without_acks),
		cmocka_unit_test(test_bad_packets_are_answered),
		cmocka_unit_test(test_monitor_commands),
		cmocka_unit_test(test_random_packets_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
