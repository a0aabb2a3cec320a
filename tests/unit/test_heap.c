/* SPDX-License-Identifier: MIT */
/* Unit tests of the slab and page-run heap over page-aligned host memory that is tracked. */
#include "tests/unit/unit.h"
#include "kernel/heap.h"
#include "kernel/errno.h"

#define MAX_RUN_PAGES 64	/* the page provider refuses bigger requests */
#define MAX_CHUNKS 16384
#define HEADER_BYTES 64		/* what a slab page or a run keeps for itself */

/* One alloc_pages call the provider answered. */
struct chunk {
	void *pages;
	u64 count;
	bool live;		/* given to the heap and not yet returned */
};

/* A page provider that records every page it gives and gets back. */
struct provider {
	struct chunk chunks[MAX_CHUNKS];
	size_t nchunks;
	u64 pages_given, pages_returned;
	u64 calls, refused;
	bool fail;		/* answer every request with NULL */
	bool quarantine;	/* keep returned pages readable until teardown */
	bool bad_return;	/* free_pages got something it never gave */
};

struct fixture {
	struct provider prov;
	struct heap heap;
};

static void *prov_alloc(void *ctx, u64 count)
{
	struct provider *p = ctx;
	void *pages;

	p->calls++;
	if (p->fail || count == 0 || count > MAX_RUN_PAGES || p->nchunks == MAX_CHUNKS) {
		p->refused++;
		return NULL;
	}
	pages = aligned_alloc(PAGE_SIZE, count * PAGE_SIZE);
	assert_non_null(pages);
	/* Fresh pages hold garbage, as recycled physical memory would. */
	memset(pages, 0xa5, count * PAGE_SIZE);
	p->chunks[p->nchunks++] = (struct chunk){ pages, count, true };
	p->pages_given += count;
	return pages;
}

static struct chunk *prov_find(struct provider *p, const void *pages)
{
	for (size_t i = 0; i < p->nchunks; i++)
		if (p->chunks[i].pages == pages && p->chunks[i].live)
			return &p->chunks[i];
	return NULL;
}

static void prov_free(void *ctx, void *pages, u64 count)
{
	struct provider *p = ctx;
	struct chunk *c = prov_find(p, pages);

	if (!c || c->count != count) {
		p->bad_return = true;
		return;
	}
	c->live = false;
	p->pages_returned += count;
	if (!p->quarantine) {
		free(c->pages);
		*c = p->chunks[--p->nchunks];
	}
}

static const struct heap_ops prov_ops = {
	.alloc_pages = prov_alloc,
	.free_pages = prov_free,
};

static u64 prov_outstanding(const struct provider *p)
{
	return p->pages_given - p->pages_returned;
}

static int setup_common(void **state, bool quarantine)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->prov.quarantine = quarantine;
	heap_init(&f->heap, &prov_ops, &f->prov);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_common(state, false);
}

/* For tests that free a block twice: the heap may then read a page it gave back. */
static int setup_quarantine(void **state)
{
	return setup_common(state, true);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < f->prov.nchunks; i++)
		free(f->prov.chunks[i].pages);
	free(f);
	return 0;
}

/* The heap holds exactly the pages the provider has out, and got nothing back it never gave. */
static void assert_pages_agree(const struct fixture *f)
{
	assert_false(f->prov.bad_return);
	assert_int_equal(f->heap.pages, prov_outstanding(&f->prov));
}

/* What a request of size bytes should be rounded to: its class, or its page run. */
static size_t expected_block_size(size_t size)
{
	size_t class = 32;

	while (class < size && class < 1024)
		class <<= 1;
	if (size <= class)
		return class;
	return ALIGN_UP(size + HEADER_BYTES, (size_t)PAGE_SIZE) - HEADER_BYTES;
}

/* Bytes a live block of size bytes accounts for in bytes_in_use. */
static u64 expected_bytes(size_t size)
{
	size_t block = expected_block_size(size);

	return size <= 1024 ? block : block + HEADER_BYTES;
}

struct heap_snapshot {
	struct heap heap;
	u64 given, returned, calls;
};

static void take_snapshot(const struct fixture *f, struct heap_snapshot *s)
{
	s->heap = f->heap;
	s->given = f->prov.pages_given;
	s->returned = f->prov.pages_returned;
	s->calls = f->prov.calls;
}

