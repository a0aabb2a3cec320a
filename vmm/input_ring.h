/* SPDX-License-Identifier: MIT */
/*
 * Keys typed for a VM that it has not read yet: a small ring of bytes. When it is full a new
 * key is dropped (and counted), as a UART's FIFO would. Pure; the caller holds the VM's
 * input lock.
 */
#ifndef VIREO_VMM_INPUT_RING_H
#define VIREO_VMM_INPUT_RING_H

#include "kernel/types.h"

/* Room for a whole shell command typed or pasted while the guest is not scheduled. */
#define INPUT_RING_SIZE 256

struct input_ring {
	u8 bytes[INPUT_RING_SIZE];
	u32 head, count;
	u64 dropped;
};

void input_ring_init(struct input_ring *r);

/* Add a byte; false (and dropped counted) when the ring is full. */
bool input_ring_push(struct input_ring *r, u8 byte);

/* The oldest byte, or -1 when there is none. */
int input_ring_pop(struct input_ring *r);

#endif
