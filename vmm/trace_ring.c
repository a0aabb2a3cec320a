/* SPDX-License-Identifier: MIT */
/* The ring of one vCPU's traced exits: overwrite the oldest, let readers detect it. */
#include "vmm/trace_ring.h"

/*
 * One slot more than the capacity: the writer may be filling the slot of the oldest one
 * (vmm/trace_ring.h), so that capacity records stay readable beside it.
 */
static u64 slots(const struct trace_ring *ring)
{
	return (u64)ring->capacity + 1;
}

size_t trace_ring_bytes(u32 capacity)
{
	return sizeof(struct trace_ring) + ((size_t)capacity + 1) * sizeof(struct trace_record);
}

void trace_ring_init(struct trace_ring *ring, u32 capacity)
{
	ring->capacity = capacity;
	ring->head = 0;
}

struct trace_record *trace_ring_next(struct trace_ring *ring)
{
	return &ring->records[ring->head % slots(ring)];
}

/* The release orders the record's stores before the head that shows it. */
void trace_ring_commit(struct trace_ring *ring)
{
	__atomic_store_n(&ring->head, ring->head + 1, __ATOMIC_RELEASE);
}

struct trace_record *trace_ring_newest(struct trace_ring *ring)
{
	return ring->head ? &ring->records[(ring->head - 1) % slots(ring)] : NULL;
}

u64 trace_ring_total(const struct trace_ring *ring)
{
	return __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
}

u64 trace_ring_lost(const struct trace_ring *ring)
{
	u64 total = trace_ring_total(ring);

	return total > ring->capacity ? total - ring->capacity : 0;
}

/*
 * As a sequence lock: the writer starts overwriting record seq's slot only after it has
 * committed record seq + slots - 1, so a copy made while the head, read again after it, was
 * still at most seq + capacity is whole.
 */
bool trace_ring_read(const struct trace_ring *ring, u64 seq, struct trace_record *out)
{
	u64 head = trace_ring_total(ring);

	if (seq >= head || head - seq > ring->capacity)
		return false;
	*out = ring->records[seq % slots(ring)];
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&ring->head, __ATOMIC_RELAXED) - seq <= ring->capacity;
}
