/* SPDX-License-Identifier: MIT */
/* A small pool of numeric tags (ASIDs, VPIDs): 1 to 63, 0 being reserved for the host. */
#ifndef VIREO_ID_POOL_H
#define VIREO_ID_POOL_H

#include "kernel/spinlock.h"
#include "kernel/types.h"

#define ID_POOL_MAX 64

struct id_pool {
	u64 used;		/* bit n: id n taken */
	struct spinlock lock;
};

/* The lowest free id below limit (at most ID_POOL_MAX), or 0 when none is free. */
u32 id_pool_get(struct id_pool *pool, u32 limit);

/* Give an id back. */
void id_pool_put(struct id_pool *pool, u32 id);

/* How many ids are taken: all come back once their holders are gone. */
u32 id_pool_in_use(struct id_pool *pool);

#endif
