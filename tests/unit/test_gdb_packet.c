/* SPDX-License-Identifier: MIT */
/* Tests of the GDB packet layer: framing, checksums, escapes, run-length, acks, bad input. */
#include "tests/unit/unit.h"
#include "kernel/errno.h"
#include "vmm/gdb_packet.h"

#include <stdio.h>

/* Feed a string; return the last event that was not GDB_RX_NONE (GDB_RX_NONE if none). */
static enum gdb_rx_event feed(struct gdb_rx *rx, const char *bytes, size_t n)
{
	enum gdb_rx_event last = GDB_RX_NONE;

	for (size_t i = 0; i < n; i++) {
		enum gdb_rx_event ev = gdb_rx_feed(rx, (u8)bytes[i]);

		if (ev != GDB_RX_NONE)
			last = ev;
	}
	return last;
}

#define FEED(rx, s) feed(rx, s, sizeof(s) - 1)

static void test_good_packet_is_delivered_and_acked(void **state)
{
	struct gdb_rx rx;
	(void)state;

	gdb_rx_init(&rx);
	/* 'g' is 0x67. */
	assert_int_equal(FEED(&rx, "$g#67"), GDB_RX_PACKET);
	assert_int_equal(rx.len, 1);
	assert_string_equal((char *)rx.buf, "g");
	assert_int_equal(gdb_rx_ack(&rx, GDB_RX_PACKET), '+');
	/* Uppercase checksum digits are accepted; so is an empty packet. */
	assert_int_equal(FEED(&rx, "$?#3F"), GDB_RX_PACKET);
	assert_int_equal(FEED(&rx, "$#00"), GDB_RX_PACKET);
	assert_int_equal(rx.len, 0);
}

static void test_bad_checksum_is_nacked(void **state)
{
	struct gdb_rx rx;
	(void)state;

	gdb_rx_init(&rx);
	assert_int_equal(FEED(&rx, "$g#68"), GDB_RX_CORRUPT);
	assert_int_equal(gdb_rx_ack(&rx, GDB_RX_CORRUPT), '-');
	assert_int_equal(FEED(&rx, "$g#6z"), GDB_RX_CORRUPT);
	assert_int_equal(FEED(&rx, "$g#z7"), GDB_RX_CORRUPT);
	/* The receiver is back between packets: the next good one gets through. */
	assert_int_equal(FEED(&rx, "$g#67"), GDB_RX_PACKET);
}

static void test_noise_acks_and_interrupt_between_packets(void **state)
{
	struct gdb_rx rx;
	(void)state;

	gdb_rx_init(&rx);
	assert_int_equal(FEED(&rx, "hello\r\n#00"), GDB_RX_NONE);
	assert_int_equal(FEED(&rx, "+"), GDB_RX_ACK);
	assert_int_equal(FEED(&rx, "-"), GDB_RX_NACK);
	assert_int_equal(FEED(&rx, "\x03"), GDB_RX_INTERRUPT);
	assert_int_equal(gdb_rx_ack(&rx, GDB_RX_INTERRUPT), 0);
	assert_int_equal(FEED(&rx, "xx$g#67yy"), GDB_RX_PACKET);
	/* Inside a packet, 0x03 and '+' are payload. */
	assert_int_equal(FEED(&rx, "$\x03+#2e"), GDB_RX_PACKET);
	assert_int_equal(rx.len, 2);
	assert_int_equal(rx.buf[0], 0x03);
	/* A '$' inside a packet starts a new one (the '#' of the first was lost). */
	assert_int_equal(FEED(&rx, "$m10,$g#67"), GDB_RX_PACKET);
	assert_string_equal((char *)rx.buf, "g");
}

static void test_escapes_decode_binary_bytes(void **state)
{
	struct gdb_rx rx;
	/* X packet data: 0x23 '#', 0x24 '$', 0x7d '}', 0x2a '*' and 0x00, escaped or not. */
	const char raw[] = "X0,5:}\x03}\x04}]}\x0a";
	char pkt[64];
	u8 sum = 0;
	(void)state;

	for (size_t i = 0; i < sizeof(raw) - 1 + 1; i++)	/* the trailing NUL is data */
		sum += (u8)raw[i];
	memcpy(pkt, "$", 1);
	memcpy(pkt + 1, raw, sizeof(raw));
	snprintf(pkt + 1 + sizeof(raw), 4, "#%02x", sum);
	gdb_rx_init(&rx);
	assert_int_equal(feed(&rx, pkt, 1 + sizeof(raw) + 3), GDB_RX_PACKET);
	assert_int_equal(rx.len, 10);
	assert_memory_equal(rx.buf + 5, "#$}*\0", 5);
}

static void test_run_length_is_expanded(void **state)
{
	struct gdb_rx rx;
	(void)state;

	gdb_rx_init(&rx);
	/* "0* " is 0 and 32 - 29 = 3 more: "0000". The checksum covers the raw bytes. */
	assert_int_equal(FEED(&rx, "$M0,2:0* #8f"), GDB_RX_PACKET);
	assert_string_equal((char *)rx.buf, "M0,2:0000");
	/* A count below the bias adds nothing; a '*' at the start is taken literally. */
	assert_int_equal(FEED(&rx, "$a*\x1d#a8"), GDB_RX_PACKET);
	assert_string_equal((char *)rx.buf, "a");
	assert_int_equal(FEED(&rx, "$*#2a"), GDB_RX_PACKET);
	assert_string_equal((char *)rx.buf, "*");
}

