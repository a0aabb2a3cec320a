/* SPDX-License-Identifier: MIT */
/* The VGA text screen as a second console, for PCs without a serial cable. */
#ifndef VIREO_DRIVERS_VGA_TEXT_H
#define VIREO_DRIVERS_VGA_TEXT_H

#include "kernel/types.h"

/*
 * Use the 80x25 text buffer at phys (normally 0xb8000), reached through the direct map,
 * as a console: clear it and register it.
 */
void vga_text_init(u64 phys, u32 columns, u32 rows);

#endif
