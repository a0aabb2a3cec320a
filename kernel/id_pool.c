/* SPDX-License-Identifier: MIT */
/* A small pool of numeric tags. */
#include "kernel/id_pool.h"

u32 id_pool_get(struct id_pool *pool, u32 limit)
{
	u64 flags = spin_lock_irqsave(&pool->lock);
	u32 id = 0;

	for (u32 n = 1; n < MIN(limit, (u32)ID_POOL_MAX) && !id; n++) {
		if (!(pool->used & BIT(n))) {
			pool->used |= BIT(n);
			id = n;
		}
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return id;
}

void id_pool_put(struct id_pool *pool, u32 id)
{
	u64 flags = spin_lock_irqsave(&pool->lock);

	pool->used &= ~BIT(id);
	spin_unlock_irqrestore(&pool->lock, flags);
}

u32 id_pool_in_use(struct id_pool *pool)
{
	u64 flags = spin_lock_irqsave(&pool->lock);
	u32 count = 0;

	for (u64 used = pool->used; used; used &= used - 1)	/* no POPCNT in the kernel's ISA */
		count++;

	spin_unlock_irqrestore(&pool->lock, flags);
	return count;
}
