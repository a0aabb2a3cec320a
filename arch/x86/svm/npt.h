/* SPDX-License-Identifier: MIT */
/* The AMD-V nested page table entry format, for the shared page-table builder. */
#ifndef VIREO_ARCH_X86_SVM_NPT_H
#define VIREO_ARCH_X86_SVM_NPT_H

#include "arch/x86/pgtable.h"

/*
 * Nested page tables use the long-mode format (APM 15.25.5). Every level needs U/S set: guest
 * accesses are checked as user accesses at the nested level. Leaves are 4 KiB or 2 MiB here;
 * the backend adds 1 GiB leaves when the CPU has them.
 */
extern const struct pt_format npt_format;

#endif