static void assert_unchanged(const struct fixture *f, const struct heap_snapshot *s)
{
	assert_memory_equal(&f->heap, &s->heap, sizeof(f->heap));
	assert_int_equal(f->prov.pages_given, s->given);
	assert_int_equal(f->prov.pages_returned, s->returned);
	assert_int_equal(f->prov.calls, s->calls);
}

static void fill(void *p, size_t n, u32 seed)
{
	u8 *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (u8)(seed * 131 + i * 7 + (i >> 8));
}

static void check_fill(const void *p, size_t n, u32 seed)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != (u8)(seed * 131 + i * 7 + (i >> 8)))
			fail_msg("block %u: byte %zu overwritten", seed, i);
}

/* --- sizes and placement ------------------------------------------------------------------- */

static void test_sizes_map_to_slab_classes_and_page_runs(void **state)
{
	static const struct {
		size_t size, block, pages;
	} cases[] = {
		{ 1, 32, 1 }, { 16, 32, 1 }, { 32, 32, 1 }, { 33, 64, 1 }, { 64, 64, 1 },
		{ 65, 128, 1 }, { 200, 256, 1 }, { 256, 256, 1 }, { 257, 512, 1 },
		{ 512, 512, 1 }, { 513, 1024, 1 }, { 1000, 1024, 1 }, { 1024, 1024, 1 },
		{ 1025, 4032, 1 }, { 4032, 4032, 1 }, { 4033, 8128, 2 }, { 8128, 8128, 2 },
		{ 8129, 12224, 3 }, { 100000, 102336, 25 },
	};
	struct fixture *f = *state;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		void *p = heap_alloc(&f->heap, cases[c].size);

		assert_non_null(p);
		assert_int_equal(heap_block_size(p), cases[c].block);
		assert_int_equal(f->heap.pages, cases[c].pages);
		assert_int_equal(f->prov.calls, c + 1);
		assert_true(IS_ALIGNED((uintptr_t)p, HEAP_ALIGN));
		fill(p, cases[c].block, (u32)c);
		check_fill(p, cases[c].block, (u32)c);
		assert_int_equal(heap_free(&f->heap, p), 0);
		assert_int_equal(f->heap.pages, 0);
		assert_pages_agree(f);
	}
}

static void test_every_size_gets_an_aligned_block_at_least_that_big(void **state)
{
	struct fixture *f = *state;
	static void *blocks[5000];

	for (size_t size = 1; size < ARRAY_SIZE(blocks); size++) {
		void *p = heap_alloc(&f->heap, size);

		if (!p)
			fail_msg("size %zu: NULL", size);
		assert_true(IS_ALIGNED((uintptr_t)p, HEAP_ALIGN));
		assert_int_equal(heap_block_size(p), expected_block_size(size));
		memset(p, (int)size, size);
		blocks[size] = p;
	}
	for (size_t size = 1; size < ARRAY_SIZE(blocks); size++) {
		const u8 *b = blocks[size];

		for (size_t i = 0; i < size; i++)
			if (b[i] != (u8)size)
				fail_msg("block of %zu bytes: byte %zu overwritten", size, i);
		assert_int_equal(heap_free(&f->heap, blocks[size]), 0);
	}
	assert_int_equal(f->heap.bytes_in_use, 0);
	assert_int_equal(f->heap.pages, 0);
	assert_pages_agree(f);
	assert_int_equal(prov_outstanding(&f->prov), 0);
}

static void test_size_zero_gives_null_and_counts_nothing(void **state)
{
	struct fixture *f = *state;
	struct heap_snapshot snap;

	take_snapshot(f, &snap);
	assert_null(heap_alloc(&f->heap, 0));
	assert_unchanged(f, &snap);
}

