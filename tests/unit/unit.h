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

#endif
