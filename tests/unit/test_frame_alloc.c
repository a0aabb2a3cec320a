/* SPDX-License-Identifier: MIT */
/* Unit tests of the bitmap frame allocator, checked against a simple per-frame model. */
#include "tests/unit/unit.h"
#include "kernel/frame_alloc.h"
#include "kernel/errno.h"

#define FRAMES 1000	/* not a multiple of 64, so the bitmap's last word is partial */
#define P(n) ((u64)(n) * PAGE_SIZE)

struct fixture {
	struct frame_alloc fa;
	u64 frames;
	u64 *bitmap;	/* exactly FRAME_BITMAP_BYTES(frames), so ASan catches overruns */
};

/* Start over with a fresh allocator of frames frames (and a bitmap of its exact size). */
static void fixture_reset(struct fixture *f, u64 frames)
{
	free(f->bitmap);
	f->frames = frames;
	f->bitmap = malloc(FRAME_BITMAP_BYTES(frames));
	assert_non_null(f->bitmap);
	memset(f->bitmap, 0, FRAME_BITMAP_BYTES(frames));
	frame_alloc_init(&f->fa, f->bitmap, frames);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	fixture_reset(f, FRAMES);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->bitmap);
	free(f);
	return 0;
}

/* Frames [first, first+count) free and everything else not, in the whole range. */
static void assert_free_exactly(const struct frame_alloc *fa, u64 first, u64 count)
{
	for (u64 f = 0; f < fa->frames; f++) {
		bool want = f >= first && f < first + count;

		if (frame_alloc_is_free(fa, f) != want)
			fail_msg("frame %llu: free %d, expected %d", f, !want, want);
	}
}

static u64 count_free(const struct frame_alloc *fa)
{
	u64 n = 0;

	for (u64 f = 0; f < fa->frames; f++)
		n += frame_alloc_is_free(fa, f);
	return n;
}

/* A copy of the allocator's whole state, to show a call changed nothing. */
struct snapshot {
	struct frame_alloc fa;
	u64 bitmap[FRAME_BITMAP_BYTES(FRAMES) / 8];
};

static void take_snapshot(const struct frame_alloc *fa, struct snapshot *s)
{
	assert_true(FRAME_BITMAP_BYTES(fa->frames) <= sizeof(s->bitmap));
	s->fa = *fa;
	memcpy(s->bitmap, fa->bitmap, FRAME_BITMAP_BYTES(fa->frames));
}

static void assert_unchanged(const struct frame_alloc *fa, const struct snapshot *s)
{
	assert_memory_equal(fa, &s->fa, sizeof(*fa));
	assert_memory_equal(fa->bitmap, s->bitmap, FRAME_BITMAP_BYTES(fa->frames));
}

/* --- init, add_usable, reserve ------------------------------------------------------------- */

static void test_init_marks_every_frame_unavailable(void **state)
{
	static const u64 sizes[] = { 1, 63, 64, 65, 128, FRAMES };
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 frame = 12345;

		fixture_reset(f, sizes[i]);

		assert_int_equal(f->fa.frames, sizes[i]);
		assert_int_equal(count_free(&f->fa), 0);
		assert_false(frame_alloc_is_free(&f->fa, sizes[i]));
		assert_int_equal(f->fa.usable, 0);
		assert_int_equal(f->fa.reserved, 0);
		assert_int_equal(f->fa.free, 0);
		assert_int_equal(f->fa.allocations, 0);
		assert_int_equal(f->fa.releases, 0);
		assert_int_equal(f->fa.failures, 0);
		assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), -ENOMEM);
		assert_int_equal(frame, 12345);
	}
}

static void test_init_clears_old_counters(void **state)
{
	struct fixture *f = *state;

	frame_alloc_add_usable(&f->fa, 0, P(10));
	frame_alloc_reserve(&f->fa, 0, P(1));
	frame_alloc_init(&f->fa, f->bitmap, FRAMES);
	assert_int_equal(count_free(&f->fa), 0);
	assert_int_equal(f->fa.usable, 0);
	assert_int_equal(f->fa.reserved, 0);
	assert_int_equal(f->fa.free, 0);
}

