/* SPDX-License-Identifier: MIT */
/* Guest loaders: flat real-mode binaries, ELF executables (32- and 64-bit), Multiboot1 kernels. */
#include "vmm/loader.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/pgtable.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "kernel/version.h"
#include "vmm/e820.h"
#include "vmm/elf.h"
#include "vmm/guest_abi.h"
#include "vmm/linux_boot.h"
#include "vmm/multiboot1.h"
#include "vmm/multiboot1_info.h"
#include "vmm/pc_layout.h"
#include "vmm/vm.h"

/* Vireo's boot data at the top of the RAM below the device hole, in this order. */
#define BOOT_INFO_OFFSET 0
#define GDT_OFFSET PAGE_SIZE
#define TSS_OFFSET (GDT_OFFSET + 0x100)
#define PAGE_TABLES_OFFSET (2 * PAGE_SIZE)
/* A Multiboot1 kernel's: a stack page in place of the boot info, the GDT, its information. */
#define MULTIBOOT1_LOADER_BYTES (2 * PAGE_SIZE)

_Static_assert(VIREO_RAM_RANGES_MAX == GUEST_RAM_RANGES_MAX, "the boot info holds every range");

/* The GDT's first slot for Vireo's guests; Linux's boot protocol wants CS 0x10 and DS 0x18. */
#define GDT_FIRST 1
#define GDT_FIRST_LINUX 2
#define TSS_LIMIT 0x67

#define GUEST_PTE_PRESENT BIT(0)
#define GUEST_PTE_WRITE BIT(1)
#define GUEST_PTE_LARGE BIT(7)

/* The guest's own page tables: supervisor, writable, 2 MiB pages. */
static const struct pt_format guest_format = {
	.name = "guest",
	.table_bits = GUEST_PTE_PRESENT | GUEST_PTE_WRITE,
	.present_bits = GUEST_PTE_PRESENT,
	.read_bits = GUEST_PTE_PRESENT,
	.write_bits = GUEST_PTE_WRITE,
	.large_bit = GUEST_PTE_LARGE,
	.leaf_levels = PT_LEAF_4K | PT_LEAF_2M,
};

struct boot_area {
	struct vm *vm;
	u64 start;		/* guest-physical start of Vireo's boot data */
	u64 next_table;		/* bump allocator for page tables */
};

/*
 * How far a 64-bit guest's identity map reaches: all its RAM, and at least the device hole,
 * so that its first accesses to a device's registers reach the VMM, not its own #PF handler.
 */
static u64 identity_map_end(const struct guest_memory *m)
{
	return MAX(guest_ram_end(&m->ram), GUEST_DEVICE_HOLE_END);
}

static u64 boot_area_pages(const struct guest_memory *m)
{
	/* boot info + GDT/TSS, PML4 + PDPT, one page directory per GiB */
	return 4 + ALIGN_UP(identity_map_end(m), GiB) / GiB;
}

static u64 area_alloc_table(void *ctx)
{
	struct boot_area *a = ctx;
	u64 gpa = a->next_table;

	if (!guest_memory_ptr(&a->vm->mem, gpa, PAGE_SIZE))
		return 0;
	a->next_table += PAGE_SIZE;
	memset(guest_memory_ptr(&a->vm->mem, gpa, PAGE_SIZE), 0, PAGE_SIZE);
	return gpa;
}

static void area_free_table(void *ctx, u64 addr)
{
	(void)ctx;
	(void)addr;	/* the boot area belongs to the guest once it runs */
}

static u64 *area_table_ptr(void *ctx, u64 addr)
{
	struct boot_area *a = ctx;

	return guest_memory_ptr(&a->vm->mem, addr, PAGE_SIZE);
}

static const struct pt_ops area_pt_ops = {
	.alloc_table = area_alloc_table,
	.free_table = area_free_table,
	.table_ptr = area_table_ptr,
};

static struct segment flat_segment(u16 selector, u16 attrib)
{
	return (struct segment){ selector, attrib, 0xffffffff, 0 };
}