static void test_overlong_packet_is_rejected_and_bounded(void **state)
{
	static char big[GDB_PACKET_MAX + 16];
	struct gdb_rx rx;
	(void)state;

	memset(big, 'a', sizeof(big));
	big[0] = '$';
	memcpy(big + sizeof(big) - 3, "#00", 3);
	gdb_rx_init(&rx);
	assert_int_equal(feed(&rx, big, sizeof(big)), GDB_RX_OVERLONG);
	assert_int_equal(gdb_rx_ack(&rx, GDB_RX_OVERLONG), '-');
	assert_true(rx.len <= GDB_PACKET_MAX);
	/* Run-length expansion cannot overflow the buffer either. */
	memset(big, 0, sizeof(big));
	strcpy(big, "$a");
	for (int i = 0; i < 50; i++)
		strcat(big, "*~");
	strcat(big, "#00");
	assert_int_equal(feed(&rx, big, strlen(big)), GDB_RX_OVERLONG);
	/* A payload of exactly GDB_PACKET_MAX bytes is fine ('a' * 4096: sum 0x61 * 4096 = 0 mod 256). */
	memset(big, 'a', GDB_PACKET_MAX + 1);
	big[0] = '$';
	memcpy(big + GDB_PACKET_MAX + 1, "#00", 3);
	assert_int_equal(feed(&rx, big, GDB_PACKET_MAX + 4), GDB_RX_PACKET);
	assert_int_equal(rx.len, GDB_PACKET_MAX);
}

static void test_no_ack_mode_sends_no_acks(void **state)
{
	struct gdb_rx rx;
	(void)state;

	gdb_rx_init(&rx);
	rx.no_ack = true;
	assert_int_equal(FEED(&rx, "$g#67"), GDB_RX_PACKET);
	assert_int_equal(gdb_rx_ack(&rx, GDB_RX_PACKET), 0);
	assert_int_equal(FEED(&rx, "$g#00"), GDB_RX_CORRUPT);
	assert_int_equal(gdb_rx_ack(&rx, GDB_RX_CORRUPT), 0);
	gdb_rx_init(&rx);
	assert_false(rx.no_ack);
}

static void test_encode_frames_and_escapes(void **state)
{
	u8 out[32];
	struct gdb_rx rx;
	(void)state;

	assert_int_equal(gdb_packet_encode(out, sizeof(out), (const u8 *)"OK", 2), 6);
	assert_memory_equal(out, "$OK#9a", 6);
	/* '$' '#' '}' '*' go out as '}' and the byte ^ 0x20; the checksum is of what is sent. */
	u32 n = gdb_packet_encode(out, sizeof(out), (const u8 *)"a$#}*", 5);
	assert_int_equal(n, 1 + 9 + 3);
	assert_memory_equal(out, "$a}\x04}\x03}]}\x0a#", 11);
	/* What the encoder writes, the receiver reads back. */
	gdb_rx_init(&rx);
	assert_int_equal(feed(&rx, (char *)out, n), GDB_RX_PACKET);
	assert_memory_equal(rx.buf, "a$#}*", 5);
	/* Too small a buffer gives 0, never an overrun. */
	assert_int_equal(gdb_packet_encode(out, 5, (const u8 *)"OK", 2), 0);
	assert_int_equal(gdb_packet_encode(out, 6, (const u8 *)"O}", 2), 0);
	assert_int_equal(gdb_packet_encode(out, 3, (const u8 *)"", 0), 0);
	assert_int_equal(gdb_packet_encode(out, 4, (const u8 *)"", 0), 4);
}

static void test_hex_helpers(void **state)
{
	const char *p;
	u64 v;
	u8 bytes[4];
	char text[9] = { 0 };
	(void)state;

	p = "1fF,rest";
	assert_int_equal(gdb_hex_parse(&p, &v), 0);
	EXPECT_EQ(v, 0x1ff);
	assert_string_equal(p, ",rest");
	p = "ffffffffffffffff";
	assert_int_equal(gdb_hex_parse(&p, &v), 0);
	EXPECT_EQ(v, ~0ULL);
	p = "10000000000000000";
	assert_int_equal(gdb_hex_parse(&p, &v), -EINVAL);
	p = ",";
	assert_int_equal(gdb_hex_parse(&p, &v), -EINVAL);
	assert_int_equal(gdb_hex_decode(bytes, "deadBEEF", 4), 0);
	gdb_hex_encode(text, bytes, 4);
	assert_string_equal(text, "deadbeef");
	assert_int_equal(gdb_hex_decode(bytes, "de-d", 2), -EINVAL);
	assert_int_equal(gdb_hex_decode(bytes, "d", 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_packet_is_delivered_and_acked),
		cmocka_unit_test(test_bad_checksum_is_nacked),
		cmocka_unit_test(test_noise_acks_and_interrupt_between_packets),
		cmocka_unit_test(test_escapes_decode_binary_bytes),
		cmocka_unit_test(test_run_length_is_expanded),
		cmocka_unit_test(test_overlong_packet_is_rejected_and_bounded),
		cmocka_unit_test(test_no_ack_mode_sends_no_acks),
		cmocka_unit_test(test_encode_frames_and_escapes),
		cmocka_unit_test(test_hex_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
