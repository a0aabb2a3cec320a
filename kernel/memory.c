/* SPDX-License-Identifier: MIT */
/* The machine's memory: the frame allocator over the boot memory map, and the kernel heap. */
#include "kernel/memory.h"
#include "arch/x86/paging.h"
#include "kernel/format.h"
#include "kernel/heap.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

#define LOW_MEMORY_END (1 * MiB)	/* BIOS data, option ROMs and the AP trampoline live here */
#define MAX_RESERVATIONS (BOOT_MODULES_MAX + 4)

extern const u8 __kernel_phys_start[], __kernel_phys_end[];

struct range {
	u64 base, end;
};

static struct frame_alloc frames;
static struct spinlock frames_lock = SPINLOCK_INIT;
static struct heap kernel_heap;
static struct spinlock heap_lock = SPINLOCK_INIT;
static u64 ram_top;

static const char *mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI_RECLAIMABLE: return "ACPI tables";
	case BOOT_MEM_ACPI_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "bad RAM";
	default: return "other";
	}
}

/* The ranges no frame may come from: low memory, the kernel, the boot data, the modules. */
static u32 collect_reservations(const struct boot_info *bi, struct range *r)
{
	u32 n = 0;

	r[n++] = (struct range){ 0, LOW_MEMORY_END };
	r[n++] = (struct range){ (u64)__kernel_phys_start, (u64)__kernel_phys_end };
	r[n++] = (struct range){ bi->info_phys, bi->info_phys + bi->info_size };
	for (u32 i = 0; i < bi->module_count; i++)
		r[n++] = (struct range){ bi->modules[i].start, bi->modules[i].end };
	return n;
}

/*
 * Find room for the allocator's own bitmap: inside usable RAM below the 4 GiB the boot tables
 * map, clear of every reservation.
 */
static u64 place_bitmap(const struct boot_info *bi, const struct range *res, u32 nres, u64 size)
{
	for (u32 i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];
		u64 end = MIN(e->base + e->length, 4 * GiB);
		u64 at = ALIGN_UP(MAX(e->base, LOW_MEMORY_END), PAGE_SIZE);
		bool moved = true;

		if (e->type != BOOT_MEM_USABLE)
			continue;
		while (moved && at + size <= end) {
			moved = false;
			for (u32 j = 0; j < nres; j++) {
				if (at < res[j].end && res[j].base < at + size) {
					at = ALIGN_UP(res[j].end, PAGE_SIZE);
					moved = true;
				}
			}
		}
		if (!moved && at + size <= end)
			return at;
	}
	return 0;
}

/* With no memory map, the basic tag still tells the RAM below 640 KiB and above 1 MiB. */
static void synthesize_map(struct boot_info *bi)
{
	bi->mmap[0] = (struct boot_mmap_entry){ 0, (u64)bi->mem_lower_kib * KiB, BOOT_MEM_USABLE };
	bi->mmap[1] = (struct boot_mmap_entry){ MiB, (u64)bi->mem_upper_kib * KiB, BOOT_MEM_USABLE };
	bi->mmap_count = 2;
	pr_warn("memory: the boot loader gave no memory map; using its basic memory sizes\n");
}

void memory_init(struct boot_info *bi)
{
	struct range res[MAX_RESERVATIONS];
	u32 nres;
	u64 nframes, bitmap_size, bitmap;

	if (bi->mmap_count == 0 && bi->has_meminfo)
		synthesize_map(bi);
	if (bi->mmap_count == 0)
		panic("memory: the boot loader described no memory at all");
	for (u32 i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == BOOT_MEM_USABLE)
			ram_top = MAX(ram_top, bi->mmap[i].base + bi->mmap[i].length);
	nframes = ram_top / PAGE_SIZE;
	bitmap_size = ALIGN_UP(FRAME_BITMAP_BYTES(nframes), PAGE_SIZE);
	nres = collect_reservations(bi, res);
	bitmap = place_bitmap(bi, res, nres, bitmap_size);
	if (!bitmap)
		panic("memory: no room below 4 GiB for the frame bitmap (%llu KiB)", bitmap_size / KiB);

	frame_alloc_init(&frames, phys_to_virt(bitmap), nframes);
	for (u32 i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type == BOOT_MEM_USABLE)
			frame_alloc_add_usable(&frames, bi->mmap[i].base, bi->mmap[i].length);
	/* Firmware maps may overlap: whatever any entry calls non-usable stays unavailable. */
	for (u32 i = 0; i < bi->mmap_count; i++)
		if (bi->mmap[i].type != BOOT_MEM_USABLE)
			frame_alloc_reserve(&frames, bi->mmap[i].base, bi->mmap[i].length);
	for (u32 i = 0; i < nres; i++)
		frame_alloc_reserve(&frames, res[i].base, res[i].end - res[i].base);
	frame_alloc_reserve(&frames, bitmap, bitmap_size);
}

