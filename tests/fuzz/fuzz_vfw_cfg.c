// SPDX-License-Identifier: MIT
/*
 * libFuzzer: QEMU's fw_cfg device (vmm/dev/vfw_cfg.c). The input gives the VM (RAM size, CPU
 * count) and up to five files (a name length, a size, then the name's bytes; the data are the
 * input's own bytes), then 4-byte steps: a selector write, a data read, a data write, or a
 * selector read, at an access size of 1, 2 or 4 (a byte write to the selector selects nothing). Every data byte read is checked against a
 * model of the item: the signature "QEMU", the RAM size and CPU count, the directory's file
 * count, each file's bytes in turn, and 0 past an item's end or for a key that names nothing.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "vmm/dev/vfw_cfg.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_SELECT, STEP_READ, STEP_WRITE, STEP_READ_SELECTOR, STEP_COUNT };

struct model {
	const struct vfw_cfg *f;
	u16 key;
	u32 offset;
};

/* The byte at m's offset of its item, as the spec gives it; 0 past the end. */
static u8 expected(const struct model *m)
{
	const struct vfw_cfg *f = m->f;
	u32 at = m->offset;
	u64 number;

	switch (m->key) {
	case VFW_CFG_SIGNATURE:
		return at < 4 ? (u8)"QEMU"[at] : 0;
	case VFW_CFG_ID:
		number = VFW_CFG_ID_TRADITIONAL;
		return at < 4 ? (u8)(number >> (8 * at)) : 0;
	case VFW_CFG_RAM_SIZE:
		return at < 8 ? (u8)(f->ram_size >> (8 * at)) : 0;
	case VFW_CFG_NB_CPUS:
	case VFW_CFG_MAX_CPUS:
		number = m->key == VFW_CFG_NB_CPUS ? f->cpus : f->max_cpus;
		return at < 2 ? (u8)(number >> (8 * at)) : 0;
	case VFW_CFG_FILE_DIR:
		return at < 4 ? (u8)(f->file_count >> (8 * (3 - at))) : (u8)(at < 4 + 64 * f->file_count
									      ? f->dir[at] : 0);
	default:
		if (m->key >= VFW_CFG_FILE_FIRST && m->key < VFW_CFG_FILE_FIRST + f->file_count) {
			const struct vfw_cfg_file *file = &f->files[m->key - VFW_CFG_FILE_FIRST];

			return at < file->size ? file->data[at] : 0;
		}
		return 0;
	}
}

static void step(struct vfw_cfg *f, struct model *m, const u8 *s)
{
	static const u8 sizes[] = { 1, 2, 4 };
	u8 access = sizes[s[1] % ARRAY_SIZE(sizes)];
	u16 value = (u16)(s[2] | s[3] << 8);
	u32 got;

	switch (s[0] % STEP_COUNT) {
	case STEP_SELECT:
		vfw_cfg_ops.write(f, VFW_CFG_SELECTOR_PORT, access, value);
		if (access == 1)
			break;	/* the selector is 16 bits: a byte write selects nothing */
		m->key = value & 0x3fff;	/* bits 15 and 14 are flags (write, arch), not the key */
		m->offset = 0;
		break;
	case STEP_READ:
		got = vfw_cfg_ops.read(f, VFW_CFG_DATA_PORT, 1);
		fuzz_check(got == expected(m));
		m->offset++;
		break;
	case STEP_WRITE:
		vfw_cfg_ops.write(f, VFW_CFG_DATA_PORT, access, value);	/* ignored */
		break;
	default:
		(void)vfw_cfg_ops.read(f, VFW_CFG_SELECTOR_PORT, access);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct vfw_cfg f;
	struct model m = { .f = &f, .key = VFW_CFG_INVALID };
	char name[VFW_CFG_NAME_MAX + 8];
	size_t at = 3;

	if (size < 3)
		return 0;
	vfw_cfg_init(&f, (u64)data[0] << 24, (u16)(data[1] % 255 + 1));
	for (u32 i = 0; i < (data[2] & 7) && at + 2 <= size; i++) {
		u32 len = data[at] % sizeof(name), file_size = data[at + 1];

		at += 2;
		if (at + len > size)
			break;
		memcpy(name, data + at, len);
		name[len] = '\0';
		at += len;
		file_size = MIN(file_size, (u32)(size - at));
		(void)vfw_cfg_add_file(&f, name, data + at, file_size);	/* -EINVAL, -ENOSPC: fine */
	}
	fuzz_check(f.file_count <= VFW_CFG_FILES_MAX);
	for (; at + 4 <= size; at += 4)
		step(&f, &m, data + at);
	return 0;
}
