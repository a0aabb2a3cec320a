/* SPDX-License-Identifier: MIT */
/* The byte level of the GDB remote serial protocol: framing, checksums, escapes, hex. */
#include "vmm/gdb_packet.h"
#include "kernel/errno.h"

#define GDB_ESCAPE '}'
#define GDB_ESCAPE_XOR 0x20
#define GDB_REPEAT '*'
/* A run-length count character n means n - 29 more copies (GDB manual, "Overview"). */
#define GDB_REPEAT_BIAS 29

void gdb_rx_init(struct gdb_rx *rx)
{
	rx->state = GDB_RX_IDLE;
	rx->no_ack = false;
	rx->len = 0;
	rx->buf[0] = 0;
}

static void rx_start(struct gdb_rx *rx)
{
	rx->state = GDB_RX_DATA;
	rx->sum = 0;
	rx->overlong = false;
	rx->len = 0;
}

static void rx_put(struct gdb_rx *rx, u8 byte)
{
	if (rx->len < GDB_PACKET_MAX)
		rx->buf[rx->len++] = byte;
	else
		rx->overlong = true;
}

static enum gdb_rx_event rx_idle(struct gdb_rx *rx, u8 byte)
{
	switch (byte) {
	case '$':
		rx_start(rx);
		return GDB_RX_NONE;
	case '+':
		return GDB_RX_ACK;
	case '-':
		return GDB_RX_NACK;
	case GDB_INTERRUPT_BYTE:
		return GDB_RX_INTERRUPT;
	default:
		return GDB_RX_NONE;
	}
}

static void rx_data(struct gdb_rx *rx, u8 byte)
{
	switch (byte) {
	case '$':
		rx_start(rx);
		return;
	case '#':
		rx->state = GDB_RX_CSUM_HI;
		return;
	}
	rx->sum += byte;
	if (byte == GDB_ESCAPE)
		rx->state = GDB_RX_ESCAPE;
	else if (byte == GDB_REPEAT && rx->len > 0)
		rx->state = GDB_RX_REPEAT;
	else
		rx_put(rx, byte);	/* a '*' with nothing before it is taken literally */
}

static void rx_repeat(struct gdb_rx *rx, u8 byte)
{
	u8 repeated = rx->buf[rx->len - 1];

	rx->sum += byte;
	rx->state = GDB_RX_DATA;
	for (int n = (int)byte - GDB_REPEAT_BIAS; n > 0; n--)
		rx_put(rx, repeated);
}

static enum gdb_rx_event rx_checksum_done(struct gdb_rx *rx, int lo)
{
	rx->state = GDB_RX_IDLE;
	rx->buf[rx->len] = 0;
	if (rx->overlong)
		return GDB_RX_OVERLONG;
	if (rx->csum_hi == 0xff || lo < 0 || (u8)(rx->csum_hi << 4 | lo) != rx->sum)
		return GDB_RX_CORRUPT;
	return GDB_RX_PACKET;
}

enum gdb_rx_event gdb_rx_feed(struct gdb_rx *rx, u8 byte)
{
	int digit;

	switch (rx->state) {
	case GDB_RX_IDLE:
		return rx_idle(rx, byte);
	case GDB_RX_DATA:
		rx_data(rx, byte);
		return GDB_RX_NONE;
	case GDB_RX_ESCAPE:
		rx->sum += byte;
		rx->state = GDB_RX_DATA;
		rx_put(rx, byte ^ GDB_ESCAPE_XOR);
		return GDB_RX_NONE;
	case GDB_RX_REPEAT:
		rx_repeat(rx, byte);
		return GDB_RX_NONE;
	case GDB_RX_CSUM_HI:
		digit = gdb_hex_digit(byte);
		rx->csum_hi = digit < 0 ? 0xff : (u8)digit;
		rx->state = GDB_RX_CSUM_LO;
		return GDB_RX_NONE;
	case GDB_RX_CSUM_LO:
		return rx_checksum_done(rx, gdb_hex_digit(byte));
	}
	return GDB_RX_NONE;
}

u8 gdb_rx_ack(const struct gdb_rx *rx, enum gdb_rx_event ev)
{
	if (rx->no_ack)
		return 0;
	if (ev == GDB_RX_PACKET)
		return '+';
	if (ev == GDB_RX_CORRUPT || ev == GDB_RX_OVERLONG)
		return '-';
	return 0;
}

static const char hex_digits[] = "0123456789abcdef";

u32 gdb_packet_encode(u8 *out, u32 size, const u8 *payload, u32 len)
{
	u32 n = 0;
	u8 sum = 0;

	if (size < 4)
		return 0;
	out[n++] = '$';
	for (u32 i = 0; i < len; i++) {
		u8 c = payload[i];
		bool escape = c == '$' || c == '#' || c == GDB_ESCAPE || c == GDB_REPEAT;

		if (n + (escape ? 2 : 1) + 3 > size)
			return 0;
		if (escape) {
			out[n++] = GDB_ESCAPE;
			sum += GDB_ESCAPE;
			c ^= GDB_ESCAPE_XOR;
		}
		out[n++] = c;
		sum += c;
	}
	out[n++] = '#';
	out[n++] = (u8)hex_digits[sum >> 4];
	out[n++] = (u8)hex_digits[sum & 0xf];
	return n;
}

int gdb_hex_digit(u8 c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void gdb_hex_encode(char *out, const u8 *bytes, u32 count)
{
	for (u32 i = 0; i < count; i++) {
		out[2 * i] = hex_digits[bytes[i] >> 4];
		out[2 * i + 1] = hex_digits[bytes[i] & 0xf];
	}
}

int gdb_hex_decode(u8 *out, const char *in, u32 count)
{
	for (u32 i = 0; i < count; i++) {
		int hi = gdb_hex_digit((u8)in[2 * i]);
		int lo = hi < 0 ? -1 : gdb_hex_digit((u8)in[2 * i + 1]);

		if (lo < 0)
			return -EINVAL;
		out[i] = (u8)(hi << 4 | lo);
	}
	return 0;
}

int gdb_hex_parse(const char **p, u64 *out)
{
	const char *s = *p;
	u64 v = 0;
	int d;

	if (gdb_hex_digit((u8)*s) < 0)
		return -EINVAL;
	for (; (d = gdb_hex_digit((u8)*s)) >= 0; s++) {
		if (v >> 60)
			return -EINVAL;
		v = v << 4 | (u64)d;
	}
	*p = s;
	*out = v;
	return 0;
}