static void test_add_usable_frees_only_whole_frames_inside(void **state)
{
	static const struct {
		u64 base, len;
		u64 first, count;
	} cases[] = {
		{ P(1), P(3), 1, 3 },
		{ 0, P(2), 0, 2 },
		{ P(1) + 0x800, P(3), 2, 2 },		/* both edges partial */
		{ P(1) + 1, P(2) - 1, 2, 1 },		/* start partial, end aligned */
		{ P(1), P(2) + 0xfff, 1, 2 },		/* end partial */
		{ P(1) + 1, PAGE_SIZE - 1, 0, 0 },	/* inside one frame */
		{ 0x800, PAGE_SIZE, 0, 0 },		/* touches two frames, covers none */
		{ 0, PAGE_SIZE - 1, 0, 0 },
		{ P(5), 0, 0, 0 },
		{ P(FRAMES - 3), P(10), FRAMES - 3, 3 },	/* clipped at the end */
		{ P(FRAMES), P(10), 0, 0 },		/* beyond the end */
		{ P(7), UINT64_MAX, 7, FRAMES - 7 },	/* base + len wraps */
		{ 0, UINT64_MAX, 0, FRAMES },
	};

	struct fixture *f = *state;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		fixture_reset(f, FRAMES);

		frame_alloc_add_usable(&f->fa, cases[c].base, cases[c].len);
		assert_free_exactly(&f->fa, cases[c].first, cases[c].count);
		assert_int_equal(f->fa.usable, cases[c].count);
		assert_int_equal(f->fa.free, cases[c].count);
		assert_int_equal(f->fa.reserved, 0);
	}
}

/* A range in the last frame of the 64-bit address space holds no whole frame at all. */
static void test_add_usable_at_top_of_address_space_frees_nothing(void **state)
{
	static const struct {
		u64 base, len;
	} cases[] = {
		{ UINT64_MAX - 0xffe, 0x10 },	/* 0xfffffffffffff001 */
		{ UINT64_MAX - 0x7ff, 0x100 },
		{ UINT64_MAX, 1 },
	};

	struct fixture *f = *state;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		fixture_reset(f, FRAMES);

		frame_alloc_add_usable(&f->fa, cases[c].base, cases[c].len);
		assert_int_equal(f->fa.usable, 0);
		assert_int_equal(f->fa.free, 0);
		assert_int_equal(count_free(&f->fa), 0);
	}
}

static void test_add_usable_counts_overlapping_ranges_once(void **state)
{
	struct fixture *f = *state;

	frame_alloc_add_usable(&f->fa, P(10), P(20));
	frame_alloc_add_usable(&f->fa, P(15), P(20));	/* 15..34, overlapping 15..29 */
	frame_alloc_add_usable(&f->fa, P(10), P(20));	/* again */
	assert_free_exactly(&f->fa, 10, 25);
	assert_int_equal(f->fa.usable, 25);
	assert_int_equal(f->fa.free, 25);
}

static void test_add_usable_joins_split_frame_from_two_ranges(void **state)
{
	struct fixture *f = *state;

	/* Two ranges meeting inside frame 3: neither alone covers it, so it stays out. */
	frame_alloc_add_usable(&f->fa, P(1), P(2) + 0x800);
	frame_alloc_add_usable(&f->fa, P(3) + 0x800, P(2) - 0x800);
	assert_false(frame_alloc_is_free(&f->fa, 3));
	assert_true(frame_alloc_is_free(&f->fa, 2));
	assert_true(frame_alloc_is_free(&f->fa, 4));
	assert_int_equal(f->fa.usable, 3);
}

static void test_reserve_takes_every_frame_the_range_touches(void **state)
{
	static const struct {
		u64 base, len;
		u64 first, count;
	} cases[] = {
		{ P(1), P(1), 1, 1 },
		{ P(1) + 0x800, PAGE_SIZE, 1, 2 },
		{ P(2), 1, 2, 1 },
		{ P(3) - 1, 2, 2, 2 },
		{ P(4) - 1, 1, 3, 1 },
		{ P(5), 0, 0, 0 },
		{ 0, P(3) + 1, 0, 4 },
		{ P(60), P(10), 60, 4 },		/* past the RAM: only 60..63 count */
		{ P(62), UINT64_MAX, 62, 2 },		/* base + len wraps */
		{ P(FRAMES) + 5, P(4), 0, 0 },		/* beyond the allocator */
	};

	struct fixture *f = *state;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		fixture_reset(f, FRAMES);

		frame_alloc_add_usable(&f->fa, 0, P(64));
		frame_alloc_reserve(&f->fa, cases[c].base, cases[c].len);
		assert_int_equal(f->fa.reserved, cases[c].count);
		assert_int_equal(f->fa.usable, 64);
		assert_int_equal(f->fa.free, 64 - cases[c].count);
		for (u64 fr = 0; fr < 64; fr++) {
			bool taken = fr >= cases[c].first && fr < cases[c].first + cases[c].count;

			assert_int_equal(frame_alloc_is_free(&f->fa, fr), !taken);
		}
		assert_int_equal(count_free(&f->fa), f->fa.free);
	}
}