struct span {
	uintptr_t start, end;
	u32 seed;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void test_blocks_never_overlap(void **state)
{
	enum { N = 900 };
	static void *blocks[N];
	static struct span spans[N];
	struct fixture *f = *state;

	for (u32 i = 0; i < N; i++) {
		/* Mostly small sizes of every class, some runs. */
		size_t size = i % 10 == 9 ? 1025 + i * 13 : 1 + (i * 37) % 1024;

		blocks[i] = heap_alloc(&f->heap, size);
		assert_non_null(blocks[i]);
		spans[i] = (struct span){ (uintptr_t)blocks[i],
					  (uintptr_t)blocks[i] + heap_block_size(blocks[i]), i };
		fill(blocks[i], heap_block_size(blocks[i]), i);
	}
	qsort(spans, N, sizeof(spans[0]), span_cmp);
	for (u32 i = 1; i < N; i++)
		assert_true(spans[i - 1].end <= spans[i].start);
	for (u32 i = 0; i < N; i++)
		check_fill(blocks[i], heap_block_size(blocks[i]), i);

	/* Free every other block, refill the gaps, and check nobody's bytes moved. */
	for (u32 i = 0; i < N; i += 2)
		assert_int_equal(heap_free(&f->heap, blocks[i]), 0);
	for (u32 i = 0; i < N; i += 2) {
		blocks[i] = heap_alloc(&f->heap, 1 + (i * 53) % 2000);
		assert_non_null(blocks[i]);
		fill(blocks[i], heap_block_size(blocks[i]), i + N);
	}
	for (u32 i = 0; i < N; i++)
		check_fill(blocks[i], heap_block_size(blocks[i]), i % 2 ? i : i + N);
	for (u32 i = 0; i < N; i++)
		assert_int_equal(heap_free(&f->heap, blocks[i]), 0);
	assert_int_equal(f->heap.pages, 0);
	assert_int_equal(prov_outstanding(&f->prov), 0);
	assert_pages_agree(f);
}

static void test_a_slab_fills_before_a_new_page_is_taken(void **state)
{
	/* Objects per slab page: (4096 - 64) / class. */
	static const struct {
		size_t size;
		unsigned per_page;
	} cases[] = {
		{ 32, 126 }, { 64, 63 }, { 128, 31 }, { 256, 15 }, { 512, 7 }, { 1024, 3 },
	};
	struct fixture *f = *state;
	static void *blocks[2 * 126 + 1];

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		unsigned n = 2 * cases[c].per_page + 1;

		for (unsigned i = 0; i < n; i++) {
			blocks[i] = heap_alloc(&f->heap, cases[c].size);
			assert_non_null(blocks[i]);
			assert_int_equal(f->heap.pages, i / cases[c].per_page + 1);
		}
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(heap_free(&f->heap, blocks[i]), 0);
		assert_int_equal(f->heap.pages, 0);
		assert_pages_agree(f);
	}
}

/* --- counters ------------------------------------------------------------------------------ */

static void test_counters_follow_allocations_and_frees(void **state)
{
	static const size_t sizes[] = { 1, 40, 100, 1024, 1025, 5000, 24, 24, 24 };
	struct fixture *f = *state;
	void *blocks[ARRAY_SIZE(sizes)];
	u64 bytes = 0;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		blocks[i] = heap_alloc(&f->heap, sizes[i]);
		assert_non_null(blocks[i]);
		bytes += expected_bytes(sizes[i]);
		assert_int_equal(f->heap.bytes_in_use, bytes);
		assert_int_equal(f->heap.allocations, i + 1);
		assert_int_equal(f->heap.frees, 0);
	}
	/* Slabs of 32, 64, 128 and 1024 bytes, runs of 1 and 2 pages. */
	assert_int_equal(f->heap.pages, 4 + 1 + 2);
	assert_pages_agree(f);

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_int_equal(heap_free(&f->heap, blocks[i]), 0);
		bytes -= expected_bytes(sizes[i]);
		assert_int_equal(f->heap.bytes_in_use, bytes);
		assert_int_equal(f->heap.frees, i + 1);
		assert_int_equal(f->heap.allocations, ARRAY_SIZE(sizes));
		assert_pages_agree(f);
	}
	assert_int_equal(f->heap.pages, 0);
	assert_int_equal(f->prov.pages_given, 7);
	assert_int_equal(f->prov.pages_returned, 7);
}

static void test_free_null_is_ignored(void **state)
{
	struct fixture *f = *state;
	struct heap_snapshot snap;
	void *p = heap_alloc(&f->heap, 10);

	take_snapshot(f, &snap);
	assert_int_equal(heap_free(&f->heap, NULL), 0);
	assert_unchanged(f, &snap);
	assert_int_equal(heap_free(&f->heap, p), 0);
}

