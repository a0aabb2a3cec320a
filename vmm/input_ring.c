/* SPDX-License-Identifier: MIT */
/* The ring of keys typed for a VM. Pure. */
#include "vmm/input_ring.h"

void input_ring_init(struct input_ring *r)
{
	r->head = r->count = 0;
	r->dropped = 0;
}

bool input_ring_push(struct input_ring *r, u8 byte)
{
	if (r->count == INPUT_RING_SIZE) {
		r->dropped++;
		return false;
	}
	r->bytes[(r->head + r->count) % INPUT_RING_SIZE] = byte;
	r->count++;
	return true;
}

int input_ring_pop(struct input_ring *r)
{
	u8 byte;

	if (!r->count)
		return -1;
	byte = r->bytes[r->head];
	r->head = (r->head + 1) % INPUT_RING_SIZE;
	r->count--;
	return byte;
}