static void test_reserve_counts_only_frames_that_were_free(void **state)
{
	struct fixture *f = *state;
	u64 frame;

	frame_alloc_add_usable(&f->fa, P(4), P(8));		/* frames 4..11 */
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), 0);
	assert_int_equal(frame, 4);
	frame_alloc_reserve(&f->fa, 0, P(16));		/* holes, RAM, one allocated */
	assert_int_equal(f->fa.reserved, 7);
	assert_int_equal(f->fa.free, 0);
	frame_alloc_reserve(&f->fa, P(6), P(2));		/* already reserved */
	assert_int_equal(f->fa.reserved, 7);
	assert_int_equal(f->fa.free, 0);
	assert_int_equal(f->fa.usable, 8);
}

/* --- get and put --------------------------------------------------------------------------- */

static void test_get_returns_aligned_contiguous_free_frames(void **state)
{
	static const struct {
		u64 count, align;
	} cases[] = {
		{ 1, 1 }, { 1, 2 }, { 3, 1 }, { 3, 4 }, { 1, 64 }, { 16, 16 }, { 64, 64 },
		{ 5, 8 }, { 100, 1 }, { 2, 128 }, { 1, 1 }, { 7, 2 }, { 65, 1 }, { 1, 256 },
	};
	struct fixture *f = *state;

	/* RAM in pieces, some frames reserved, so searches must skip holes. */
	frame_alloc_add_usable(&f->fa, P(3), P(200));
	frame_alloc_add_usable(&f->fa, P(250), P(FRAMES - 250));
	frame_alloc_reserve(&f->fa, P(100), P(3));
	frame_alloc_reserve(&f->fa, P(512) + 10, 10);

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		u64 free_before = f->fa.free, allocs = f->fa.allocations;
		u64 frame = UINT64_MAX;
		int ret = frame_alloc_get(&f->fa, cases[c].count, cases[c].align, &frame);

		assert_int_equal(ret, 0);
		assert_true(frame < FRAMES);
		assert_true(frame + cases[c].count <= FRAMES);
		assert_int_equal(frame % cases[c].align, 0);
		for (u64 i = 0; i < cases[c].count; i++) {
			u64 fr = frame + i;

			assert_false(frame_alloc_is_free(&f->fa, fr));
			/* Never a hole, never reserved. */
			assert_true((fr >= 3 && fr < 203) || fr >= 250);
			assert_true(fr < 100 || fr > 102);
			assert_true(fr != 512);
		}
		assert_int_equal(f->fa.free, free_before - cases[c].count);
		assert_int_equal(f->fa.allocations, allocs + 1);
		assert_int_equal(count_free(&f->fa), f->fa.free);
	}
	assert_int_equal(f->fa.failures, 0);
}

static void test_get_hands_out_every_usable_frame_once_and_never_a_reserved_one(void **state)
{
	struct fixture *f = *state;
	static bool seen[FRAMES];
	u64 frame, got = 0;

	memset(seen, 0, sizeof(seen));
	frame_alloc_add_usable(&f->fa, 0, P(FRAMES));
	frame_alloc_reserve(&f->fa, 0, P(1));
	frame_alloc_reserve(&f->fa, P(63), P(2));		/* across a bitmap word */
	frame_alloc_reserve(&f->fa, P(FRAMES - 1), 1);
	for (u64 fr = 300; fr < 400; fr += 3)
		frame_alloc_reserve(&f->fa, P(fr), 1);

	while (frame_alloc_get(&f->fa, 1, 1, &frame) == 0) {
		assert_true(frame < FRAMES);
		assert_false(seen[frame]);
		seen[frame] = true;
		got++;
	}
	assert_int_equal(got, f->fa.usable - f->fa.reserved);
	assert_false(seen[0]);
	assert_false(seen[63]);
	assert_false(seen[64]);
	assert_false(seen[FRAMES - 1]);
	for (u64 fr = 300; fr < 400; fr++)
		assert_int_equal(seen[fr], (fr - 300) % 3 != 0);
	assert_int_equal(f->fa.free, 0);
	assert_int_equal(f->fa.failures, 1);
}

