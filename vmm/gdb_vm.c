/* SPDX-License-Identifier: MIT */
/* One VM as the GDB stub's target: held vCPUs, guest memory, resumption, the debug exits. */
#include "vmm/gdb_vm.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "vmm/debug_regs.h"
#include "vmm/guest_access.h"
#include "vmm/guest_memory.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

/* RFLAGS bits a guest can hold: the rest are reserved, bit 1 always set (SDM Vol. 1 3.4.3). */
#define RFLAGS_WRITABLE 0x3f7fd5ULL

static struct vm *vm_of(void *ctx)
{
	return ((struct gdb_vm *)ctx)->vm;
}

/* Is v held where it is, loaded on no CPU: paused, or never started, or stopped? */
static bool held(struct vcpu *v)
{
	u64 flags = spin_lock_irqsave(&v->lock);
	bool yes = v->run == RUN_PAUSED || v->run == RUN_CREATED || v->run == RUN_STOPPED;

	spin_unlock_irqrestore(&v->lock, flags);
	return yes;
}

/*
 * The backend's verbs act on a vCPU loaded on the calling CPU: a held one is loaded nowhere,
 * so it is loaded here for them, between two of this CPU's time slices, and put back.
 */
static struct vcpu *load_held(void *ctx, u32 vcpu)
{
	struct vm *vm = vm_of(ctx);
	struct vcpu *v;

	if (!vm || vcpu >= vm->vcpu_count)
		return NULL;
	v = vm->vcpus[vcpu];
	if (!held(v) || virt->vcpu_load(v) < 0)
		return NULL;
	return v;
}

static u32 thread_count(void *ctx)
{
	struct vm *vm = vm_of(ctx);

	return vm ? vm->vcpu_count : 1;
}

static int get_state(void *ctx, u32 vcpu, struct vcpu_state *st)
{
	struct vcpu *v = load_held(ctx, vcpu);

	if (!v)
		return -EBUSY;
	if (v->new_state_due)
		*st = v->new_state;	/* started while held: this goes in at its first load */
	else
		virt->get_state(v, st);
	virt->vcpu_put(v);
	return 0;
}

/*
 * gdb may change the general registers, RIP and RFLAGS (reserved bits kept as the CPU wants
 * them), and in real mode the selectors (with their bases); the rest is the guest's to
 * change. What else differs is refused.
 */
static int checked_state(const struct vcpu_state *now, const struct vcpu_state *st,
			 struct vcpu_state *out)
{
	struct vcpu_state a = *now, b = *st;
	bool real_mode = !(now->cr0 & X86_CR0_PE);

	a.regs = b.regs;
	if (real_mode)
		memcpy(a.seg, b.seg, sizeof(a.seg));
	if (memcmp(&a, &b, sizeof(a)))
		return -EINVAL;
	*out = b;
	out->regs.rflags = (b.regs.rflags & RFLAGS_WRITABLE) | X86_RFLAGS_FIXED;
	return 0;
}

static int set_state(void *ctx, u32 vcpu, const struct vcpu_state *st)
{
	struct vcpu *v = load_held(ctx, vcpu);
	struct vcpu_state now, next;
	int err;

	if (!v)
		return -EBUSY;
	if (v->new_state_due)
		now = v->new_state;
	else
		virt->get_state(v, &now);
	err = checked_state(&now, st, &next);
	if (!err && v->new_state_due)
		v->new_state = next;
	else if (!err)
		virt->set_state(v, &next);
	virt->vcpu_put(v);
	return err;
}

/*
 * Guest-virtual memory page by page, through the vCPU's page tables as a supervisor read
 * sees them: a write goes to the page's RAM directly, so gdb's INT3 lands in read-only code.
 */
