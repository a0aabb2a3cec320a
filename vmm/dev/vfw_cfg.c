/* SPDX-License-Identifier: MIT */
/* QEMU's fw_cfg device, port I/O interface. Pure. */
#include "vmm/dev/vfw_cfg.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define DIR_HEADER_LEN 4
/* The selector's top bits: write channel and architecture-local; the rest names the item. */
#define KEY_MASK 0x3fff

static void put_be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put_be32(u8 *p, u32 v)
{
	put_be16(p, (u16)(v >> 16));
	put_be16(p + 2, (u16)v);
}

void vfw_cfg_init(struct vfw_cfg *f, u64 ram_size, u16 cpus)
{
	memset(f, 0, sizeof(*f));
	f->selector = VFW_CFG_INVALID;
	f->ram_size = ram_size;
	f->cpus = f->max_cpus = cpus;
}

int vfw_cfg_add_file(struct vfw_cfg *f, const char *name, const u8 *data, u32 size)
{
	size_t len = strlen(name);
	struct vfw_cfg_file *file;
	u8 *e;

	if (len == 0 || len >= VFW_CFG_NAME_MAX)
		return -EINVAL;
	if (f->file_count == VFW_CFG_FILES_MAX)
		return -ENOSPC;
	file = &f->files[f->file_count];
	memcpy(file->name, name, len + 1);
	file->data = data;
	file->size = size;
	/* Directory entry (FW_CFG_FILE_DIR): size and select, big-endian, reserved, name. */
	e = f->dir + DIR_HEADER_LEN + f->file_count * VFW_CFG_DIR_ENTRY_LEN;
	put_be32(e, size);
	put_be16(e + 4, (u16)(VFW_CFG_FILE_FIRST + f->file_count));
	memcpy(e + 8, name, len + 1);
	put_be32(f->dir, ++f->file_count);
	return 0;
}

/* The little-endian bytes of a number item, into f->fixed; the item's length. */
static u32 number_item(struct vfw_cfg *f, u64 value, u32 bytes)
{
	for (u32 i = 0; i < bytes; i++)
		f->fixed[i] = (u8)(value >> (8 * i));
	return bytes;
}

/* The selected item's bytes and length; NULL (length 0) for an unknown key. */
static const u8 *item(struct vfw_cfg *f, u32 *len)
{
	u16 key = f->selector & KEY_MASK;

	*len = 0;
	switch (key) {
	case VFW_CFG_SIGNATURE:
		*len = 4;
		return (const u8 *)"QEMU";
	case VFW_CFG_ID:
		*len = number_item(f, VFW_CFG_ID_TRADITIONAL, 4);
		return f->fixed;
	case VFW_CFG_RAM_SIZE:
		*len = number_item(f, f->ram_size, 8);
		return f->fixed;
	case VFW_CFG_NB_CPUS:
		*len = number_item(f, f->cpus, 2);
		return f->fixed;
	case VFW_CFG_MAX_CPUS:
		*len = number_item(f, f->max_cpus, 2);
		return f->fixed;
	case VFW_CFG_FILE_DIR:
		*len = DIR_HEADER_LEN + f->file_count * VFW_CFG_DIR_ENTRY_LEN;
		return f->dir;
	default:
		if (key >= VFW_CFG_FILE_FIRST && key < VFW_CFG_FILE_FIRST + f->file_count) {
			*len = f->files[key - VFW_CFG_FILE_FIRST].size;
			return f->files[key - VFW_CFG_FILE_FIRST].data;
		}
		return NULL;
	}
}

/* The next byte of the selected item, 0 past its end. */
static u8 data_byte(struct vfw_cfg *f)
{
	u32 len;
	const u8 *p = item(f, &len);

	if (!p || f->offset >= len)
		return 0;
	return p[f->offset++];
}

static u32 vfw_cfg_read(void *dev, u16 port, u8 size)
{
	struct vfw_cfg *f = dev;
	u32 value = 0;

	if (port == VFW_CFG_SELECTOR_PORT)
		return pio_size_mask(size);	/* the selector is write-only */
	/* QEMU's data port is one byte wide: a wider read takes one byte per lane, lowest first. */
	for (u8 i = 0; i < size; i++)
		value |= (u32)data_byte(f) << (8 * i);
	return value;
}

static void vfw_cfg_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vfw_cfg *f = dev;

	if (port != VFW_CFG_SELECTOR_PORT || size < 2)
		return;	/* data writes are ignored; the selector takes a word */
	f->selector = (u16)value;
	f->offset = 0;
}

const struct pio_ops vfw_cfg_ops = {
	.read = vfw_cfg_read,
	.write = vfw_cfg_write,
};
