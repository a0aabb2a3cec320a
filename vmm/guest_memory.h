/* SPDX-License-Identifier: MIT */
/*
 * A VM's RAM: one contiguous run of host memory that the guest sees as the ranges of
 * vmm/guest_ram.h (from guest-physical 0, going on at 4 GiB past the device hole), and the
 * second-level page tables (NPT or EPT) that map exactly those and nothing else: an access
 * anywhere else is a memory exit, for a device or for the VM's end.
 */
#ifndef VIREO_VMM_GUEST_MEMORY_H
#define VIREO_VMM_GUEST_MEMORY_H

#include "arch/x86/pgtable.h"
#include "kernel/types.h"
#include "vmm/guest_ram.h"

struct guest_memory {
	u64 size;		/* bytes of RAM in all, a multiple of 2 MiB */
	u64 host_base;		/* host-physical address of the RAM's block */
	struct guest_ram_map ram;	/* where the block appears to the guest */
	struct pt slat;		/* guest-physical -> host-physical */
};

/*
 * Allocate size bytes (zeroed; 2 MiB aligned, 1 GiB aligned when that lets fmt use 1 GiB
 * leaves), lay them out around the device hole and map each range with fmt's entries, in the
 * largest leaves the format allows. Returns 0, -ENOSPC when the RAM would take the host's
 * reserve (MEMORY_HOST_RESERVE), or -ENOMEM (nothing kept either way).
 */
int guest_memory_init(struct guest_memory *m, u64 size, const struct pt_format *fmt);

/* Free the RAM and the tables. */
void guest_memory_destroy(struct guest_memory *m);

/* The guest-physical end of the RAM below the device hole, where the boot data goes. */
static inline u64 guest_memory_low_end(const struct guest_memory *m)
{
	return m->ram.range[0].size;	/* the first range starts at 0 */
}

/* A host pointer to [gpa, gpa+len) when all of it is in one range of RAM, else NULL. */
void *guest_memory_ptr(const struct guest_memory *m, u64 gpa, u64 len);

/* Copy out of or into guest RAM; -EFAULT when the range is not all RAM. */
int guest_memory_read(const struct guest_memory *m, u64 gpa, void *buf, u64 len);
int guest_memory_write(struct guest_memory *m, u64 gpa, const void *buf, u64 len);

#endif