static int copy_virt(void *ctx, u32 vcpu, u64 addr, void *buf, u32 len, bool write)
{
	struct vcpu *v = load_held(ctx, vcpu);
	u32 done = 0;

	if (!v)
		return -EFAULT;
	while (done < len) {
		u64 at = addr + done, gpa;
		u32 n = (u32)MIN((u64)(len - done), PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		int err = guest_translate(v, at, 0, &gpa);

		if (!err)
			err = write ? guest_memory_write(&v->vm->mem, gpa, (u8 *)buf + done, n)
				    : guest_memory_read(&v->vm->mem, gpa, (u8 *)buf + done, n);
		if (err)
			break;
		done += n;
	}
	virt->vcpu_put(v);
	return done ? (int)done : -EFAULT;
}

static int read_virt(void *ctx, u32 vcpu, u64 addr, void *buf, u32 len)
{
	return copy_virt(ctx, vcpu, addr, buf, len, false);
}

static int write_virt(void *ctx, u32 vcpu, u64 addr, const void *buf, u32 len)
{
	return copy_virt(ctx, vcpu, addr, (void *)buf, len, true);	/* only read */
}

static int read_phys(void *ctx, u64 gpa, void *buf, u32 len)
{
	struct vm *vm = vm_of(ctx);

	if (!vm || guest_memory_read(&vm->mem, gpa, buf, len) < 0)
		return -EFAULT;
	return (int)len;
}

static int write_phys(void *ctx, u64 gpa, const void *buf, u32 len)
{
	struct vm *vm = vm_of(ctx);

	if (!vm || guest_memory_write(&vm->mem, gpa, buf, len) < 0)
		return -EFAULT;
	return (int)len;
}

/*
 * gdb's hardware breakpoints into v's debug registers while there are any and gdb debugs;
 * otherwise the guest's own back.
 */
static void load_debug_registers(struct gdb_vm *g, struct vcpu *v, bool debugging)
{
	u64 dr[GDB_HWBP_SLOTS];

	if (!debugging || !g->hw.used) {
		debug_regs_return(v);
		return;
	}
	gdb_hwbp_addresses(&g->hw, dr);
	debug_regs_lend(v, dr, gdb_hwbp_dr7(&g->hw));
}

/* Give every vCPU its debug controls and registers, and let those that run go. */
static void release(struct gdb_vm *g, const enum gdb_resume_action *actions, bool debugging)
{
	struct vm *vm = g->vm;
	u64 runs = 0;

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *v = load_held(g, i);
		enum gdb_resume_action a = actions ? actions[i] : GDB_RESUME_CONTINUE;

		if (v) {
			virt->set_guest_debug(v, a == GDB_RESUME_STEP, debugging);
			load_debug_registers(g, v, debugging);
			virt->vcpu_put(v);
		}
		if (a != GDB_RESUME_STAY)
			runs |= BIT(i);
	}
	vm_resume_vcpus(vm, runs);
}

static void resume(void *ctx, const enum gdb_resume_action *actions, u32 count)
{
	struct gdb_vm *g = ctx;

	if (g->vm && count == g->vm->vcpu_count)
		release(g, actions, true);
}

static void request_stop(void *ctx)
{
	struct gdb_vm *g = ctx;

	if (!g->vm)
		return;
	g->stop_wanted = true;
	vm_pause(g->vm);
}

/*
 * gdb plants its INT3s itself with memory writes; the others take a debug register, loaded
 * into the vCPUs when the VM next runs (release).
 */
static int insert_breakpoint(void *ctx, enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	if (type == GDB_BP_SOFTWARE)
		return -ENOSYS;
	return gdb_hwbp_insert(&((struct gdb_vm *)ctx)->hw, type, addr, len);
}

static int remove_breakpoint(void *ctx, enum gdb_breakpoint_type type, u64 addr, u32 len)
{
	if (type == GDB_BP_SOFTWARE)
		return -ENOSYS;
	return gdb_hwbp_remove(&((struct gdb_vm *)ctx)->hw, type, addr, len);
}

static void remove_all_breakpoints(void *ctx)
{
	memset(&((struct gdb_vm *)ctx)->hw, 0, sizeof(struct gdb_hwbp));
}

static void detach(void *ctx)
{
	struct gdb_vm *g = ctx;

	if (g->vm)
		release(g, NULL, false);
}

static void send(void *ctx, const u8 *bytes, u32 len)
{
	((struct gdb_vm *)ctx)->send(bytes, len);
}

const struct gdb_target_ops gdb_vm_ops = {
	.thread_count = thread_count,
	.get_state = get_state,
	.set_state = set_state,
	.read_virt = read_virt,
	.write_virt = write_virt,
	.read_phys = read_phys,
	.write_phys = write_phys,
	.resume = resume,
	.request_stop = request_stop,
	.insert_breakpoint = insert_breakpoint,
	.remove_breakpoint = remove_breakpoint,
	.remove_all_breakpoints = remove_all_breakpoints,
	.detach = detach,
	.send = send,
};

