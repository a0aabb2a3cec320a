/* SPDX-License-Identifier: MIT */
/* The XML target description of a register layout. Pure. */
#include "vmm/gdb_tdesc.h"
#include "kernel/format.h"

static const char *const feature_names[] = {
	[GDB_FEATURE_CORE] = "org.gnu.gdb.i386.core",
	[GDB_FEATURE_SEGMENTS] = "org.gnu.gdb.i386.segments",
	[GDB_FEATURE_SYSTEM] = "org.vireo.x86.system",
};

/* EFLAGS bits by name (SDM Vol. 1 3.4.3), so that gdb shows "[ IF ZF ]". */
static const struct {
	const char *name;
	u8 bit;
} eflags_bits[] = {
	{ "CF", 0 }, { "PF", 2 }, { "AF", 4 }, { "ZF", 6 }, { "SF", 7 }, { "TF", 8 },
	{ "IF", 9 }, { "DF", 10 }, { "OF", 11 }, { "NT", 14 }, { "RF", 16 }, { "VM", 17 },
	{ "AC", 18 }, { "VIF", 19 }, { "VIP", 20 }, { "ID", 21 },
};

struct xml_out {
	char *buf;
	u32 size, len;
	bool overflow;
};

static void __printf(2, 3) put(struct xml_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = format_v(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (u32)n >= o->size - o->len)
		o->overflow = true;
	else
		o->len += (u32)n;
}

/* The eflags type lives in the core feature, whose registers use it. */
static void put_eflags_type(struct xml_out *o)
{
	put(o, "<flags id=\"x86_eflags\" size=\"4\">");
	for (u32 i = 0; i < ARRAY_SIZE(eflags_bits); i++)
		put(o, "<field name=\"%s\" start=\"%u\" end=\"%u\"/>", eflags_bits[i].name,
		    eflags_bits[i].bit, eflags_bits[i].bit);
	put(o, "</flags>\n");
}

u32 gdb_tdesc_write(char *buf, u32 size, const struct gdb_layout *l)
{
	struct xml_out o = { buf, size, 0, size == 0 };
	int feature = -1;

	/* Guests run on bare metal: no OS ABI (gdb's default, GNU/Linux, has no i8086 support). */
	put(&o, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
		"<target version=\"1.0\">\n<architecture>%s</architecture>\n<osabi>none</osabi>\n",
	    l->architecture);
	for (u32 i = 0; i < l->count; i++) {
		const struct gdb_reg *r = &l->regs[i];

		if (r->feature != feature) {
			if (feature >= 0)
				put(&o, "</feature>\n");
			feature = r->feature;
			put(&o, "<feature name=\"%s\">\n", feature_names[feature]);
			if (feature == GDB_FEATURE_CORE)
				put_eflags_type(&o);
		}
		/* The first register is numbered 0; the others follow in order. */
		put(&o, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\"%s/>\n", r->name, r->bits,
		    r->type, i == 0 ? " regnum=\"0\"" : "");
	}
	if (feature >= 0)
		put(&o, "</feature>\n");
	put(&o, "</target>\n");
	return o.overflow ? 0 : o.len;
}
