/* SPDX-License-Identifier: MIT */
/* A VM's RAM and its second-level tables, built by the shared page-table builder. */
#include "vmm/guest_memory.h"
#include "arch/x86/paging.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/string.h"

int guest_memory_init(struct guest_memory *m, u64 size, const struct pt_format *fmt)
{
	memset(m, 0, sizeof(*m));
	m->size = ALIGN_UP(size, 2 * MiB);
	/* 1 GiB alignment lets the tables use 1 GiB leaves where the format has them. */
	if (m->size >= GiB && (fmt->leaf_levels & PT_LEAF_1G))
		m->host_base = frames_alloc_aligned(m->size / PAGE_SIZE, GiB);
	if (!m->host_base)
		m->host_base = frames_alloc_aligned(m->size / PAGE_SIZE, 2 * MiB);
	if (!m->host_base)
		return -ENOMEM;
	if (pt_init(&m->slat, fmt, &host_frame_pt_ops, NULL) < 0 ||
	    pt_map(&m->slat, 0, m->host_base, m->size, PT_RWX) < 0) {
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
	if (gpa >= m->size || len > m->size - gpa)
		return NULL;
	return phys_to_virt(m->host_base + gpa);
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
