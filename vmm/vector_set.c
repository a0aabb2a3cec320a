/* SPDX-License-Identifier: MIT */
/* Pending interrupt vectors: four 64-bit words, changed with atomic operations. Pure. */
#include "vmm/vector_set.h"

void vector_set_raise(struct vector_set *s, u8 vector)
{
	__atomic_fetch_or(&s->bits[vector / 64], BIT(vector % 64), __ATOMIC_RELEASE);
}

int vector_set_highest(const struct vector_set *s, u8 tpr)
{
	for (int word = 3; word >= 0; word--) {
		u64 bits = __atomic_load_n(&s->bits[word], __ATOMIC_ACQUIRE);
		int vector;

		if (!bits)
			continue;
		vector = word * 64 + 63 - __builtin_clzll(bits);
		return vector >> 4 > tpr ? vector : -1;
	}
	return -1;
}

bool vector_set_take(struct vector_set *s, u8 vector)
{
	u64 bit = BIT(vector % 64);

	return __atomic_fetch_and(&s->bits[vector / 64], ~bit, __ATOMIC_ACQ_REL) & bit;
}

bool vector_set_any(const struct vector_set *s)
{
	for (u32 word = 0; word < 4; word++)
		if (__atomic_load_n(&s->bits[word], __ATOMIC_ACQUIRE))
			return true;
	return false;
}