/* --- bad frees ----------------------------------------------------------------------------- */

static void test_double_free_is_refused_and_changes_nothing(void **state)
{
	/* Freed alone, the block's page goes back; with a neighbour kept, it stays. */
	static const struct {
		size_t size;
		bool keep_neighbour;
	} cases[] = {
		{ 16, true }, { 16, false }, { 700, true }, { 1024, false },
		{ 3000, false }, { 20000, false },
	};
	struct fixture *f = *state;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct heap_snapshot snap;
		void *other = NULL, *p = heap_alloc(&f->heap, cases[c].size);

		assert_non_null(p);
		if (cases[c].keep_neighbour) {
			other = heap_alloc(&f->heap, cases[c].size);
			assert_non_null(other);
			fill(other, cases[c].size, 99);
		}
		assert_int_equal(heap_free(&f->heap, p), 0);
		take_snapshot(f, &snap);
		assert_int_equal(heap_free(&f->heap, p), -EINVAL);
		assert_unchanged(f, &snap);
		if (other) {
			check_fill(other, cases[c].size, 99);
			assert_int_equal(heap_free(&f->heap, other), 0);
		}
		assert_int_equal(f->heap.pages, 0);
		assert_int_equal(f->heap.bytes_in_use, 0);
		assert_pages_agree(f);
	}
}

static void test_double_free_does_not_hand_a_block_out_twice(void **state)
{
	struct fixture *f = *state;
	void *keep = heap_alloc(&f->heap, 100);
	void *p = heap_alloc(&f->heap, 100), *a, *b;

	assert_int_equal(heap_free(&f->heap, p), 0);
	assert_int_equal(heap_free(&f->heap, p), -EINVAL);
	a = heap_alloc(&f->heap, 100);
	b = heap_alloc(&f->heap, 100);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(a, keep);
	assert_ptr_not_equal(b, keep);
	heap_free(&f->heap, a);
	heap_free(&f->heap, b);
	heap_free(&f->heap, keep);
	assert_int_equal(f->heap.pages, 0);
}

/* Wild pointers, made from a live block p of size bytes and its page. */
enum wild_kind {
	WILD_BLOCK_PLUS_1,
	WILD_BLOCK_PLUS_ALIGN,
	WILD_BLOCK_MIDDLE,
	WILD_BLOCK_LAST_BYTE,
	WILD_PAGE_START,	/* the slab header or run header */
	WILD_PAGE_PLUS_8,
	WILD_PAGE_HEADER_END,	/* one object before the first, for a slab */
	WILD_PAST_LAST_OBJECT,	/* where one more slab object would start */
	WILD_PAGE_END,		/* last byte of the first page */
	WILD_SECOND_PAGE,	/* inside a run's second page */
};

