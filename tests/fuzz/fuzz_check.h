/* SPDX-License-Identifier: MIT */
/* The harnesses' check: abort, naming the invariant broken, so the report says which one. */
#ifndef VIREO_TESTS_FUZZ_FUZZ_CHECK_H
#define VIREO_TESTS_FUZZ_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
	abort();
}

#define fuzz_check(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

#endif
