/* SPDX-License-Identifier: MIT */
/*
 * The ring of one vCPU's traced exits: one writer (the vCPU's CPU) that overwrites the oldest
 * record when the ring is full, readers on any CPU that copy a record and learn whether it was
 * overwritten meanwhile. Pure: the unit tests fill and read it on the host.
 */
#ifndef VIREO_VMM_TRACE_RING_H
#define VIREO_VMM_TRACE_RING_H

#include "kernel/types.h"

#define TRACE_ENTRIES_MIN 16
#define TRACE_ENTRIES_MAX 65536
#define TRACE_ENTRIES_DEFAULT 1024

/* Bits of trace_record.flags. */
enum trace_flag {
	TRACE_IN = BIT(0),	/* I/O: IN or INS (else OUT or OUTS) */
	TRACE_STRING = BIT(1),	/* I/O: INS or OUTS */
	TRACE_REP = BIT(2),	/* I/O: with a REP prefix */
	TRACE_READ = BIT(3),	/* memory: the access read, wrote, fetched */
	TRACE_WRITE = BIT(4),
	TRACE_FETCH = BIT(5),
	TRACE_ERROR_CODE = BIT(6),	/* exception: arg2 is its error code */
};

/* One exit, decoded (vmm/trace_record.h says which field holds what for each reason). */
struct trace_record {
	u64 tsc;		/* TSC at the exit */
	u64 took;		/* TSC ticks from the exit to the next entry; 0 while it runs */
	u64 rip;		/* the guest's RIP at the exit */
	u64 value;		/* the value moved: I/O data, an MSR's, a guest-physical address */
	const char *name;	/* an instruction's mnemonic or the backend's exit name, or NULL */
	u32 arg;		/* a port, MSR index, CPUID leaf, hypercall number, vector, CR */
	u32 arg2;		/* a CPUID subleaf, error code, CR access kind, hypercall CPL */
	u8 reason;		/* enum exit_reason */
	u8 flags;		/* enum trace_flag bits */
	u8 size;		/* I/O: bytes per access */
};

struct trace_ring {
	u32 capacity;		/* records the ring holds (in one slot more) */
	u64 head;		/* records ever written: the next one's sequence number */
	struct trace_record records[];
};

/* The bytes of a ring of capacity records (the caller allocates them). */
size_t trace_ring_bytes(u32 capacity);

/* Make the memory of trace_ring_bytes(capacity) an empty ring. */
void trace_ring_init(struct trace_ring *ring, u32 capacity);

/*
 * The writer's: the slot of the next record, to be filled and then made visible by
 * trace_ring_commit(); when the ring is full it is the oldest record's.
 */
struct trace_record *trace_ring_next(struct trace_ring *ring);
void trace_ring_commit(struct trace_ring *ring);

/* The writer's: the last record committed, which it may still complete, or NULL. */
struct trace_record *trace_ring_newest(struct trace_ring *ring);

/* Records ever committed, and those of them overwritten since (the lost ones). */
u64 trace_ring_total(const struct trace_ring *ring);
u64 trace_ring_lost(const struct trace_ring *ring);

/*
 * Copy record number seq (0 for the first ever committed) into out, from any CPU. False when
 * it is not in the ring: not committed yet, overwritten before or while it was copied.
 */
bool trace_ring_read(const struct trace_ring *ring, u64 seq, struct trace_record *out);

#endif