void gdb_vm_attach(struct gdb_vm *g, struct vm *vm)
{
	g->vm = vm;
	g->stop_wanted = false;
	memset(&g->hw, 0, sizeof(g->hw));
	__atomic_store_n(&g->hit, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&vm->gdb, g, __ATOMIC_RELEASE);
}

void gdb_vm_release(struct gdb_vm *g)
{
	if (g->vm)
		__atomic_store_n(&g->vm->gdb, NULL, __ATOMIC_RELEASE);
	g->vm = NULL;
}

bool gdb_vm_poll(struct gdb_vm *g, struct gdb_stop *stop)
{
	u32 hit = __atomic_load_n(&g->hit, __ATOMIC_ACQUIRE);

	if (!g->vm || (!hit && !g->stop_wanted))
		return false;
	for (u32 i = 0; i < g->vm->vcpu_count; i++)
		if (!held(g->vm->vcpus[i]))
			return false;
	*stop = (struct gdb_stop){ .reason = GDB_STOP_INTERRUPTED };
	if (hit) {
		u32 slot = (hit >> 4) & 3;

		stop->reason = (enum gdb_stop_reason)((hit & 0xf) - 1);
		stop->thread = hit >> 8;
		if (stop->reason == GDB_STOP_WATCHPOINT) {
			stop->watch_type = g->hw.slot[slot].type;
			stop->watch_addr = g->hw.slot[slot].addr;
		}
	}
	g->stop_wanted = false;
	__atomic_store_n(&g->hit, 0, __ATOMIC_RELEASE);
	return true;
}

/* On v's CPU: the first stop met wins; the whole VM is held for gdb. */
static enum exit_action stop_for_gdb(struct vcpu *v, struct gdb_vm *g,
				     enum gdb_stop_reason reason, u32 slot)
{
	u32 none = 0;

	__atomic_compare_exchange_n(&g->hit, &none, (reason + 1) | slot << 4 | v->id << 8, false,
				    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	vm_pause(v->vm);
	return EXIT_RESUME;	/* it leaves for the pause before it enters again */
}

enum exit_action gdb_vm_breakpoint(struct vcpu *v)
{
	struct gdb_vm *g = __atomic_load_n(&v->vm->gdb, __ATOMIC_ACQUIRE);

	if (g)
		return stop_for_gdb(v, g, GDB_STOP_SW_BREAKPOINT, 0);
	/* The debugger left meanwhile: the guest's #BP, a trap, returns past the INT3. */
	v->regs.rip++;
	vcpu_queue_exception(v, VECTOR_BREAKPOINT, false, 0);
	return EXIT_RESUME;
}

enum exit_action gdb_vm_step_done(struct vcpu *v)
{
	struct gdb_vm *g = __atomic_load_n(&v->vm->gdb, __ATOMIC_ACQUIRE);

	return g ? stop_for_gdb(v, g, GDB_STOP_STEP, 0) : EXIT_RESUME;
}

/*
 * The B0-B3 bits of DR6 (VT-x: the exit qualification, as the payload; AMD-V: the VMCB's DR6,
 * which the #DB has set) name the debug registers that hit (SDM Vol. 3B 17.2.3). gdb's hits
 * are cleared from the guest's DR6. An instruction breakpoint is a fault, RIP still at the
 * instruction: RFLAGS.RF lets it run once on resume without hitting again (SDM 17.3.1.1).
 */
bool gdb_vm_debug_trap(struct vcpu *v, const struct event *db)
{
	struct gdb_vm *g = __atomic_load_n(&v->vm->gdb, __ATOMIC_ACQUIRE);
	u64 dr6 = db->has_payload ? db->payload : virt->get_dr(v, 6);
	struct gdb_stop stop;
	u32 hits;

	if (!g)
		return false;
	hits = gdb_hwbp_hit(&g->hw, dr6, &stop);
	if (!hits)
		return false;
	virt->set_dr(v, 6, virt->get_dr(v, 6) & ~(u64)hits);
	if (stop.reason == GDB_STOP_HW_BREAKPOINT)
		v->regs.rflags |= X86_RFLAGS_RF;
	stop_for_gdb(v, g, stop.reason, (u32)__builtin_ctz(hits));
	return true;
}