static void *wild_pointer(void *p, size_t size, enum wild_kind kind)
{
	u8 *b = p, *page = (u8 *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
	size_t block = heap_block_size(p);

	switch (kind) {
	case WILD_BLOCK_PLUS_1:
		return b + 1;
	case WILD_BLOCK_PLUS_ALIGN:
		return b + HEAP_ALIGN;
	case WILD_BLOCK_MIDDLE:
		return b + block / 2;
	case WILD_BLOCK_LAST_BYTE:
		return b + size - 1;
	case WILD_PAGE_START:
		return page;
	case WILD_PAGE_PLUS_8:
		return page + 8;
	case WILD_PAGE_HEADER_END:
		return page + HEADER_BYTES - block;
	case WILD_PAST_LAST_OBJECT:
		return page + HEADER_BYTES + (PAGE_SIZE - HEADER_BYTES) / block * block;
	case WILD_PAGE_END:
		return page + PAGE_SIZE - 1;
	case WILD_SECOND_PAGE:
		return page + PAGE_SIZE + HEADER_BYTES;
	}
	return NULL;
}

static void test_wild_pointers_are_refused_and_change_nothing(void **state)
{
	static const struct {
		size_t size;
		enum wild_kind kind;
	} cases[] = {
		{ 32, WILD_BLOCK_PLUS_1 },
		{ 64, WILD_BLOCK_PLUS_ALIGN },
		{ 1024, WILD_BLOCK_MIDDLE },
		{ 512, WILD_BLOCK_LAST_BYTE },
		{ 32, WILD_PAGE_START },
		{ 256, WILD_PAGE_START },
		{ 128, WILD_PAGE_PLUS_8 },
		{ 32, WILD_PAGE_HEADER_END },
		{ 128, WILD_PAST_LAST_OBJECT },
		{ 256, WILD_PAST_LAST_OBJECT },
		{ 1024, WILD_PAST_LAST_OBJECT },
		{ 200, WILD_PAGE_END },
		{ 2000, WILD_BLOCK_PLUS_ALIGN },
		{ 2000, WILD_BLOCK_MIDDLE },
		{ 2000, WILD_PAGE_START },
		{ 2000, WILD_PAGE_PLUS_8 },
		{ 2000, WILD_PAGE_END },
		{ 9000, WILD_SECOND_PAGE },
		{ 9000, WILD_BLOCK_LAST_BYTE },
	};
	struct fixture *f = *state;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct heap_snapshot snap;
		void *p = heap_alloc(&f->heap, cases[c].size), *w;
		size_t block;

		assert_non_null(p);
		block = heap_block_size(p);
		/* Zeros rather than the fill pattern, so no header can be faked by the data. */
		memset(p, 0, block);
		w = wild_pointer(p, cases[c].size, cases[c].kind);
		take_snapshot(f, &snap);
		if (heap_free(&f->heap, w) != -EINVAL)
			fail_msg("case %zu: a wild pointer was freed", c);
		assert_unchanged(f, &snap);
		assert_int_equal(heap_block_size(p), block);
		assert_int_equal(heap_free(&f->heap, p), 0);
		assert_int_equal(f->heap.pages, 0);
		assert_pages_agree(f);
	}
}

static void test_pointer_into_a_foreign_page_is_refused(void **state)
{
	struct fixture *f = *state;
	struct heap_snapshot snap;
	u8 *page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	void *live = heap_alloc(&f->heap, 48);
	int ret[3];

	assert_non_null(page);
	memset(page, 0, PAGE_SIZE);
	take_snapshot(f, &snap);
	ret[0] = heap_free(&f->heap, page);
	ret[1] = heap_free(&f->heap, page + HEADER_BYTES);
	ret[2] = heap_free(&f->heap, page + 1000);
	free(page);
	assert_int_equal(ret[0], -EINVAL);
	assert_int_equal(ret[1], -EINVAL);
	assert_int_equal(ret[2], -EINVAL);
	assert_unchanged(f, &snap);
	assert_int_equal(heap_free(&f->heap, live), 0);
}

/* --- running out of pages ------------------------------------------------------------------ */

static void test_alloc_returns_null_when_pages_run_out(void **state)
{
	static const size_t sizes[] = { 1, 100, 1024, 1025, 4096, 50000 };
	struct fixture *f = *state;
	struct heap_snapshot snap;

	f->prov.fail = true;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		take_snapshot(f, &snap);
		assert_null(heap_alloc(&f->heap, sizes[i]));
		assert_int_equal(f->prov.calls, snap.calls + 1);
		snap.calls++;
		assert_unchanged(f, &snap);
	}
	f->prov.fail = false;
	assert_non_null(heap_alloc(&f->heap, 1));
	assert_int_equal(f->heap.allocations, 1);
}

static void test_partial_slab_serves_small_blocks_without_new_pages(void **state)
{
	struct fixture *f = *state;
	void *blocks[7];

	blocks[0] = heap_alloc(&f->heap, 512);	/* 7 objects of 512 bytes per slab */
	assert_non_null(blocks[0]);
	f->prov.fail = true;
	for (int i = 1; i < 7; i++) {
		blocks[i] = heap_alloc(&f->heap, 500);
		assert_non_null(blocks[i]);
	}
	assert_null(heap_alloc(&f->heap, 512));	/* the slab is full */
	assert_null(heap_alloc(&f->heap, 20));		/* another class needs a page */
	assert_int_equal(f->heap.allocations, 7);
	assert_int_equal(f->heap.pages, 1);
	f->prov.fail = false;
	for (int i = 0; i < 7; i++)
		assert_int_equal(heap_free(&f->heap, blocks[i]), 0);
	assert_int_equal(f->heap.pages, 0);
	assert_pages_agree(f);
}