/* GDT: null, code at slot first, data, and a TSS (64-bit descriptors take two slots). */
static void write_gdt(struct boot_area *a, bool long_mode, u32 first, struct vcpu_state *s)
{
	u64 *gdt = guest_memory_ptr(&a->vm->mem, a->start + GDT_OFFSET, (first + 4) * 8);
	u64 tss = a->start + TSS_OFFSET;
	u16 code = (u16)(first * 8), data = code + 8, tr = data + 8;

	memset(gdt, 0, first * 8);
	gdt[first] = long_mode ? 0x00af9a000000ffffULL : 0x00cf9a000000ffffULL;
	gdt[first + 1] = 0x00cf92000000ffffULL;
	gdt[first + 2] = TSS_LIMIT | (tss & 0xffffff) << 16 | 0x8bULL << 40 |
			 (tss >> 24 & 0xff) << 56;
	gdt[first + 3] = tss >> 32;
	s->gdtr = (struct descriptor_table){ a->start + GDT_OFFSET, (u16)((first + 4) * 8 - 1) };
	s->seg[SEG_CS] = flat_segment(code, long_mode ? SEG_ATTR_CODE64 : SEG_ATTR_CODE32);
	s->seg[SEG_DS] = s->seg[SEG_ES] = s->seg[SEG_SS] = s->seg[SEG_FS] = s->seg[SEG_GS] =
		flat_segment(data, SEG_ATTR_DATA32);
	s->seg[SEG_TR] = (struct segment){ tr, SEG_ATTR_TSS_BUSY, TSS_LIMIT, tss };
	s->seg[SEG_LDTR] = (struct segment){ 0, 0, 0, 0 };
}

static void write_boot_info(struct boot_area *a)
{
	struct vm *vm = a->vm;
	struct vireo_boot_info *bi = guest_memory_ptr(&vm->mem, a->start + BOOT_INFO_OFFSET,
						      sizeof(*bi));

	bi->magic = VIREO_BOOT_INFO_MAGIC;
	bi->abi_version = VIREO_ABI_VERSION;
	bi->mem_bytes = vm->mem.size;
	bi->reserved_start = a->start;
	bi->ram_range_count = vm->mem.ram.count;
	for (u32 i = 0; i < vm->mem.ram.count; i++) {
		bi->ram[i].base = vm->mem.ram.range[i].gpa;
		bi->ram[i].size = vm->mem.ram.range[i].size;
	}
	bi->vcpu_id = 0;
	bi->vm_id = vm->id;
	bi->vcpu_count = vm->config.vcpus;
	str_copy(bi->name, vm->config.name, sizeof(bi->name));
	str_copy(bi->args, vm->config.args, sizeof(bi->args));
}

/* The identity map of a 64-bit guest; its tables live in the boot area. */
static int build_identity_tables(struct boot_area *a, u64 *cr3)
{
	struct pt pt;

	if (pt_init(&pt, &guest_format, &area_pt_ops, a) < 0 ||
	    pt_map(&pt, 0, 0, identity_map_end(&a->vm->mem), PT_RWX) < 0)
		return -ENOMEM;
	*cr3 = pt.root;
	return 0;
}

/* Copy each segment to its place, which must be RAM below the boot data at limit. */
static int load_segments(struct vm *vm, const u8 *image, const struct elf_image *layout,
			 u64 limit, char *error, size_t error_size)
{
	for (u32 i = 0; i < layout->segment_count; i++) {
		const struct elf_segment *seg = &layout->segments[i];
		u64 end = seg->paddr + seg->mem_size;
		u8 *dst = guest_memory_ptr(&vm->mem, seg->paddr, seg->mem_size);

		if (!dst) {
			format(error, error_size, "segment at %#llx-%#llx lies outside the VM's RAM",
			       seg->paddr, end);
			return -E2BIG;
		}
		if (end > limit) {
			format(error, error_size, "segment at %#llx-%#llx overlaps or lies past Vireo's "
			       "boot data at %#llx-%#llx", seg->paddr, end, limit,
			       guest_memory_low_end(&vm->mem));
			return -E2BIG;
		}
		memcpy(dst, image + seg->offset, seg->file_size);
		memset(dst + seg->file_size, 0, seg->mem_size - seg->file_size);
	}
	return 0;
}

/* 64-bit guests start with RAM identity-mapped, so they run where they are loaded. */
static int check_identity_linked(const struct elf_image *elf, char *error, size_t error_size)
{
	for (u32 i = 0; i < elf->segment_count; i++) {
		const struct elf_segment *seg = &elf->segments[i];

		if (seg->vaddr != seg->paddr) {
			format(error, error_size, "segment linked at %#llx but loaded at %#llx: link "
			       "64-bit guests at their load address", seg->vaddr, seg->paddr);
			return -ENOEXEC;
		}
	}
	return 0;
}

/* Paging off, flat segments: how 32-bit guests of either kind start. */
static void protected_mode_state(struct vcpu_state *s)
{
	s->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE;
	s->cr4 = X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
}

