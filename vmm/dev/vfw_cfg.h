/* SPDX-License-Identifier: MIT */
/*
 * QEMU's firmware configuration device, its traditional (port I/O) interface (QEMU's
 * docs/specs/fw_cfg): a 16-bit selector at port 0x510 picks an item, whose bytes port 0x511
 * then reads one at a time. The items: the signature, the interface ID, RAM size, CPU counts
 * and the file directory with the files a VM is given. Pure.
 */
#ifndef VIREO_VMM_DEV_VFW_CFG_H
#define VIREO_VMM_DEV_VFW_CFG_H

#include "kernel/types.h"
#include "vmm/pio.h"

#define VFW_CFG_SELECTOR_PORT 0x510
#define VFW_CFG_DATA_PORT 0x511
#define VFW_CFG_PORTS 2

/* Selector keys. */
#define VFW_CFG_SIGNATURE 0x0000
#define VFW_CFG_ID 0x0001
#define VFW_CFG_RAM_SIZE 0x0003
#define VFW_CFG_NB_CPUS 0x0005
#define VFW_CFG_MAX_CPUS 0x000f
#define VFW_CFG_FILE_DIR 0x0019
#define VFW_CFG_FILE_FIRST 0x0020
#define VFW_CFG_INVALID 0xffff

#define VFW_CFG_ID_TRADITIONAL BIT(0)
#define VFW_CFG_FILES_MAX 4
#define VFW_CFG_NAME_MAX 56	/* a file's name, its NUL included */
#define VFW_CFG_DIR_ENTRY_LEN 64

struct vfw_cfg_file {
	char name[VFW_CFG_NAME_MAX];
	const u8 *data;		/* the caller's: it outlives the device */
	u32 size;
};

struct vfw_cfg {
	u16 selector;
	u32 offset;		/* the next byte of the selected item port 0x511 reads */
	u8 fixed[8];		/* a selected number item's little-endian bytes */
	u64 ram_size;
	u16 cpus, max_cpus;
	u32 file_count;
	struct vfw_cfg_file files[VFW_CFG_FILES_MAX];
	u8 dir[4 + VFW_CFG_FILES_MAX * VFW_CFG_DIR_ENTRY_LEN];	/* big-endian, as specified */
};

/* A device for a VM of ram_size bytes and cpus vCPUs (as many at most), no files, no item. */
void vfw_cfg_init(struct vfw_cfg *f, u64 ram_size, u16 cpus);

/*
 * Add a file of size bytes at data (kept, not copied) under name (shorter than
 * VFW_CFG_NAME_MAX); it gets the next selector from VFW_CFG_FILE_FIRST. Returns 0, -EINVAL for
 * a bad name or -ENOSPC past VFW_CFG_FILES_MAX files.
 */
int vfw_cfg_add_file(struct vfw_cfg *f, const char *name, const u8 *data, u32 size);

/*
 * The device is a struct vfw_cfg at VFW_CFG_SELECTOR_PORT, VFW_CFG_PORTS ports. A write to the
 * selector picks an item and rewinds it; reads of the data port return its bytes in turn and 0
 * past its end or for an unknown key; data writes are ignored, as QEMU does since 2.4.
 */
extern const struct pio_ops vfw_cfg_ops;

#endif