u64 memory_top(void)
{
	return ram_top;
}

void memory_report_map(const struct boot_info *bi)
{
	char size[24];

	pr_info("memory map (%u entries%s):\n", bi->mmap_count,
		bi->mmap_truncated ? ", more were dropped" : "");
	for (u32 i = 0; i < bi->mmap_count; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];

		format_size(size, sizeof(size), e->length);
		pr_info("  %#014llx-%#014llx %-11s %s (type %u)\n", e->base,
			e->base + e->length - 1, mem_type_name(e->type), size, e->type);
	}
}

struct frame_alloc memory_counters(void)
{
	u64 flags = spin_lock_irqsave(&frames_lock);
	struct frame_alloc copy = frames;

	spin_unlock_irqrestore(&frames_lock, flags);
	return copy;
}

u64 memory_heap_bytes_in_use(void)
{
	u64 flags = spin_lock_irqsave(&heap_lock);
	u64 bytes = kernel_heap.bytes_in_use;

	spin_unlock_irqrestore(&heap_lock, flags);
	return bytes;
}

void memory_report_counters(void)
{
	struct frame_alloc c = memory_counters();
	char usable[24], reserved[24], free[24];

	format_size(usable, sizeof(usable), c.usable * PAGE_SIZE);
	format_size(reserved, sizeof(reserved), c.reserved * PAGE_SIZE);
	format_size(free, sizeof(free), c.free * PAGE_SIZE);
	pr_info("memory: %s usable, %s reserved (kernel, modules, boot data), %s free (%llu "
		"frames); %llu allocations, %llu frees, %llu failures; heap %llu bytes in use\n",
		usable, reserved, free, c.free, c.allocations, c.releases, c.failures,
		memory_heap_bytes_in_use());
}

/* count frames aligned to align bytes that leave keep frames free, zeroed (outside the lock). */
static int frames_get(u64 count, u64 align, u64 keep, u64 *phys)
{
	u64 flags = spin_lock_irqsave(&frames_lock);
	u64 frame;
	int err = frame_alloc_get_keeping(&frames, count, MAX(align, PAGE_SIZE) / PAGE_SIZE, keep,
					  &frame);

	spin_unlock_irqrestore(&frames_lock, flags);
	if (err < 0)
		return err;
	memset(phys_to_virt(frame * PAGE_SIZE), 0, count * PAGE_SIZE);
	*phys = frame * PAGE_SIZE;
	return 0;
}

u64 frames_alloc_aligned(u64 count, u64 align)
{
	u64 phys;

	return frames_get(count, align, 0, &phys) < 0 ? 0 : phys;
}

int frames_alloc_guest(u64 count, u64 align, u64 *phys)
{
	return frames_get(count, align, MEMORY_HOST_RESERVE / PAGE_SIZE, phys);
}

u64 frames_alloc_zeroed(u64 count)
{
	return frames_alloc_aligned(count, PAGE_SIZE);
}

void frames_free(u64 phys, u64 count)
{
	u64 flags = spin_lock_irqsave(&frames_lock);
	int err = frame_alloc_put(&frames, phys / PAGE_SIZE, count);

	spin_unlock_irqrestore(&frames_lock, flags);
	if (err < 0)
		panic("memory: freeing %llu frames at %#llx that are not allocated", count, phys);
}

void *pages_alloc(u64 count)
{
	u64 phys = frames_alloc_zeroed(count);

	return phys ? phys_to_virt(phys) : NULL;
}

void pages_free(void *p, u64 count)
{
	frames_free(virt_to_phys(p), count);
}

static void *heap_pages_alloc(void *ctx, u64 count)
{
	(void)ctx;
	return pages_alloc(count);
}

static void heap_pages_free(void *ctx, void *p, u64 count)
{
	(void)ctx;
	pages_free(p, count);
}

static const struct heap_ops kernel_heap_ops = {
	.alloc_pages = heap_pages_alloc,
	.free_pages = heap_pages_free,
};

void heap_setup(void)
{
	heap_init(&kernel_heap, &kernel_heap_ops, NULL);
}

void *kmalloc(size_t size)
{
	u64 flags = spin_lock_irqsave(&heap_lock);
	void *p = heap_alloc(&kernel_heap, size);

	spin_unlock_irqrestore(&heap_lock, flags);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	u64 flags = spin_lock_irqsave(&heap_lock);
	int err = heap_free(&kernel_heap, p);

	spin_unlock_irqrestore(&heap_lock, flags);
	if (err < 0)
		panic("heap: kfree(%p) of a block that is not live (double free or wild pointer)", p);
}
