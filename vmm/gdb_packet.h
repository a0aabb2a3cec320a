/* SPDX-License-Identifier: MIT */
/*
 * The byte level of the GDB remote serial protocol (GDB manual, appendix "Remote Protocol",
 * section "Overview"): packets "$payload#cc" where cc is the sum of the payload's bytes modulo
 * 256 in two hex digits, acknowledged with '+' or '-'; the interrupt byte 0x03 sent outside a
 * packet; and the hex encoding most payloads use. Pure.
 *
 * Received payloads are decoded as they arrive: "}x" stands for x ^ 0x20 (binary data of X
 * packets and escaped '$', '#', '}', '*'), and "c*n" for c repeated n - 29 more times
 * (run-length encoding, section "Overview"). gdb never sends run-length encoded packets,
 * but decoding them costs a few lines. Replies are escaped but never run-length encoded.
 */
#ifndef VIREO_VMM_GDB_PACKET_H
#define VIREO_VMM_GDB_PACKET_H

#include "kernel/types.h"

/* The largest payload received or sent, after decoding: the stub's PacketSize. */
#define GDB_PACKET_MAX 4096

/* The room an encoded reply of GDB_PACKET_MAX payload bytes can need: every byte escaped. */
#define GDB_PACKET_ENCODED_MAX (2 * GDB_PACKET_MAX + 4)

#define GDB_INTERRUPT_BYTE 0x03

enum gdb_rx_event {
	GDB_RX_NONE,		/* nothing complete yet (or noise between packets) */
	GDB_RX_PACKET,		/* a packet with a good checksum: rx->buf[0..rx->len) */
	GDB_RX_CORRUPT,		/* a packet whose checksum or hex digits were wrong */
	GDB_RX_OVERLONG,	/* a packet longer than GDB_PACKET_MAX once decoded */
	GDB_RX_INTERRUPT,	/* 0x03 outside a packet: gdb asks the target to stop */
	GDB_RX_ACK,		/* '+' outside a packet: the last reply arrived */
	GDB_RX_NACK,		/* '-' outside a packet: send the last reply again */
};

enum gdb_rx_state {
	GDB_RX_IDLE,		/* between packets */
	GDB_RX_DATA,		/* after '$' */
	GDB_RX_ESCAPE,		/* after '}' */
	GDB_RX_REPEAT,		/* after '*': the next byte is the repeat count */
	GDB_RX_CSUM_HI,		/* after '#' */
	GDB_RX_CSUM_LO,
};

/* The receiver: one packet being assembled. */
struct gdb_rx {
	enum gdb_rx_state state;
	u8 sum;			/* of the raw bytes between '$' and '#' */
	u8 csum_hi;		/* the first checksum digit's value */
	bool overlong;		/* bytes were dropped: the packet will be rejected */
	bool no_ack;		/* QStartNoAckMode was accepted: neither side acknowledges */
	u32 len;
	u8 buf[GDB_PACKET_MAX + 1];	/* always NUL-terminated, for the command parser */
};

/* Start between packets, in acknowledged mode. */
void gdb_rx_init(struct gdb_rx *rx);

/*
 * Feed one received byte. Returns what it completed; after GDB_RX_PACKET the payload stays in
 * rx->buf until the next byte is fed. Noise between packets (anything but '$', '+', '-' and
 * 0x03) is ignored, and a '$' inside a packet starts over, as after a lost '#'.
 */
enum gdb_rx_event gdb_rx_feed(struct gdb_rx *rx, u8 byte);

/* The acknowledgement owed for an event: '+', '-', or 0 (none, or in no-ack mode). */
u8 gdb_rx_ack(const struct gdb_rx *rx, enum gdb_rx_event ev);

/*
 * Frame payload[0..len) as "$...#cc" into out[0..size), escaping '$', '#', '}' and '*'.
 * Returns the length written, or 0 when it does not fit.
 */
u32 gdb_packet_encode(u8 *out, u32 size, const u8 *payload, u32 len);

/* The value of one hex digit (either case), or -1. */
int gdb_hex_digit(u8 c);

/* Write bytes[0..count) as lowercase hex pairs to out (2 * count chars, no NUL). */
void gdb_hex_encode(char *out, const u8 *bytes, u32 count);

/* Read count bytes from 2 * count hex digits at in. Returns 0, or -EINVAL on a non-digit. */
int gdb_hex_decode(u8 *out, const char *in, u32 count);

/*
 * Parse a hex number at *p, advancing *p past it. Returns 0, or -EINVAL when there is no
 * digit or it overflows 64 bits.
 */
int gdb_hex_parse(const char **p, u64 *out);

#endif
