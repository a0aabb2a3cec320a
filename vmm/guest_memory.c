/* SPDX-License-Identifier: MIT */
/* A VM's RAM and its second-level tables, built by the shared page-table builder. */
#include "vmm/guest_memory.h"
#include "arch/x86/paging.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/string.h"

static const struct gpa_range device_hole = {
	GUEST_DEVICE_HOLE_START, GUEST_DEVICE_HOLE_END - GUEST_DEVICE_HOLE_START
};

static int map_ranges(struct guest_memory *m)
{
	for (u32 i = 0; i < m->ram.count; i++) {
		const struct ram_range *r = &m->ram.range[i];

		if (pt_map(&m->slat, r->gpa, m->host_base + r->host_offset, r->size, PT_RWX) < 0)
			return -ENOMEM;
	}
	return 0;
}

int guest_memory_init(struct guest_memory *m, u64 size, const struct pt_format *fmt)
{
	int err = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->size = ALIGN_UP(size, 2 * MiB);
	if (guest_ram_layout(&m->ram, m->size, &device_hole, 1) < 0)
		return -EINVAL;
	/* 1 GiB alignment lets the tables use 1 GiB leaves where the format has them. */
	if (m->size >= GiB && (fmt->leaf_levels & PT_LEAF_1G))
		err = frames_alloc_guest(m->size / PAGE_SIZE, GiB, &m->host_base);
	if (err == -ENOMEM)
		err = frames_alloc_guest(m->size / PAGE_SIZE, 2 * MiB, &m->host_base);
	if (err < 0)
		return err;
	if (pt_init(&m->slat, fmt, &host_frame_pt_ops, NULL) < 0 || map_ranges(m) < 0) {
		guest_memory_destroy(m);
		return -ENOMEM;
	}
	return 0;
}

void guest_memory_destroy(struct guest_memory *m)
{
	pt_destroy(&m->slat);
	if (m->host_base)
		frames_free(m->host_base, m->size / PAGE_SIZE);
	m->host_base = 0;
	m->size = 0;
}

void *guest_memory_ptr(const struct guest_memory *m, u64 gpa, u64 len)
{
	u64 offset;

	if (!guest_ram_find(&m->ram, gpa, len, &offset))
		return NULL;
	return phys_to_virt(m->host_base + offset);
}

int guest_memory_read(const struct guest_memory *m, u64 gpa, void *buf, u64 len)
{
	const void *p = guest_memory_ptr(m, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int guest_memory_write(struct guest_memory *m, u64 gpa, const void *buf, u64 len)
{
	void *p = guest_memory_ptr(m, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}
