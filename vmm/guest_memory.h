/* SPDX-License-Identifier: MIT */
/*
 * A VM's RAM: one contiguous run of host memory seen by the guest from guest-physical 0, and
 * the second-level page tables (NPT or EPT) that map exactly that and nothing else.
 */
#ifndef VIREO_VMM_GUEST_MEMORY_H
#define VIREO_VMM_GUEST_MEMORY_H

#include "arch/x86/pgtable.h"
#include "kernel/types.h"

struct guest_memory {
	u64 size;		/* bytes, a multiple of 2 MiB */
	u64 host_base;		/* host-physical address of guest-physical 0 */
	struct pt slat;		/* guest-physical -> host-physical */
};

/*
 * Allocate size bytes (zeroed; 2 MiB aligned, 1 GiB aligned when that lets fmt use 1 GiB
 * leaves) and map them from guest-physical 0 with fmt's entries, in the largest leaves the
 * format allows. Returns 0 or -ENOMEM (nothing kept).
 */
int guest_memory_init(struct guest_memory *m, u64 size, const struct pt_format *fmt);

/* Free the RAM and the tables. */
void guest_memory_destroy(struct guest_memory *m);

/* A host pointer to [gpa, gpa+len) when all of it is guest RAM, else NULL. */
void *guest_memory_ptr(const struct guest_memory *m, u64 gpa, u64 len);

/* Copy out of or into guest RAM; -EFAULT when the range is not all RAM. */
int guest_memory_read(const struct guest_memory *m, u64 gpa, void *buf, u64 len);
int guest_memory_write(struct guest_memory *m, u64 gpa, const void *buf, u64 len);

#endif