static void test_get_rejects_bad_arguments_without_counting_a_failure(void **state)
{
	static const struct {
		u64 count, align;
	} cases[] = {
		{ 0, 1 }, { 1, 0 }, { 1, 3 }, { 2, 6 }, { 1, 12 }, { 1, UINT64_MAX }, { 0, 0 },
	};
	struct fixture *f = *state;
	struct snapshot snap;

	frame_alloc_add_usable(&f->fa, 0, P(FRAMES));
	take_snapshot(&f->fa, &snap);
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		u64 frame = 777;

		assert_int_equal(frame_alloc_get(&f->fa, cases[c].count, cases[c].align, &frame),
				 -EINVAL);
		assert_int_equal(frame, 777);
		assert_unchanged(&f->fa, &snap);
	}
}

static void test_get_fails_with_enomem_when_no_run_fits(void **state)
{
	static const struct {
		u64 count, align;
	} cases[] = {
		{ 2, 1 },		/* only single frames are free */
		{ 1, 2 },		/* every free frame is odd */
		{ 1, 1024 },		/* beyond the allocator */
		{ 501, 1 },		/* more than is free */
		{ UINT64_MAX, 1 },
		{ 1, 1ULL << 63 },
	};
	struct fixture *f = *state;
	u64 frame;

	/* Odd frames free: 500 of them, none adjacent. */
	for (u64 fr = 1; fr < FRAMES; fr += 2)
		frame_alloc_add_usable(&f->fa, P(fr), P(1));
	assert_int_equal(f->fa.free, 500);

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		struct snapshot snap;

		frame = 4242;
		take_snapshot(&f->fa, &snap);
		assert_int_equal(frame_alloc_get(&f->fa, cases[c].count, cases[c].align, &frame),
				 -ENOMEM);
		assert_int_equal(frame, 4242);
		assert_int_equal(f->fa.failures, snap.fa.failures + 1);
		snap.fa.failures++;
		snap.fa.hint = f->fa.hint;
		assert_unchanged(&f->fa, &snap);
	}
	/* A single frame still comes out. */
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), 0);
	assert_int_equal(frame % 2, 1);
}

static void test_get_after_exhaustion_fails_until_a_put(void **state)
{
	struct fixture *f = *state;
	u64 frame, first;

	frame_alloc_add_usable(&f->fa, P(10), P(5));
	assert_int_equal(frame_alloc_get(&f->fa, 5, 1, &first), 0);
	assert_int_equal(first, 10);
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), -ENOMEM);
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), -ENOMEM);
	assert_int_equal(f->fa.failures, 2);
	assert_int_equal(f->fa.allocations, 1);

	assert_int_equal(frame_alloc_put(&f->fa, 12, 1), 0);
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), 0);
	assert_int_equal(frame, 12);
	assert_int_equal(f->fa.failures, 2);
	assert_int_equal(f->fa.allocations, 2);
}

static void test_get_finds_free_frames_below_earlier_allocations(void **state)
{
	struct fixture *f = *state;
	u64 frame;

	/* An aligned single frame lies above unaligned free ones, which must still be found. */
	frame_alloc_add_usable(&f->fa, P(1), P(16));		/* frames 1..16 */
	assert_int_equal(frame_alloc_get(&f->fa, 1, 16, &frame), 0);
	assert_int_equal(frame, 16);
	for (u64 i = 1; i < 16; i++) {
		assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), 0);
		assert_true(frame >= 1 && frame < 16);
	}
	assert_int_equal(f->fa.free, 0);
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &frame), -ENOMEM);

	/* A run given back below the last allocation is found again, for any count. */
	assert_int_equal(frame_alloc_put(&f->fa, 4, 4), 0);
	assert_int_equal(frame_alloc_get(&f->fa, 4, 4, &frame), 0);
	assert_int_equal(frame, 4);
}

