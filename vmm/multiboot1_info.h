/* SPDX-License-Identifier: MIT */
/*
 * The boot information a Multiboot1 kernel receives (Multiboot Specification 0.6.96, 3.3):
 * where its modules go in guest RAM, and the information structure with the memory map, the
 * command line, the modules and the boot loader's name. Pure: it lays out bytes for the loader
 * to copy into guest RAM.
 */
#ifndef VIREO_VMM_MULTIBOOT1_INFO_H
#define VIREO_VMM_MULTIBOOT1_INFO_H

#include "kernel/types.h"
#include "vmm/guest_ram.h"
#include "vmm/vm_config.h"

/* The information's flags Vireo fills (spec 3.3). */
#define MULTIBOOT1_INFO_MEMORY BIT(0)		/* mem_lower, mem_upper */
#define MULTIBOOT1_INFO_CMDLINE BIT(2)
#define MULTIBOOT1_INFO_MODULES BIT(3)
#define MULTIBOOT1_INFO_MEMORY_MAP BIT(6)
#define MULTIBOOT1_INFO_LOADER_NAME BIT(9)

/* What the information describes, and where it and the modules go. */
struct multiboot1_boot {
	const struct guest_ram_map *ram;
	u64 kernel_end;		/* modules go above the kernel (and above 1 MiB) */
	const char *name;	/* the command line is the name, then a space and the args */
	const char *args;	/* "" for none */
	const char *loader_name;
	u32 module_count;
	const struct vm_image *modules;	/* name (the module's string) and size */
	/* Set by multiboot1_info_plan: */
	u64 boot_data_start;	/* from here to the end of ram->range[0]: reserved */
	u64 info_gpa;		/* the information, at the top of ram->range[0] */
	/* Set by multiboot1_place_modules: */
	u64 module_addr[VM_MODULES_MAX];
};

/*
 * Reserve the top of the RAM below the device hole for the information, and loader_bytes
 * more below it for the loader's own boot data. Returns 0, or -E2BIG with the reason in
 * error for more than VM_MODULES_MAX modules or an information too big to leave RAM above
 * 1 MiB.
 */
int multiboot1_info_plan(struct multiboot1_boot *b, u64 loader_bytes, char *error,
			 size_t error_size);

/*
 * Once planned, place the modules one after another on 4 KiB boundaries from the page above
 * the kernel (at least 1 MiB), below the boot data. Returns 0, or -E2BIG with the reason in
 * error when they do not fit.
 */
int multiboot1_place_modules(struct multiboot1_boot *b, char *error, size_t error_size);

/* The bytes the information needs, all of it (strings too); after a successful plan. */
u64 multiboot1_info_size(const struct multiboot1_boot *b);

/*
 * Write the information into buf (multiboot1_info_size bytes), which the guest will see at
 * info_gpa: the structure first, then what its fields point at. The modules must be placed.
 */
void multiboot1_info_write(const struct multiboot1_boot *b, u8 *buf);

#endif
