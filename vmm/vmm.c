/* SPDX-License-Identifier: MIT */
/* The VMM at boot, the record of every VM (to restart or destroy it), and the run's end. */
#include "vmm/vmm.h"
#include "arch/x86/paging.h"
#include "kernel/cpu_work.h"
#include "kernel/memory.h"
#include "kernel/modules.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/smp_call.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/format.h"
#include "vmm/cr_access.h"
#include "vmm/msr.h"
#include "vmm/sched.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define VM_MAX 64
/* onexit=restart gives up on a guest that exits this often: a crash loop, not a service. */
#define RESTART_BURST 200
#define RESTART_WINDOW_NS (60 * NSEC_PER_SEC)
#define MODULE_LABEL_MAX 120	/* how much of a module's line an error message quotes */

/*
 * Every VM created: the live one while it lives, then what the monitor shows of it; and what
 * it was made from, to make it again (onexit=restart, the console's restart).
 */
struct vm_record {
	u32 id;
	char name[VM_NAME_MAX];
	struct vm *vm;		/* NULL once it has ended, and between two lives */
	char reason[VM_STOP_REASON_MAX];
	struct vm_config config;
	struct vm_images images;	/* its modules, which stay reserved */
	bool restart_asked;	/* the console asked for a restart */
	bool destroy_asked;	/* the console asked for its end: no restart */
	bool restarting;	/* between two lives: restart_work is queued */
	u32 restarts;
	u64 burst_since_ns;	/* onexit=restart: the start of the window it counts lives in */
	u32 burst_lives;
	struct work restart_work;
};

static u32 vms_running;
static enum power_action when_done;
static struct vm_record records[VM_MAX];
static u32 record_count;
static struct spinlock records_lock = SPINLOCK_INIT;	/* records, and the VMs they point to */

static void restart_vm(struct work *w);
static void one_fewer_running(void);

bool vmm_available(void)
{
	return virt != NULL;
}

static void enable_on_cpu(void *result)
{
	int *failures = result;

	if (virt->cpu_enable() < 0)
		__atomic_add_fetch(failures, 1, __ATOMIC_RELAXED);
}

static bool select_and_enable(void)
{
	char why[200];
	const struct virt_ops *ops = virt_select(why, sizeof(why));
	struct guest_policy policy;
	int failures = 0;
	u32 ran;

	if (!ops) {
		pr_warn("vmm: no guests can run: %s\n", why);
		return false;
	}
	cr_access_init();
	policy = (struct guest_policy){ msr_passthrough, msr_passthrough_count,
					guest_cr4_allowed() };
	if (ops->init(&policy) < 0) {
		pr_err("vmm: %s could not be set up; no guests will run\n", ops->name);
		return false;
	}
	virt = ops;
	ran = smp_call_all(enable_on_cpu, &failures);
	if (failures || ran != percpu_count) {
		pr_err("vmm: %s could not be enabled on every CPU (%d failed); no guests will run\n",
		       virt->name, failures + (int)(percpu_count - ran));
		virt = NULL;
		return false;
	}
	pr_info("vmm: %s with %s enabled on %u CPU(s)\n", virt->name, virt->slat_name, ran);
	return true;
}

static struct vm *create_from_module(const struct boot_module *m, u32 id,
				     struct vm_config *config, struct vm_images *images)
{
	char error[VM_CONFIG_ERROR_MAX];

	if (vm_config_parse(module_args(m), config, error, sizeof(error)) < 0) {
		/* Quote a bounded part of the line, so that printk never cuts the error after it. */
		pr_err("module '%.*s%s': %s; no VM created\n", MODULE_LABEL_MAX, m->string,
		       strlen(m->string) > MODULE_LABEL_MAX ? "..." : "", error);
		return NULL;
	}
	*images = (struct vm_images){
		.kernel = { config->name, phys_to_virt(m->start), (size_t)(m->end - m->start) },
	};
	return vm_create(id, config, images);
}

/*
 * Refused when a CPU of its set is not there: running elsewhere would surprise whoever chose
 * them.
 */
static bool cpus_usable(const struct vm *vm)
{
	u64 missing = percpu_count >= 64 ? 0 : vm->config.cpus & ~(BIT(percpu_count) - 1);

	if (!missing)
		return true;
	pr_err("vm%u %s: CPU %d is one of its cpus, but CPUs 0 to %u are all there are; not "
	       "started\n", vm->id, vm->config.name, __builtin_ctzll(missing), percpu_count - 1);
	return false;
}