/* A size so large that adding the run header overflows must not give a small block. */
static void test_alloc_of_a_size_near_size_max_returns_null(void **state)
{
	static const size_t sizes[] = {
		SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 63, SIZE_MAX - 64, SIZE_MAX - 4000,
		SIZE_MAX - PAGE_SIZE - 63, SIZE_MAX / 2,
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = heap_alloc(&f->heap, sizes[i]);

		if (p) {
			size_t block = heap_block_size(p);

			heap_free(&f->heap, p);
			fail_msg("size %zu gave a block of %zu bytes", sizes[i], block);
		}
	}
	assert_int_equal(f->heap.allocations, 0);
	assert_int_equal(f->heap.pages, 0);
}

/* --- randomized ---------------------------------------------------------------------------- */

#define STRESS_OPS 40000
#define STRESS_LIVE 600

static u64 rng_state;

static u64 rng_next(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t random_size(void)
{
	switch (rng_next() % 8) {
	case 0:
		return 1025 + rng_next() % (6 * PAGE_SIZE);
	case 1:
	case 2:
		return 1 + rng_next() % 1024;
	default:
		return 1 + rng_next() % 128;
	}
}

static void test_random_alloc_free_keeps_blocks_intact(void **state)
{
	static struct {
		void *p;
		size_t size;
		u32 seed;
	} live[STRESS_LIVE];
	struct fixture *f = *state;
	size_t nlive = 0;
	u64 bytes = 0, allocs = 0, frees = 0, peak_pages = 0;

	rng_state = 0x243f6a8885a308d3ULL;
	for (u32 op = 0; op < STRESS_OPS; op++) {
		/* Grow towards the cap, then wander around it. */
		bool alloc = nlive == 0 || (nlive < STRESS_LIVE && rng_next() % 100 < 60);

		if (alloc) {
			size_t size = random_size();
			void *p = heap_alloc(&f->heap, size);

			assert_non_null(p);
			assert_true(IS_ALIGNED((uintptr_t)p, HEAP_ALIGN));
			assert_true(heap_block_size(p) >= size);
			fill(p, size, op);
			live[nlive++] = (typeof(live[0])){ p, size, op };
			bytes += expected_bytes(size);
			allocs++;
		} else {
			size_t i = rng_next() % nlive;

			check_fill(live[i].p, live[i].size, live[i].seed);
			assert_int_equal(heap_free(&f->heap, live[i].p), 0);
			bytes -= expected_bytes(live[i].size);
			frees++;
			live[i] = live[--nlive];
		}
		assert_int_equal(f->heap.bytes_in_use, bytes);
		assert_int_equal(f->heap.allocations, allocs);
		assert_int_equal(f->heap.frees, frees);
		assert_pages_agree(f);
		peak_pages = MAX(peak_pages, f->heap.pages);
	}
	while (nlive) {
		nlive--;
		check_fill(live[nlive].p, live[nlive].size, live[nlive].seed);
		assert_int_equal(heap_free(&f->heap, live[nlive].p), 0);
	}
	assert_int_equal(f->heap.bytes_in_use, 0);
	assert_int_equal(f->heap.pages, 0);
	assert_int_equal(prov_outstanding(&f->prov), 0);
	assert_pages_agree(f);
	assert_true(peak_pages > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TQ(fn) cmocka_unit_test_setup_teardown(fn, setup_quarantine, teardown)
		T(test_sizes_map_to_slab_classes_and_page_runs),
		T(test_every_size_gets_an_aligned_block_at_least_that_big),
		T(test_size_zero_gives_null_and_counts_nothing),
		T(test_blocks_never_overlap),
		T(test_a_slab_fills_before_a_new_page_is_taken),
		T(test_counters_follow_allocations_and_frees),
		T(test_free_null_is_ignored),
		TQ(test_double_free_is_refused_and_changes_nothing),
		TQ(test_double_free_does_not_hand_a_block_out_twice),
		T(test_wild_pointers_are_refused_and_change_nothing),
		T(test_pointer_into_a_foreign_page_is_refused),
		T(test_alloc_returns_null_when_pages_run_out),
		T(test_partial_slab_serves_small_blocks_without_new_pages),
		T(test_alloc_of_a_size_near_size_max_returns_null),
		T(test_random_alloc_free_keeps_blocks_intact),
#undef TQ
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
