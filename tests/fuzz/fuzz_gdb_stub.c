// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the GDB command layer (vmm/gdb_stub.c and the files behind it) in front of the
 * unit tests' fake VM (tests/unit/gdb_fake_target.c). The input's first byte picks the vCPU
 * count and mode; then come records of a kind byte, a length byte and that many bytes: a
 * payload gdb sends (framed here), raw bytes from the line, or the VM's stop report when one
 * is owed. After every record everything the stub sent is good framing (no corrupt or
 * overlong packet), the selected threads are vCPUs the VM has, and a VM the stub holds
 * stopped is not running.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "tests/unit/gdb_fake_target.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum record { RECORD_PACKET, RECORD_RAW, RECORD_STOP, RECORD_COUNT };

static void send_packet(struct fake_target *t, const u8 *payload, u32 len)
{
	static u8 framed[GDB_PACKET_ENCODED_MAX];
	u32 n = gdb_packet_encode(framed, sizeof(framed), payload, len);

	for (u32 i = 0; i < n; i++)
		gdb_stub_feed(&t->stub, framed[i]);
}

/* A stop the target may report: after resume or request_stop, only while the VM runs. */
static void report_stop(struct fake_target *t, const u8 *bytes, u32 len)
{
	static const enum gdb_stop_reason reasons[] = {
		GDB_STOP_STEP, GDB_STOP_SW_BREAKPOINT, GDB_STOP_HW_BREAKPOINT,
		GDB_STOP_WATCHPOINT, GDB_STOP_INTERRUPTED, GDB_STOP_EXITED,
	};
	struct gdb_stop stop = { 0 };

	if (!t->running || (t->stub.vm != GDB_VM_RUNNING && t->stub.vm != GDB_VM_ATTACHING))
		return;
	if (len >= 2) {
		stop.reason = reasons[bytes[0] % ARRAY_SIZE(reasons)];
		stop.thread = bytes[1] % t->vcpus;
	}
	if (len >= 4) {
		stop.watch_type = bytes[2] % 2 ? GDB_BP_WRITE : GDB_BP_ACCESS;
		stop.exit_code = bytes[3];
		stop.watch_addr = FAKE_VIRT_BASE + bytes[3];
	}
	t->running = false;
	gdb_stub_report_stop(&t->stub, &stop);
}

static void check_output(struct fake_target *t)
{
	static struct gdb_rx rx;

	gdb_rx_init(&rx);
	for (u32 i = 0; i < t->out_len; i++) {
		enum gdb_rx_event ev = gdb_rx_feed(&rx, (u8)t->out[i]);

		fuzz_check(ev != GDB_RX_CORRUPT && ev != GDB_RX_OVERLONG);
	}
	t->out_len = 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const enum gdb_layout_id modes[] = { GDB_LAYOUT_AMD64, GDB_LAYOUT_I386,
						    GDB_LAYOUT_I8086 };
	/*
	 * fake_target_init fills 64 KiB of RAM a byte at a time, which would cost most of a run:
	 * each VM size is made once, in t itself (the stub points at its target), and copied back.
	 */
	static struct fake_target t, fresh[4];
	static bool made;
	size_t i = 1;

	if (!size)
		return 0;
	if (!made) {
		for (u32 n = 0; n < ARRAY_SIZE(fresh); n++) {
			fake_target_init(&t, n + 1);
			fresh[n] = t;
		}
		made = true;
	}
	t = fresh[data[0] % 4];
	fake_target_set_mode(&t, 0, modes[(data[0] >> 2) % ARRAY_SIZE(modes)]);
	while (i + 2 <= size) {
		u8 kind = data[i] % RECORD_COUNT;
		u32 len = (u32)MIN(data[i + 1], size - i - 2);
		const u8 *bytes = data + i + 2;

		i += 2 + len;
		if (kind == RECORD_PACKET) {
			send_packet(&t, bytes, len);
		} else if (kind == RECORD_RAW) {
			for (u32 j = 0; j < len; j++)
				gdb_stub_feed(&t.stub, bytes[j]);
		} else {
			report_stop(&t, bytes, len);
		}
		check_output(&t);
		fuzz_check(t.stub.thread < t.vcpus);
		fuzz_check(t.stub.step_thread == -1 || (u32)t.stub.step_thread < t.vcpus);
		fuzz_check(t.stub.vm != GDB_VM_STOPPED || !t.running);
		fuzz_check(t.stub.reply_len <= GDB_PACKET_MAX && t.bp_count <= FAKE_MAX_BREAKPOINTS);
	}
	return 0;
}
