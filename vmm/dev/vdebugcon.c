/* SPDX-License-Identifier: MIT */
/* The debug console port. */
#include "vmm/dev/vdebugcon.h"
#include "vmm/guest_abi.h"
#include "vmm/vm_console.h"

static u32 vdebugcon_read(void *dev, u16 port, u8 size)
{
	(void)dev;
	(void)port;
	(void)size;
	return VIREO_DEBUG_PORT;
}

static void vdebugcon_write(void *dev, u16 port, u8 size, u32 value)
{
	(void)port;
	for (u8 i = 0; i < size; i++)
		vm_console_putc(dev, (u8)(value >> (8 * i)));
}

const struct pio_ops vdebugcon_ops = {
	.read = vdebugcon_read,
	.write = vdebugcon_write,
};