/*
 * Whether [start, end) may hold the image: the PC's reserved area below 1 MiB is not for it
 * when the memory map says reserved (a Multiboot kernel's) or the VM's firmware data goes
 * there (vmm/firmware.c), nor then the BIOS data area. Returns 0 or -E2BIG with the reason.
 */
static int check_pc_area(const struct vm *vm, u64 start, u64 end, bool multiboot, char *error,
			 size_t error_size)
{
	bool firmware = vm->config.devices & VM_DEVICES_FIRMWARE;

	if ((multiboot || firmware) && start < PC_RESERVED_END && end > PC_RESERVED_START) {
		format(error, error_size, "segment at %#llx-%#llx overlaps the PC's reserved "
		       "%#llx-%#llx", start, end, PC_RESERVED_START, PC_RESERVED_END);
		return -E2BIG;
	}
	if (firmware && start < PC_BDA_BASE + PC_BDA_SIZE && end > PC_BDA_BASE) {
		format(error, error_size, "segment at %#llx-%#llx overlaps the BIOS data area "
		       "%#llx-%#llx", start, end, PC_BDA_BASE, PC_BDA_BASE + PC_BDA_SIZE);
		return -E2BIG;
	}
	return 0;
}

static int check_pc_areas(const struct vm *vm, const struct elf_image *layout, bool multiboot,
			  char *error, size_t error_size)
{
	for (u32 i = 0; i < layout->segment_count; i++) {
		const struct elf_segment *seg = &layout->segments[i];
		int err = check_pc_area(vm, seg->paddr, seg->paddr + seg->mem_size, multiboot,
					error, error_size);

		if (err)
			return err;
	}
	return 0;
}

/* Paging on with the identity map, in long mode: how 64-bit guests of either kind start. */
static int long_mode_state(struct boot_area *a, struct vcpu_state *s, char *error,
			   size_t error_size)
{
	a->next_table = a->start + PAGE_TABLES_OFFSET;
	if (build_identity_tables(a, &s->cr3) < 0) {
		format(error, error_size, "no room for the page tables");
		return -ENOMEM;
	}
	s->cr0 |= X86_CR0_PG | X86_CR0_WP;
	s->cr4 |= X86_CR4_PAE;
	s->efer = EFER_LME | EFER_LMA;
	return 0;
}

static int load_elf(struct vm *vm, const void *image, size_t size, struct vcpu_state *s,
		    char *error, size_t error_size)
{
	struct elf_image elf;
	u64 boot_pages = boot_area_pages(&vm->mem);
	struct boot_area a = { vm, guest_memory_low_end(&vm->mem) - boot_pages * PAGE_SIZE, 0 };
	int err = elf_parse(image, size, &elf, error, error_size);

	if (!err && elf.is64)
		err = check_identity_linked(&elf, error, error_size);
	if (!err)
		err = check_pc_areas(vm, &elf, false, error, error_size);
	if (!err)
		err = load_segments(vm, image, &elf, a.start, error, error_size);
	if (err)
		return err;
	vm->boot_data_start = a.start;
	write_boot_info(&a);
	write_gdt(&a, elf.is64, GDT_FIRST, s);
	s->regs.rip = elf.entry;
	s->regs.rsp = a.start;
	s->regs.rdi = s->regs.rbx = a.start + BOOT_INFO_OFFSET;
	protected_mode_state(s);
	return elf.is64 ? long_mode_state(&a, s, error, error_size) : 0;
}

static u64 kernel_end(const struct elf_image *layout)
{
	u64 end = 0;

	for (u32 i = 0; i < layout->segment_count; i++)
		end = MAX(end, layout->segments[i].paddr + layout->segments[i].mem_size);
	return end;
}

static void load_modules(struct vm *vm, const struct multiboot1_boot *b)
{
	for (u32 i = 0; i < b->module_count; i++) {
		if (b->modules[i].size)	/* placed in RAM: an empty one has no bytes there */
			memcpy(guest_memory_ptr(&vm->mem, b->module_addr[i], b->modules[i].size),
			       b->modules[i].data, b->modules[i].size);
	}
}

