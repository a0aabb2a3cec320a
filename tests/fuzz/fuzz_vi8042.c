// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the 8042 and its keyboard (vmm/dev/vi8042.c, vmm/dev/scancode.c) driven by
 * 2-byte steps: a data or command port write, a data or status read, or a console character
 * typed. After every step IRQ1 is high exactly when the output buffer is full and the config
 * byte enables it, the queues stay within their rings, the keyboard's set is 1, 2 or 3, and
 * the status register's OBF is the output buffer's state. A character the keyboard takes
 * queues exactly its scancodes, whose make and break codes pair up.
 */
#include "tests/fuzz/fuzz_dev.h"
#include "vmm/dev/scancode.h"
#include "vmm/dev/vi8042.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_DATA_WRITE, STEP_COMMAND_WRITE, STEP_DATA_READ, STEP_STATUS_READ, STEP_TYPE,
	    STEP_COUNT };

static void count_reset(void *ctx)
{
	(*(u64 *)ctx)++;
}

static u32 queued(const struct vi8042 *k)
{
	return k->replies.count + k->keys.count + k->out_full;
}

/* Set 1 breaks are the make with bit 7 set; set 2 breaks are 0xF0 then the make. */
static void check_scancodes(const u8 *bytes, u32 n, enum scancode_set set)
{
	u32 breaks = 0;

	fuzz_check(n <= SCANCODE_MAX_BYTES);
	for (u32 i = 0; i < n; i++)
		breaks += set == SCANCODE_SET1 ? bytes[i] >> 7 : bytes[i] == 0xf0;
	fuzz_check(set == SCANCODE_SET1 ? n == 2 * breaks : n == 3 * breaks);
}

static void type(struct vi8042 *k, u8 ch)
{
	enum scancode_set set = (k->config & VI8042_CONFIG_TRANSLATE) ||
					k->scancode_set == SCANCODE_SET1 ? SCANCODE_SET1
									 : SCANCODE_SET2;
	u8 bytes[SCANCODE_MAX_BYTES];
	u32 n = scancode_type_ascii(ch, set, bytes), before = queued(k);

	check_scancodes(bytes, n, set);
	if (vi8042_type_ascii(k, ch))
		fuzz_check(queued(k) == before + n);
	else
		fuzz_check(queued(k) == before);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_dev d = { 0 };
	struct irq_line line = fuzz_dev_irq_line(&d, VI8042_IRQ);
	u64 resets = 0;
	struct vi8042_reset reset = { .reset = count_reset, .ctx = &resets };
	struct vi8042 k;

	vi8042_init(&k, &line, &reset);
	for (size_t i = 0; i + 2 <= size; i += 2) {
		u8 value = data[i + 1];

		switch (data[i] % STEP_COUNT) {
		case STEP_DATA_WRITE:
			vi8042_ops.write(&k, VI8042_DATA_PORT, 1, value);
			break;
		case STEP_COMMAND_WRITE:
			vi8042_ops.write(&k, VI8042_COMMAND_PORT, 1, value);
			break;
		case STEP_DATA_READ:
			(void)vi8042_ops.read(&k, VI8042_DATA_PORT, 1);
			break;
		case STEP_STATUS_READ: {
			bool full = k.out_full;

			fuzz_check(!!(vi8042_ops.read(&k, VI8042_COMMAND_PORT, 1) &
				      VI8042_STATUS_OBF) == full);
			break;
		}
		default:
			type(&k, value);
			break;
		}
		fuzz_check(d.line == k.irq_high);
		fuzz_check(d.line == (k.out_full && (k.config & VI8042_CONFIG_KBD_IRQ)));
		fuzz_check(k.replies.count <= INPUT_RING_SIZE && k.keys.count <= INPUT_RING_SIZE);
		fuzz_check(k.scancode_set >= 1 && k.scancode_set <= 3);
	}
	return 0;
}
