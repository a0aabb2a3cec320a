/* SPDX-License-Identifier: MIT */
/* A VM's console: lines, escaping, and a per-VM rate limit that counts what it drops. */
#include "vmm/vm_console.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"

/* SGR foreground colours, bright where a dark terminal needs it to read well. */
static const char *const sgr_of[] = {
	[VM_COLOR_RED] = "91", [VM_COLOR_GREEN] = "92", [VM_COLOR_YELLOW] = "93",
	[VM_COLOR_BLUE] = "94", [VM_COLOR_MAGENTA] = "95", [VM_COLOR_CYAN] = "96",
};
/* VM_COLOR_AUTO's turn of them, by VM number: neighbours differ. */
static const enum vm_color palette[] = { VM_COLOR_CYAN, VM_COLOR_GREEN, VM_COLOR_YELLOW,
					 VM_COLOR_MAGENTA, VM_COLOR_BLUE, VM_COLOR_RED };
static bool color_on = true;

void vm_console_use_color(bool on)
{
	color_on = on;
}

void vm_console_init(struct vm_console *c, u32 vm_id, const char *vm_name,
		     enum vm_color color)
{
	memset(c, 0, sizeof(*c));
	c->vm_id = vm_id;
	c->vm_name = vm_name;
	if (color == VM_COLOR_AUTO)
		color = palette[(vm_id - 1) % ARRAY_SIZE(palette)];
	if (color_on && color != VM_COLOR_OFF)
		c->sgr = sgr_of[color];
	c->allowance = VM_CONSOLE_BURST_LINES;
	c->refilled_ns = time_since_boot_ns();
}

static bool allowed(struct vm_console *c)
{
	u64 now = time_since_boot_ns();
	u64 earned = (now - c->refilled_ns) * VM_CONSOLE_LINES_PER_SECOND / NSEC_PER_SEC;

	if (earned) {
		c->allowance = MIN(c->allowance + earned, (u64)VM_CONSOLE_BURST_LINES);
		c->refilled_ns = now;
	}
	if (!c->allowance)
		return false;
	c->allowance--;
	return true;
}

static void report_dropped(struct vm_console *c)
{
	if (!c->dropped_unreported)
		return;
	pr_notice("vm%u %s: %llu console lines dropped (over %u lines/s)\n", c->vm_id,
		  c->vm_name, c->dropped_unreported, VM_CONSOLE_LINES_PER_SECOND);
	c->dropped_unreported = 0;
}

/* A record of the VM's line: its marker in its colour, then text; whole, or its start. */
static void start_record(struct vm_console *c, const char *text, bool whole)
{
	char marker[VM_NAME_MAX + 32];

	if (c->sgr)
		format(marker, sizeof(marker), "\x1b[%sm" "vm%u %s>" "\x1b[0m", c->sgr, c->vm_id,
		       c->vm_name);
	else
		format(marker, sizeof(marker), "vm%u %s>", c->vm_id, c->vm_name);
	if (whole)
		pr_info("%s %s\n", marker, text);
	else
		printk_line_start(LOG_INFO, "%s %s", marker, text);
}

/* The rest of a line shown in part already (vm_console_flush), on the console after it. */
static void show_rest(struct vm_console *c)
{
	console_write(c->line + c->shown, c->len - c->shown);
}

/*
 * End the current line: log it, or count it as dropped when over the limit (unless forced).
 * A line shown in part already (vm_console_flush) was counted then: its rest follows it.
 */
static void end_line(struct vm_console *c, bool force)
{
	c->line[c->len] = '\0';
	if (c->shown) {
		show_rest(c);
		console_write("\n", 1);
		c->len = c->shown = 0;
		return;
	}
	c->len = 0;
	c->lines++;
	if (!allowed(c) && !force) {
		c->dropped++;
		c->dropped_unreported++;
		return;
	}
	report_dropped(c);
	start_record(c, c->line, true);
}

void vm_console_putc(struct vm_console *c, u8 ch)
{
	if (ch == '\n') {
		end_line(c, false);
		return;
	}
	if (ch == '\r')
		return;
	if (c->len + 5 >= sizeof(c->line))
		end_line(c, false);
	if (ch >= 0x20 && ch < 0x7f) {
		c->line[c->len++] = (char)ch;
	} else {
		/* Escape the rest: a guest must not drive the host's terminal. */
		c->len += (u32)format(c->line + c->len, sizeof(c->line) - c->len, "\\x%02x", ch);
	}
}

void vm_console_write(struct vm_console *c, const u8 *buf, u64 len)
{
	for (u64 i = 0; i < len; i++)
		vm_console_putc(c, buf[i]);
}

void vm_console_flush(struct vm_console *c)
{
	if (c->len == c->shown)
		return;
	c->line[c->len] = '\0';
	if (c->shown) {
		show_rest(c);
	} else {
		c->lines++;
		if (!allowed(c)) {	/* then the line is logged whole when it ends, or dropped */
			c->lines--;
			return;
		}
		report_dropped(c);
		start_record(c, c->line, false);
	}
	c->shown = c->len;
}

void vm_console_close(struct vm_console *c)
{
	if (c->len)
		end_line(c, true);
	report_dropped(c);
}
