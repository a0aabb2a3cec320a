/* SPDX-License-Identifier: MIT */
/* The POST code port. */
#include "vmm/dev/vpost.h"

static u32 vpost_read(void *dev, u16 port, u8 size)
{
	struct vpost *p = dev;

	(void)port;
	(void)size;
	return p->last_code;
}

static void vpost_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vpost *p = dev;

	(void)port;
	(void)size;
	p->last_code = (u8)value;
	p->writes++;
}

const struct pio_ops vpost_ops = {
	.read = vpost_read,
	.write = vpost_write,
};