static void test_put_returns_frames_for_reuse(void **state)
{
	struct fixture *f = *state;
	u64 a, b, c;

	frame_alloc_add_usable(&f->fa, 0, P(FRAMES));
	assert_int_equal(frame_alloc_get(&f->fa, 8, 8, &a), 0);
	assert_int_equal(frame_alloc_get(&f->fa, 1, 1, &b), 0);
	assert_int_equal(f->fa.free, FRAMES - 9);

	assert_int_equal(frame_alloc_put(&f->fa, a, 8), 0);
	for (u64 i = 0; i < 8; i++)
		assert_true(frame_alloc_is_free(&f->fa, a + i));
	assert_false(frame_alloc_is_free(&f->fa, b));
	assert_int_equal(f->fa.free, FRAMES - 1);
	assert_int_equal(f->fa.releases, 1);

	/* Part of an allocation may go back on its own. */
	assert_int_equal(frame_alloc_get(&f->fa, 4, 4, &c), 0);
	assert_int_equal(frame_alloc_put(&f->fa, c + 1, 2), 0);
	assert_false(frame_alloc_is_free(&f->fa, c));
	assert_true(frame_alloc_is_free(&f->fa, c + 1));
	assert_true(frame_alloc_is_free(&f->fa, c + 2));
	assert_false(frame_alloc_is_free(&f->fa, c + 3));
	assert_int_equal(f->fa.releases, 2);
	assert_int_equal(f->fa.free, FRAMES - 3);
	assert_int_equal(count_free(&f->fa), f->fa.free);
}

static void test_put_of_free_or_out_of_range_frames_changes_nothing(void **state)
{
	static const struct {
		u64 frame, count;
	} cases[] = {
		{ 20, 1 },			/* never allocated: a double free */
		{ 8, 4 },			/* allocated 8..9, free 10..11 */
		{ 7, 3 },			/* free 7, allocated 8..9 */
		{ 8, 0 },
		{ FRAMES, 1 },
		{ FRAMES - 2, 3 },		/* runs past the end */
		{ 8, UINT64_MAX },
		{ UINT64_MAX, 1 },
		{ UINT64_MAX, UINT64_MAX },
		{ 2, UINT64_MAX - 1 },		/* frame + count wraps */
	};
	struct fixture *f = *state;
	struct snapshot snap;
	u64 frame;

	frame_alloc_add_usable(&f->fa, 0, P(FRAMES));
	frame_alloc_reserve(&f->fa, 0, P(4));		/* 4..7 stay free */
	assert_int_equal(frame_alloc_get(&f->fa, 2, 8, &frame), 0);
	assert_int_equal(frame, 8);
	/* The last two frames allocated, so a range past the end starts with used frames. */
	frame_alloc_reserve(&f->fa, P(FRAMES - 2), P(2));

	take_snapshot(&f->fa, &snap);
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		assert_int_equal(frame_alloc_put(&f->fa, cases[c].frame, cases[c].count), -EINVAL);
		assert_unchanged(&f->fa, &snap);
	}

	/* A double free after a good put is refused too. */
	assert_int_equal(frame_alloc_put(&f->fa, 8, 2), 0);
	take_snapshot(&f->fa, &snap);
	assert_int_equal(frame_alloc_put(&f->fa, 8, 2), -EINVAL);
	assert_int_equal(frame_alloc_put(&f->fa, 9, 1), -EINVAL);
	assert_unchanged(&f->fa, &snap);
	assert_int_equal(f->fa.releases, 1);
}

static void test_counters_stay_consistent(void **state)
{
	struct fixture *f = *state;
	u64 a, b, c;

	frame_alloc_add_usable(&f->fa, 0, P(100));
	frame_alloc_add_usable(&f->fa, P(200), P(50));
	frame_alloc_reserve(&f->fa, P(90), P(20));	/* 10 usable inside */
	assert_int_equal(f->fa.usable, 150);
	assert_int_equal(f->fa.reserved, 10);
	assert_int_equal(f->fa.free, 140);

	assert_int_equal(frame_alloc_get(&f->fa, 10, 1, &a), 0);
	assert_int_equal(frame_alloc_get(&f->fa, 40, 1, &b), 0);
	assert_int_equal(frame_alloc_get(&f->fa, 51, 1, &c), -ENOMEM);	/* runs: 40 and 50 */
	assert_int_equal(frame_alloc_get(&f->fa, 1, 32, &c), 0);
	assert_int_equal(frame_alloc_put(&f->fa, b, 40), 0);
	assert_int_equal(frame_alloc_put(&f->fa, b, 40), -EINVAL);

	assert_int_equal(f->fa.usable, 150);
	assert_int_equal(f->fa.reserved, 10);
	assert_int_equal(f->fa.allocations, 3);
	assert_int_equal(f->fa.releases, 1);
	assert_int_equal(f->fa.failures, 1);
	assert_int_equal(f->fa.free, 150 - 10 - 11);
	assert_int_equal(count_free(&f->fa), f->fa.free);
}