/* Machine state at entry: spec 0.6.96 section 3.2; ESP is undefined there. */
static int load_multiboot1(struct vm *vm, const struct vm_images *images,
			   const struct multiboot1_kernel *k, struct vcpu_state *s, char *error,
			   size_t error_size)
{
	const struct elf_image *layout = &k->layout;
	struct multiboot1_boot b = {
		.ram = &vm->mem.ram, .kernel_end = kernel_end(layout), .name = vm->config.name,
		.args = vm->config.args, .loader_name = "Vireo " VIREO_RELEASE,
		.module_count = images->module_count, .modules = images->modules,
	};
	struct boot_area a = { vm, 0, 0 };
	int err = multiboot1_info_plan(&b, MULTIBOOT1_LOADER_BYTES, error, error_size);

	if (!err)
		err = check_pc_areas(vm, layout, true, error, error_size);
	if (!err)
		err = load_segments(vm, images->kernel.data, layout, b.boot_data_start, error,
				    error_size);
	if (!err)
		err = multiboot1_place_modules(&b, error, error_size);
	if (err)
		return err;
	load_modules(vm, &b);
	multiboot1_info_write(&b, guest_memory_ptr(&vm->mem, b.info_gpa,
						   multiboot1_info_size(&b)));
	a.start = vm->boot_data_start = b.boot_data_start;
	write_gdt(&a, false, GDT_FIRST, s);
	s->regs.rip = layout->entry;
	s->regs.rax = MULTIBOOT1_BOOT_MAGIC;
	s->regs.rbx = b.info_gpa;
	s->regs.rsp = a.start + GDT_OFFSET;	/* the stack page, for kernels that push early */
	protected_mode_state(s);
	return 0;
}

static int load_flat(struct vm *vm, const void *image, size_t size, struct vcpu_state *s,
		     char *error, size_t error_size)
{
	u64 load = vm->config.load_address, end = load + (u64)size;

	if (end > VM_REAL_MODE_END || guest_memory_write(&vm->mem, load, image, size) < 0) {
		format(error, error_size, "a real-mode image must fit between %#llx and 640 KiB "
		       "(this one is %zu bytes)", load, size);
		return -E2BIG;
	}
	if (check_pc_area(vm, load, end, false, error, error_size))
		return -E2BIG;
	if (vm->config.entry < load || vm->config.entry >= end) {
		format(error, error_size, "entry %#llx is outside the image at %#llx-%#llx",
		       vm->config.entry, load, end);
		return -ENOEXEC;
	}
	vcpu_state_real_mode(s, 0, vm->config.entry);
	s->regs.rsp = vm->config.entry;	/* the stack grows down from the entry, as at 0x7c00 */
	s->regs.rdx = 0x80;	/* DL: the boot drive, as a BIOS would leave it */
	return 0;
}

/*
 * Linux's 64-bit entry (boot.rst, "64-bit boot protocol"): long mode with the identity map,
 * a GDT with a flat code segment at 0x10 and data at 0x18, interrupts off, RSI = the zero page.
 * Its one module is the initramfs.
 */
static int load_linux(struct vm *vm, const struct vm_images *images,
		      const struct linux_kernel *k, struct vcpu_state *s, char *error,
		      size_t error_size)
{
	const u8 *image = images->kernel.data;
	struct boot_area a = { vm, guest_memory_low_end(&vm->mem) -
			       boot_area_pages(&vm->mem) * PAGE_SIZE, 0 };
	struct linux_boot b = { .ram = &vm->mem.ram, .boot_data_start = a.start,
				.cmdline_len = strlen(vm->config.args),
				.initrd_size = images->module_count ? images->modules[0].size : 0 };
	struct e820_entry map[E820_ENTRIES_MAX];
	int err;

	if (images->module_count > 1) {
		format(error, error_size, "%u modules, and a Linux kernel takes one: its initramfs",
		       images->module_count);
		return -E2BIG;
	}
	err = linux_boot_plan(&b, k, error, error_size);
	if (err)
		return err;
	memcpy(guest_memory_ptr(&vm->mem, b.load_address, k->payload_size),
	       image + k->payload_offset, k->payload_size);
	if (b.initrd_size)
		memcpy(guest_memory_ptr(&vm->mem, b.initrd, b.initrd_size),
		       images->modules[0].data, b.initrd_size);
	str_copy(guest_memory_ptr(&vm->mem, b.cmdline, b.cmdline_len + 1), vm->config.args,
		 b.cmdline_len + 1);
	vm->boot_data_start = a.start;
	linux_zero_page_write(guest_memory_ptr(&vm->mem, b.zero_page, LINUX_ZERO_PAGE_SIZE),
			      image, k, &b, map, e820_build(&vm->mem.ram, a.start, map),
			      vm->config.devices & VM_DEVICE_VGA,
			      vm->config.devices & VM_DEVICE_ACPI ? PC_ACPI_BASE : 0);
	write_gdt(&a, true, GDT_FIRST_LINUX, s);
	s->regs.rip = b.load_address + LINUX_ENTRY64_OFFSET;
	s->regs.rsi = b.zero_page;
	s->regs.rsp = a.start;
	protected_mode_state(s);
	return long_mode_state(&a, s, error, error_size);
}

