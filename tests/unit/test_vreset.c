/* SPDX-License-Identifier: MIT */
/* Host unit tests of the reset ports 0xCF9 and 0x92: which writes reset, what reads back. */
#include "tests/unit/unit.h"
#include "vmm/dev/vreset.h"

struct sink {
	u32 resets;
	const char *how;
};

static void record(void *ctx, const char *how)
{
	struct sink *s = ctx;

	s->resets++;
	s->how = how;
}

static void setup(struct vreset *r, struct sink *s)
{
	memset(r, 0xff, sizeof(*r));
	memset(s, 0, sizeof(*s));
	r->reset = record;
	r->reset_ctx = s;
	vreset_init(r);
}

static void test_cf9_resets_on_rst_cpu_only(void **state)
{
	struct vreset r;
	struct sink s;
	(void)state;

	setup(&r, &s);
	assert_int_equal(vreset_ops.read(&r, 0xcf9, 1), 0);
	vreset_ops.write(&r, 0xcf9, 1, 0x02);	/* SYS_RST alone: no reset, reads back */
	assert_int_equal(s.resets, 0);
	assert_int_equal(vreset_ops.read(&r, 0xcf9, 1), 0x02);
	vreset_ops.write(&r, 0xcf9, 1, 0x06);
	assert_int_equal(s.resets, 1);
	assert_non_null(strstr(s.how, "0xcf9"));
	vreset_ops.write(&r, 0xcf9, 1, 0x0e);
	assert_int_equal(s.resets, 2);
	assert_int_equal(vreset_ops.read(&r, 0xcf9, 1), 0x0a);	/* RST_CPU reads 0 */
	vreset_ops.write(&r, 0xcf9, 1, 0x08);
	assert_int_equal(s.resets, 2);
}

static void test_port_92_fast_reset_and_a20(void **state)
{
	struct vreset r;
	struct sink s;
	(void)state;

	setup(&r, &s);
	vreset_ops.write(&r, 0x92, 1, 0x02);	/* A20 on */
	assert_int_equal(s.resets, 0);
	assert_int_equal(vreset_ops.read(&r, 0x92, 1), 0x02);
	vreset_ops.write(&r, 0x92, 1, 0x03);
	assert_int_equal(s.resets, 1);
	assert_non_null(strstr(s.how, "0x92"));
	assert_int_equal(vreset_ops.read(&r, 0x92, 1), 0x02);	/* fast reset reads 0 */
	vreset_ops.write(&r, 0x92, 1, 0x00);
	assert_int_equal(vreset_ops.read(&r, 0x92, 1), 0);
	assert_int_equal(s.resets, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cf9_resets_on_rst_cpu_only),
		cmocka_unit_test(test_port_92_fast_reset_and_a20),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