/* --- randomized against a model ------------------------------------------------------------ */

#define RAND_FRAMES 1500
#define RAND_OPS 30000
#define RAND_LIVE 200

enum model_state { M_HOLE, M_RESERVED, M_FREE, M_TAKEN };

struct allocation {
	u64 frame, count;
};

static u64 rng_state;

static u64 rng_next(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static u64 rng_below(u64 n)
{
	return rng_next() % n;
}

/* Whether the model has count free frames starting at a multiple of align. */
static bool model_fits(const u8 *model, u64 frames, u64 count, u64 align)
{
	for (u64 f = 0; f + count <= frames; f += align) {
		u64 i = 0;

		while (i < count && model[f + i] == M_FREE)
			i++;
		if (i == count)
			return true;
	}
	return false;
}

static void model_check(const struct frame_alloc *fa, const u8 *model, u64 frames)
{
	u64 free = 0;

	for (u64 f = 0; f < frames; f++) {
		if (frame_alloc_is_free(fa, f) != (model[f] == M_FREE))
			fail_msg("frame %llu: allocator and model differ (model %u)", f, model[f]);
		free += model[f] == M_FREE;
	}
	assert_int_equal(fa->free, free);
}

static void test_random_get_put_matches_model(void **state)
{
	static u8 model[RAND_FRAMES];
	static struct allocation live[RAND_LIVE];
	struct fixture *f = *state;
	u64 nlive = 0, allocs = 0, releases = 0, failures = 0, usable = 0, reserved = 0;

	fixture_reset(f, RAND_FRAMES);
	rng_state = 0x9e3779b97f4a7c15ULL;
	memset(model, M_HOLE, sizeof(model));

	/* RAM in ranges with unaligned edges, then a few reserved ranges. */
	for (u64 base = 0; base < P(RAND_FRAMES);) {
		u64 len = P(1 + rng_below(120)) + rng_below(PAGE_SIZE);

		if (rng_below(4)) {
			frame_alloc_add_usable(&f->fa, base, len);
			for (u64 fr = ALIGN_UP(base, PAGE_SIZE) / PAGE_SIZE;
			     fr < (base + len) / PAGE_SIZE && fr < RAND_FRAMES; fr++)
				if (model[fr] == M_HOLE) {
					model[fr] = M_FREE;
					usable++;
				}
		}
		base += len + rng_below(P(8));
	}
	for (int i = 0; i < 12; i++) {
		u64 base = rng_below(P(RAND_FRAMES)), len = 1 + rng_below(P(6));

		frame_alloc_reserve(&f->fa, base, len);
		for (u64 fr = base / PAGE_SIZE; fr <= (base + len - 1) / PAGE_SIZE; fr++)
			if (fr < RAND_FRAMES && model[fr] == M_FREE) {
				model[fr] = M_RESERVED;
				reserved++;
			}
	}
	assert_int_equal(f->fa.usable, usable);
	assert_int_equal(f->fa.reserved, reserved);
	model_check(&f->fa, model, RAND_FRAMES);

	for (int op = 0; op < RAND_OPS; op++) {
		bool do_get = nlive == 0 || (nlive < RAND_LIVE && rng_below(100) < 55);

		if (do_get) {
			u64 count = rng_below(8) ? 1 + rng_below(4) : 1 + rng_below(40);
			u64 align = 1ULL << rng_below(rng_below(4) ? 1 : 7);
			u64 frame = UINT64_MAX;
			int ret = frame_alloc_get(&f->fa, count, align, &frame);

			if (ret == 0) {
				assert_int_equal(frame % align, 0);
				assert_true(frame + count <= RAND_FRAMES);
				for (u64 i = 0; i < count; i++) {
					if (model[frame + i] != M_FREE)
						fail_msg("frame %llu handed out while in state %u",
							 frame + i, model[frame + i]);
					model[frame + i] = M_TAKEN;
				}
				live[nlive++] = (struct allocation){ frame, count };
				allocs++;
			} else {
				assert_int_equal(ret, -ENOMEM);
				assert_false(model_fits(model, RAND_FRAMES, count, align));
				failures++;
			}
		} else {
			u64 i = rng_below(nlive);
			struct allocation a = live[i];

			assert_int_equal(frame_alloc_put(&f->fa, a.frame, a.count), 0);
			/* Now and then a double free, which must be refused. */
			if (rng_below(10) == 0) {
				int ret = frame_alloc_put(&f->fa, a.frame, a.count);

				assert_int_equal(ret, -EINVAL);
			}
			for (u64 k = 0; k < a.count; k++)
				model[a.frame + k] = M_FREE;
			live[i] = live[--nlive];
			releases++;
		}
		if (op % 500 == 0)
			model_check(&f->fa, model, RAND_FRAMES);
		assert_int_equal(f->fa.allocations, allocs);
		assert_int_equal(f->fa.releases, releases);
		assert_int_equal(f->fa.failures, failures);
	}
	/* Everything back: exactly the usable, unreserved frames are free. */
	while (nlive) {
		nlive--;
		assert_int_equal(frame_alloc_put(&f->fa, live[nlive].frame, live[nlive].count), 0);
		for (u64 k = 0; k < live[nlive].count; k++)
			model[live[nlive].frame + k] = M_FREE;
	}
	model_check(&f->fa, model, RAND_FRAMES);
	assert_int_equal(f->fa.free, usable - reserved);
	assert_true(allocs > 1000);
	assert_true(failures > 0);
}

static void test_get_keeping_leaves_the_reserve_and_counts_no_failure(void **state)
{
	struct fixture *f = *state;
	u64 frame;

	frame_alloc_add_usable(&f->fa, 0, P(100));
	/* 100 free: 90 would leave 10, fewer than the 11 to keep. */
	assert_int_equal(frame_alloc_get_keeping(&f->fa, 90, 1, 11, &frame), -ENOSPC);
	assert_int_equal(f->fa.free, 100);
	assert_int_equal(f->fa.failures, 0);
	assert_int_equal(frame_alloc_get_keeping(&f->fa, 200, 1, 0, &frame), -ENOSPC);
	/* Exactly the reserve left is allowed, and the frames are allocated. */
	assert_int_equal(frame_alloc_get_keeping(&f->fa, 90, 1, 10, &frame), 0);
	assert_int_equal(f->fa.free, 10);
	assert_false(frame_alloc_is_free(&f->fa, frame));
	/* The host's own allocations may use the reserve. */
	assert_int_equal(frame_alloc_get(&f->fa, 10, 1, &frame), 0);
	assert_int_equal(frame_alloc_get_keeping(&f->fa, 0, 1, 0, &frame), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_init_marks_every_frame_unavailable),
		T(test_init_clears_old_counters),
		T(test_add_usable_frees_only_whole_frames_inside),
		T(test_add_usable_at_top_of_address_space_frees_nothing),
		T(test_add_usable_counts_overlapping_ranges_once),
		T(test_add_usable_joins_split_frame_from_two_ranges),
		T(test_reserve_takes_every_frame_the_range_touches),
		T(test_reserve_counts_only_frames_that_were_free),
		T(test_get_returns_aligned_contiguous_free_frames),
		T(test_get_hands_out_every_usable_frame_once_and_never_a_reserved_one),
		T(test_get_rejects_bad_arguments_without_counting_a_failure),
		T(test_get_fails_with_enomem_when_no_run_fits),
		T(test_get_after_exhaustion_fails_until_a_put),
		T(test_get_finds_free_frames_below_earlier_allocations),
		T(test_put_returns_frames_for_reuse),
		T(test_put_of_free_or_out_of_range_frames_changes_nothing),
		T(test_counters_stay_consistent),
		T(test_random_get_put_matches_model),
		T(test_get_keeping_leaves_the_reserve_and_counts_no_failure),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
