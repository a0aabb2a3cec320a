/* SPDX-License-Identifier: MIT */
/* The POST code port (0x80): firmware and guests write progress codes to it. */
#ifndef VIREO_VMM_DEV_VPOST_H
#define VIREO_VMM_DEV_VPOST_H

#include "vmm/pio.h"

struct vpost {
	u8 last_code;
	u64 writes;
};

/* The device is a struct vpost; reads return the last code written. */
extern const struct pio_ops vpost_ops;

#endif
