/* SPDX-License-Identifier: MIT */
/* The Intel EPT entry format, for the shared page-table builder. */
#ifndef VIREO_ARCH_X86_VMX_EPT_H
#define VIREO_ARCH_X86_VMX_EPT_H

#include "arch/x86/pgtable.h"

/*
 * EPT entries (SDM 29.3.2): read, write and execute bits instead of present and NX, and a
 * memory type on leaves (write-back here, or uncached). Leaves are 4 KiB or 2 MiB here; the
 * backend adds 1 GiB leaves when the CPU has them.
 */
extern const struct pt_format ept_format;

#endif
