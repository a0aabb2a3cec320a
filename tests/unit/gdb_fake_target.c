/* SPDX-License-Identifier: MIT */
/* A fake VM behind the GDB stub: plain vCPU state, a small RAM with a hole, breakpoints. */
#include "tests/unit/gdb_fake_target.h"
#include "arch/x86/cr_bits.h"
#include "arch/x86/msr.h"
#include "kernel/errno.h"
#include "kernel/string.h"

static struct fake_target *fake(void *ctx)
{
	return ctx;
}

static u32 fake_thread_count(void *ctx)
{
	return fake(ctx)->vcpus;
}

static int fake_get_state(void *ctx, u32 vcpu, struct vcpu_state *st)
{
	*st = fake(ctx)->state[vcpu];
	return 0;
}

/* Like a real CPU, refuse reserved EFER bits (all but SCE, LME, LMA, NXE here). */
static int fake_set_state(void *ctx, u32 vcpu, const struct vcpu_state *st)
{
	if (st->efer & ~(u64)(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
		return -EINVAL;
	fake(ctx)->state[vcpu] = *st;
	return 0;
}

/* Guest-virtual FAKE_VIRT_BASE + x is guest-physical x, except in the hole. */
static bool fake_translate(u64 va, u64 *pa)
{
	if (va < FAKE_VIRT_BASE || va >= FAKE_VIRT_BASE + FAKE_RAM_SIZE ||
	    ALIGN_DOWN(va, PAGE_SIZE) == FAKE_HOLE)
		return false;
	*pa = va - FAKE_VIRT_BASE;
	return true;
}

static int fake_access_phys(struct fake_target *t, u64 gpa, u8 *buf, u32 len, bool write)
{
	u32 n = gpa >= FAKE_RAM_SIZE ? 0 : (u32)MIN((u64)len, FAKE_RAM_SIZE - gpa);

	if (!n)
		return -EFAULT;
	if (write)
		memcpy(t->ram + gpa, buf, n);
	else
		memcpy(buf, t->ram + gpa, n);
	return (int)n;
}

static int fake_access_virt(struct fake_target *t, u64 va, u8 *buf, u32 len, bool write)
{
	u32 done = 0;
	u64 pa;

	while (done < len && fake_translate(va + done, &pa)) {
		u32 n = (u32)MIN((u64)(len - done), PAGE_SIZE - (pa & (PAGE_SIZE - 1)));

		fake_access_phys(t, pa, buf + done, n, write);
		done += n;
	}
	return done ? (int)done : -EFAULT;
}

static int fake_read_virt(void *ctx, u32 vcpu, u64 addr, void *buf, u32 len)
{
	(void)vcpu;
	return fake_access_virt(fake(ctx), addr, buf, len, false);
}

static int fake_write_virt(void *ctx, u32 vcpu, u64 addr, const void *buf, u32 len)
{
	(void)vcpu;
	return fake_access_virt(fake(ctx), addr, (u8 *)buf, len, true);
}

static int fake_read_phys(void *ctx, u64 gpa, void *buf, u32 len)
{
	return fake_access_phys(fake(ctx), gpa, buf, len, false);
}

static int fake_write_phys(void *ctx, u64 gpa, const void *buf, u32 len)
{
	return fake_access_phys(fake(ctx), gpa, (u8 *)buf, len, true);
}

static void fake_resume(void *ctx, const enum gdb_resume_action *actions, u32 count)
{
	struct fake_target *t = fake(ctx);

	memcpy(t->actions, actions, count * sizeof(*actions));
	t->resumes++;
	t->running = true;
}

/* A stopped VM reports at once, from within the call; a running one when the test says. */
static void fake_request_stop(void *ctx)
{
	struct fake_target *t = fake(ctx);

	t->stop_requests++;
	if (!t->running)
		fake_target_stop(t, GDB_STOP_INTERRUPTED, 0);
}

static bool is_debug_register_kind(enum gdb_breakpoint_type type)
{
	return type != GDB_BP_SOFTWARE;
}

static int fake_insert_breakpoint(void *ctx, enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	struct fake_target *t = fake(ctx);
	u32 in_drs = 0;

	if (type != GDB_BP_SOFTWARE && type != GDB_BP_HARDWARE && len && !IS_ALIGNED(addr, len))
		return -EINVAL;
	for (u32 i = 0; i < t->bp_count; i++)
		in_drs += is_debug_register_kind(t->bp[i].type);
	if ((is_debug_register_kind(type) && in_drs == FAKE_DEBUG_REGS) ||
	    t->bp_count == FAKE_MAX_BREAKPOINTS)
		return -ENOSPC;
	t->bp[t->bp_count++] = (struct fake_breakpoint){ type, addr, len };
	return 0;
}

static int fake_remove_breakpoint(void *ctx, enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	struct fake_target *t = fake(ctx);

	for (u32 i = 0; i < t->bp_count; i++) {
		if (t->bp[i].type == type && t->bp[i].addr == addr && t->bp[i].len == len) {
			t->bp[i] = t->bp[--t->bp_count];
			return 0;
		}
	}
	return -EINVAL;
}

static void fake_remove_all_breakpoints(void *ctx)
{
	fake(ctx)->bp_count = 0;
}

static void fake_detach(void *ctx)
{
	struct fake_target *t = fake(ctx);

	t->detaches++;
	t->running = true;
}

static void fake_send(void *ctx, const u8 *bytes, u32 len)
{
	struct fake_target *t = fake(ctx);

	/* Keep the newest bytes when the buffer fills: tests look at the last reply. */
	if (len > sizeof(t->out) - 1 - t->out_len)
		t->out_len = 0;
	memcpy(t->out + t->out_len, bytes, len);
	t->out_len += len;
	t->out[t->out_len] = 0;
}

static const struct gdb_target_ops fake_ops = {
	.thread_count = fake_thread_count,
	.get_state = fake_get_state,
	.set_state = fake_set_state,
	.read_virt = fake_read_virt,
	.write_virt = fake_write_virt,
	.read_phys = fake_read_phys,
	.write_phys = fake_write_phys,
	.resume = fake_resume,
	.request_stop = fake_request_stop,
	.insert_breakpoint = fake_insert_breakpoint,
	.remove_breakpoint = fake_remove_breakpoint,
	.remove_all_breakpoints = fake_remove_all_breakpoints,
	.detach = fake_detach,
	.send = fake_send,
};

void fake_target_set_mode(struct fake_target *t, u32 v, enum gdb_layout_id mode)
{
	struct vcpu_state *st = &t->state[v];

	st->cr0 = mode == GDB_LAYOUT_I8086 ? 0 : X86_CR0_PE;
	st->efer = 0;
	if (mode == GDB_LAYOUT_AMD64) {
		st->cr0 |= X86_CR0_PG;
		st->efer = EFER_LME | EFER_LMA;
	}
}

void fake_target_init(struct fake_target *t, u32 vcpus)
{
	memset(t, 0, sizeof(*t));
	t->vcpus = vcpus;
	t->running = true;
	for (u32 v = 0; v < vcpus; v++) {
		struct vcpu_regs *r = &t->state[v].regs;

		/* Every register a different value, so that a misplaced one shows. */
		r->rax = 0x1111111111111100ULL + v;
		r->rcx = 0x2222222222222200ULL + v;
		r->rdx = 0x3333333333333300ULL + v;
		r->rbx = 0x4444444444444400ULL + v;
		r->rsp = 0x5555555555555500ULL + v;
		r->rbp = 0x6666666666666600ULL + v;
		r->rsi = 0x7777777777777700ULL + v;
		r->rdi = 0x8888888888888800ULL + v;
		r->r8 = 0x0808080808080808ULL;
		r->r15 = 0x0f0f0f0f0f0f0f0fULL;
		r->rip = FAKE_VIRT_BASE + 0x1000 + 0x100 * v;
		r->rflags = 0x246;
		t->state[v].seg[SEG_CS] = (struct segment){ 0x08, SEG_ATTR_CODE64, ~0u, 0 };
		t->state[v].seg[SEG_SS] = (struct segment){ 0x10, SEG_ATTR_DATA32, ~0u, 0 };
		t->state[v].seg[SEG_FS].base = 0xfeedf00d0000ULL;
		t->state[v].cr3 = 0x9000;
		fake_target_set_mode(t, v, GDB_LAYOUT_AMD64);
	}
	for (u32 i = 0; i < FAKE_RAM_SIZE; i++)
		t->ram[i] = (u8)i;
	gdb_stub_init(&t->stub, &fake_ops, t);
}

void fake_target_stop(struct fake_target *t, enum gdb_stop_reason reason, u32 v)
{
	struct gdb_stop stop = { .reason = reason, .thread = v };

	t->running = false;
	gdb_stub_report_stop(&t->stub, &stop);
}

bool fake_target_breakpoint_at(const struct fake_target *t, enum gdb_breakpoint_type type,
			       u64 addr)
{
	for (u32 i = 0; i < t->bp_count; i++) {
		if (t->bp[i].type == type && addr >= t->bp[i].addr &&
		    addr < t->bp[i].addr + MAX(t->bp[i].len, 1u))
			return true;
	}
	return false;
}