u32 vmm_start(const struct boot_info *bi, enum power_action on_done)
{
	struct vm *made[VM_MAX];
	u32 created = 0, count = 0;

	when_done = on_done;
	if (!select_and_enable())
		return 0;
	sched_init();
	for (u32 i = 0; i < bi->module_count && created < VM_MAX; i++) {
		const struct boot_module *m = &bi->modules[i];
		struct vm_config config;
		struct vm_images images;
		struct vm *vm;

		if (module_kind_of(m) != MODULE_GUEST)
			continue;
		vm = create_from_module(m, ++created, &config, &images);
		if (!vm)
			continue;
		if (!cpus_usable(vm)) {
			vm_destroy(vm);
			continue;
		}
		records[count] = (struct vm_record){
			.id = vm->id, .vm = vm, .config = config, .images = images,
			.restart_work.fn = restart_vm,
		};
		str_copy(records[count].name, vm->config.name, sizeof(records[count].name));
		made[count++] = vm;
	}
	/* Count every VM before starting any, so an early stop cannot look like the last. */
	record_count = vms_running = count;
	for (u32 i = 0; i < count; i++)
		vm_start(made[i]);
	return count;
}

/* Another life for an onexit=restart VM, unless it has had RESTART_BURST in the window. */
static bool crash_looping(struct vm_record *r)
{
	u64 now = time_since_boot_ns();

	if (now - r->burst_since_ns > RESTART_WINDOW_NS) {
		r->burst_since_ns = now;
		r->burst_lives = 0;
	}
	if (++r->burst_lives <= RESTART_BURST)
		return false;
	pr_warn("vm%u %s: exited %u times within %llu s; onexit=restart gives up ('start %s' "
		"makes it again)\n", r->id, r->name, RESTART_BURST,
		RESTART_WINDOW_NS / NSEC_PER_SEC, r->name);
	return true;
}

void vmm_vm_stopped(struct vm *vm)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	bool restart = false;

	for (u32 i = 0; i < record_count; i++) {
		struct vm_record *r = &records[i];

		if (r->vm != vm)
			continue;
		r->vm = NULL;
		str_copy(r->reason, vm->stop_reason, sizeof(r->reason));
		restart = !r->destroy_asked && (r->restart_asked ||
			  (!vm->fault && r->config.on_exit == VM_ON_EXIT_RESTART &&
			   !crash_looping(r)));
		r->restart_asked = false;
		if (restart) {
			/* Queued behind the VM's own end on this CPU: it runs once the VM is freed. */
			r->restarting = true;
			work_queue(this_cpu()->id, &r->restart_work);
		}
	}
	spin_unlock_irqrestore(&records_lock, flags);
	if (!restart)
		one_fewer_running();
}

/* Make a record's VM again from its module and configuration, and start it. */
static void restart_vm(struct work *w)
{
	struct vm_record *r = container_of(w, struct vm_record, restart_work);
	struct frame_alloc frames = memory_counters();
	struct vm *vm = NULL;
	u64 flags;

	if (!__atomic_load_n(&r->destroy_asked, __ATOMIC_ACQUIRE)) {
		pr_info("vm%u %s: restart %u (%llu frames free, heap %llu bytes in use)\n", r->id,
			r->name, r->restarts + 1, frames.free, memory_heap_bytes_in_use());
		vm = vm_create(r->id, &r->config, &r->images);
	}
	flags = spin_lock_irqsave(&records_lock);
	r->restarting = false;
	if (vm && r->destroy_asked) {	/* asked while it was being made */
		spin_unlock_irqrestore(&records_lock, flags);
		vm_destroy(vm);
		vm = NULL;
		flags = spin_lock_irqsave(&records_lock);
	}
	if (vm) {
		r->vm = vm;
		r->restarts++;
	} else if (r->destroy_asked) {
		str_copy(r->reason, "destroyed from the console", sizeof(r->reason));
		pr_info("vm%u %s: destroyed from the console, between two lives\n", r->id,
			r->name);
	} else {
		str_copy(r->reason, "could not be made again", sizeof(r->reason));
	}
	spin_unlock_irqrestore(&records_lock, flags);
	if (vm)
		vm_start(vm);
	else
		one_fewer_running();
}