enum image_kind { IMAGE_FLAT, IMAGE_ELF, IMAGE_MULTIBOOT1, IMAGE_LINUX };

/* What image_kind read of a kernel's own header. */
struct kernel_header {
	struct multiboot1_kernel mb1;
	struct linux_kernel bzimage;
};

/* A Linux setup header makes the image a bzImage, or refuses it; else -ENOENT. */
static int linux_kind(const struct vm_image *kernel, enum vm_format how,
		      struct linux_kernel *k, char *error, size_t error_size)
{
	int err = linux_parse(kernel->data, kernel->size, k, error, error_size);

	if (err == -ENOENT && how == VM_FORMAT_LINUX) {
		format(error, error_size, "format linux, but no Linux setup header (\"HdrS\" at "
		       "0x202): give the bzImage, not vmlinux");
		return -ENOEXEC;
	}
	return err ? err : IMAGE_LINUX;
}

/*
 * What the image is to be loaded as, by vm_format, or in auto mode by its contents: a Linux
 * setup header makes it a bzImage, a valid Multiboot1 header a Multiboot kernel (as QEMU's
 * -kernel has it), and one with a magic but a bad header is refused rather than loaded some
 * other way. Returns the kind, with *h filled for those two, or -ENOEXEC with the reason in
 * error.
 */
static int image_kind(const struct vm_image *kernel, enum vm_format how,
		      struct kernel_header *h, char *error, size_t error_size)
{
	bool elf = elf_is_elf(kernel->data, kernel->size);
	int err;

	if (how == VM_FORMAT_FLAT)
		return IMAGE_FLAT;
	if (how == VM_FORMAT_ELF) {
		if (elf)
			return IMAGE_ELF;
		format(error, error_size, "format elf, but the image is not an ELF file");
		return -ENOEXEC;
	}
	if (how == VM_FORMAT_LINUX || how == VM_FORMAT_AUTO) {
		err = linux_kind(kernel, how, &h->bzimage, error, error_size);
		if (err != -ENOENT)
			return err;
	}
	err = multiboot1_parse(kernel->data, kernel->size, &h->mb1, error, error_size);
	if (err == -ENOENT && how == VM_FORMAT_MULTIBOOT) {
		format(error, error_size, "format multiboot, but no Multiboot1 header (magic %#x) "
		       "in the first 8 KiB", MULTIBOOT1_HEADER_MAGIC);
		return -ENOEXEC;
	}
	if (err == -ENOENT)
		return elf ? IMAGE_ELF : IMAGE_FLAT;
	return err ? err : IMAGE_MULTIBOOT1;
}

const char *loader_kind(const struct vm_image *kernel, enum vm_format how)
{
	struct kernel_header h;
	const u8 *e = kernel->data;
	char error[1];

	switch (image_kind(kernel, how, &h, error, sizeof(error))) {
	case IMAGE_FLAT:
		return "real-mode flat binary";
	case IMAGE_ELF:
		return kernel->size > 4 && e[4] == 2 ? "64-bit ELF" : "32-bit ELF";
	case IMAGE_MULTIBOOT1:
		return h.mb1.flags & MULTIBOOT1_ADDRESS_FIELDS ?
			"Multiboot1 kernel (address fields)" : "Multiboot1 ELF kernel";
	case IMAGE_LINUX:
		return "Linux bzImage";
	}
	return "unloadable image";
}

int loader_load(struct vm *vm, const struct vm_images *images, struct vcpu_state *s,
		char *error, size_t error_size)
{
	const struct vm_image *kernel = &images->kernel;
	struct kernel_header h;

	memset(s, 0, sizeof(*s));
	s->regs.rflags = X86_RFLAGS_FIXED;
	if (kernel->size == 0) {
		format(error, error_size, "the image is empty");
		return -ENOEXEC;
	}
	switch (image_kind(kernel, vm->config.format, &h, error, error_size)) {
	case IMAGE_FLAT:
		return load_flat(vm, kernel->data, kernel->size, s, error, error_size);
	case IMAGE_ELF:
		return load_elf(vm, kernel->data, kernel->size, s, error, error_size);
	case IMAGE_MULTIBOOT1:
		return load_multiboot1(vm, images, &h.mb1, s, error, error_size);
	case IMAGE_LINUX:
		return load_linux(vm, images, &h.bzimage, s, error, error_size);
	}
	return -ENOEXEC;
}
