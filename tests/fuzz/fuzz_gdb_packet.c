// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the GDB packet receiver (vmm/gdb_packet.c) fed the input byte by byte, as from
 * the serial line. Every packet it completes is NUL-terminated and within GDB_PACKET_MAX, and
 * survives a round trip: encoded as a reply and fed to a fresh receiver, it comes back whole.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/gdb_packet.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void check_round_trip(const struct gdb_rx *rx)
{
	static u8 framed[GDB_PACKET_ENCODED_MAX];
	static struct gdb_rx echo;
	u32 framed_len = gdb_packet_encode(framed, sizeof(framed), rx->buf, rx->len);
	enum gdb_rx_event ev = GDB_RX_NONE;

	if (framed_len == 0)
		abort();	/* GDB_PACKET_ENCODED_MAX holds any payload */
	gdb_rx_init(&echo);
	for (u32 i = 0; i < framed_len; i++) {
		if (ev != GDB_RX_NONE)
			abort();	/* something completed before the last byte */
		ev = gdb_rx_feed(&echo, framed[i]);
	}
	if (ev != GDB_RX_PACKET || echo.len != rx->len || memcmp(echo.buf, rx->buf, rx->len))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct gdb_rx rx;

	gdb_rx_init(&rx);
	for (size_t i = 0; i < size; i++) {
		enum gdb_rx_event ev = gdb_rx_feed(&rx, data[i]);

		if (rx.len > GDB_PACKET_MAX)
			abort();
		if (ev == GDB_RX_PACKET) {
			if (rx.buf[rx.len] != '\0')
				abort();
			check_round_trip(&rx);
		}
	}
	return 0;
}