/* After the last VM, the ondone action. */
static void one_fewer_running(void)
{
	if (__atomic_sub_fetch(&vms_running, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (when_done == POWER_KEEP_RUNNING) {
		pr_notice("vmm: every VM has stopped; the console stays up (ondone=console)\n");
		return;
	}
	pr_notice("vmm: every VM has stopped; shutting down (ondone=%s)\n",
		  cmdline_power_action_name(when_done));
	power_act(when_done);
}

/* "running on CPU 1", "paused", or per vCPU: "vCPU 0 running on CPU 1, vCPU 1 created". */
static void report_live(const struct vm *vm)
{
	char line[200];
	size_t n = 0;

	if (vm->vcpu_count == 1 && vm->state != VM_PAUSED) {
		pr_info("vm%u %s: %s on CPU %u\n", vm->id, vm->config.name,
			run_state_name(vm->vcpus[0]->run), vm->vcpus[0]->cpu);
		return;
	}
	for (u32 i = 0; i < vm->vcpu_count && n < sizeof(line); i++)
		n += (size_t)format(line + n, sizeof(line) - n, "%svCPU %u %s on CPU %u",
				    i ? ", " : "", i, run_state_name(vm->vcpus[i]->run),
				    vm->vcpus[i]->cpu);
	pr_info("vm%u %s: %s: %s\n", vm->id, vm->config.name,
		vm->state == VM_PAUSED ? "paused" : "running", line);
}

void vmm_report(void)
{
	u64 flags = spin_lock_irqsave(&records_lock);

	if (!record_count)
		pr_info("vmm: no VMs%s\n", virt ? "" : " (no virtualization on this machine)");
	for (u32 i = 0; i < record_count; i++) {
		const struct vm_record *r = &records[i];

		if (r->vm)
			report_live(r->vm);
		else
			pr_info("vm%u %s: stopped: %s\n", r->id, r->name, r->reason);
	}
	spin_unlock_irqrestore(&records_lock, flags);
}

bool vmm_with_vm(const char *name, void (*fn)(struct vm *vm, void *arg), void *arg)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	struct vm *found = NULL;

	for (u32 i = 0; i < record_count && !found; i++)
		if (records[i].vm && strcmp(records[i].name, name) == 0)
			found = records[i].vm;
	if (found)
		fn(found, arg);
	spin_unlock_irqrestore(&records_lock, flags);
	return found;
}

/* The record of the live (or restarting) VM named name; under records_lock. */
static struct vm_record *find_alive(const char *name)
{
	for (u32 i = 0; i < record_count; i++)
		if ((records[i].vm || records[i].restarting) && strcmp(records[i].name, name) == 0)
			return &records[i];
	return NULL;
}

bool vmm_destroy(const char *name)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	struct vm_record *r = find_alive(name);

	if (r) {
		__atomic_store_n(&r->destroy_asked, true, __ATOMIC_RELEASE);
		if (r->vm && !vm_shut_down(r->vm, "destroyed from the console"))
			pr_info("vm%u %s: destroyed from the console as it was ending\n", r->id,
				r->name);
	}
	spin_unlock_irqrestore(&records_lock, flags);
	return r;
}

bool vmm_start_again(const char *name)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	struct vm_record *r = NULL;

	if (!find_alive(name)) {
		for (u32 i = 0; i < record_count && !r; i++)
			if (strcmp(records[i].name, name) == 0)
				r = &records[i];
	}
	if (r) {
		/* It counts as running again from now: the run's end waits for it. */
		__atomic_add_fetch(&vms_running, 1, __ATOMIC_ACQ_REL);
		r->destroy_asked = false;
		r->burst_lives = 0;	/* asked for: it gets a new onexit=restart budget */
		r->restarting = true;
		work_queue(this_cpu()->id, &r->restart_work);
	}
	spin_unlock_irqrestore(&records_lock, flags);
	return r;
}

bool vmm_restart(const char *name)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	struct vm_record *r = find_alive(name);

	if (r && r->vm && !r->destroy_asked) {	/* one restarting already needs nothing */
		r->restart_asked = true;
		vm_shut_down(r->vm, "restarted from the console");
	}
	spin_unlock_irqrestore(&records_lock, flags);
	return r;
}

u32 vmm_focus_after(u32 id)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	const struct vm_record *next = NULL;

	for (u32 i = 0; i < record_count && !next; i++)
		if (records[i].vm && records[i].id > id)
			next = &records[i];
	if (next)
		pr_notice("console: keys go to vm%u %s now (Ctrl-] for the next)\n", next->id,
			  next->name);
	else
		pr_notice("console: keys go to the monitor now (Ctrl-] gives them to a VM)\n");
	spin_unlock_irqrestore(&records_lock, flags);
	return next ? next->id : 0;
}

bool vmm_type_key(u32 id, u8 key)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	struct vm *vm = NULL;

	for (u32 i = 0; i < record_count && !vm; i++)
		if (records[i].id == id)
			vm = records[i].vm;
	if (vm)
		vm_console_input(vm, key);
	spin_unlock_irqrestore(&records_lock, flags);
	return vm;
}
