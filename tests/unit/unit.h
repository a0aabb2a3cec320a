/* SPDX-License-Identifier: MIT */
/* Common includes of the host unit tests (cmocka, built with ASan and UBSan). */
#ifndef VIREO_TESTS_UNIT_H
#define VIREO_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/types.h"

/* Which case of a table-driven test is running, for failure messages (set with snprintf). */
static char unit_label[160] __attribute__((unused));

/* Compare two integers and, when they differ, fail naming the case and both values. */
#define EXPECT_EQ(got, want)								\
	do {										\
		u64 got_ = (got), want_ = (want);					\
		if (got_ != want_)							\
			fail_msg("%s: %s is %#llx, expected %#llx", unit_label, #got,	\
				 got_, want_);						\
	} while (0)

#endif
