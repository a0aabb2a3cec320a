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
#include "vmm/config_file.h"
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
	bool reset_asked;	/* the guest reset its PC: a restart, counted as a life */
	bool destroy_asked;	/* the console asked for its end: no restart */
	bool restarting;	/* between two lives: restart_work is queued */
	bool waiting;		/* autostart = false: made at the console's start */
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
static struct config_file boot_config;	/* large, and read once: not on a stack */
_Static_assert(CONFIG_FILE_VMS_MAX <= VM_MAX, "a config's VMs fit in the records");

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

/* The next record, for a VM named as config says, or NULL (logged) when it cannot have one. */
static struct vm_record *new_record(u32 id, const struct vm_config *config, u32 count)
{
	struct vm_record *r = &records[count];

	for (u32 i = 0; i < count; i++) {
		if (strcmp(records[i].name, config->name) == 0) {
			pr_err("vm%u %s: vm%u has this name already; not created\n", id, config->name,
			       records[i].id);
			return NULL;
		}
	}
	if (count == VM_MAX) {
		pr_err("vm%u %s: Vireo keeps at most %u VMs; not created\n", id, config->name, VM_MAX);
		return NULL;
	}
	*r = (struct vm_record){ .id = id, .config = *config, .restart_work.fn = restart_vm };
	str_copy(r->name, config->name, sizeof(r->name));
	return r;
}

/*
 * Refused when a CPU of its set is not there: running elsewhere would surprise whoever chose
 * them.
 */
static bool cpus_usable(u32 id, const struct vm_config *config)
{
	u64 missing = percpu_count >= 64 ? 0 : config->cpus & ~(BIT(percpu_count) - 1);

	if (!missing)
		return true;
	pr_err("vm%u %s: CPU %d is one of its cpus, but CPUs 0 to %u are all there are; not "
	       "started\n", id, config->name, __builtin_ctzll(missing), percpu_count - 1);
	return false;
}

/* Make the VM of a new record (or leave it waiting for the console); true when it is kept. */
static bool make_vm(struct vm_record *r)
{
	if (!cpus_usable(r->id, &r->config))
		return false;
	if (!r->config.autostart) {
		r->waiting = true;
		pr_info("vm%u %s: waits for the console's 'start %s' (autostart = false)\n", r->id,
			r->name, r->name);
		return true;
	}
	r->vm = vm_create(r->id, &r->config, &r->images);
	return r->vm != NULL;
}

static bool add_from_module(const struct boot_module *m, u32 id, u32 count)
{
	char error[VM_CONFIG_ERROR_MAX];
	struct vm_config config;
	struct vm_record *r;

	if (vm_config_parse(module_args(m), &config, error, sizeof(error)) < 0) {
		/* Quote a bounded part of the line, so that printk never cuts the error after it. */
		pr_err("module '%.*s%s': %s; no VM created\n", MODULE_LABEL_MAX, m->string,
		       strlen(m->string) > MODULE_LABEL_MAX ? "..." : "", error);
		return false;
	}
	r = new_record(id, &config, count);
	if (!r)
		return false;
	r->images.kernel = (struct vm_image){ r->name, phys_to_virt(m->start),
					      (size_t)(m->end - m->start) };
	return make_vm(r);
}

/* The boot module a config names, marked used; NULL after saying that there is none. */
static const struct vm_image *named_image(const struct boot_info *bi, const char *name,
					  u32 line, const char *key, const char *vm_name,
					  struct vm_image *image, bool *used)
{
	u32 index;
	const struct boot_module *m = modules_find_file(bi, name, &index);

	if (!m) {
		config_file_error(&boot_config, line, "%s: no boot module named '%s' (module2 FILE "
				  "%s); vm '%s' is not made", key, name, name, vm_name);
		return NULL;
	}
	used[index] = true;
	*image = (struct vm_image){ m->string, phys_to_virt(m->start), (size_t)(m->end - m->start) };
	return image;
}

static bool config_images(const struct boot_info *bi, const struct config_file_vm *cv,
			  struct vm_images *images, bool *used)
{
	const char *name = cv->config.name;

	if (!named_image(bi, cv->image, cv->image_line, "image", name, &images->kernel, used))
		return false;
	for (u32 i = 0; i < cv->module_count; i++)
		if (!named_image(bi, cv->modules[i], cv->modules_line, "modules", name,
				 &images->modules[i], used))
			return false;
	images->module_count = cv->module_count;
	return true;
}

static void log_config_message(void *ctx, const char *message)
{
	(void)ctx;
	pr_err("%s\n", message);
}

/* The VMs of a config file module, numbered from *last_id + 1; returns how many were kept. */
static u32 add_from_config(const struct boot_info *bi, const struct boot_module *m,
			   u32 *last_id, u32 count, bool *used)
{
	const char *label = *module_args(m) ? module_args(m) : "vmconfig";
	u32 kept = 0;

	config_file_parse(&boot_config, label, phys_to_virt(m->start), (size_t)(m->end - m->start),
			  log_config_message, NULL);
	pr_info("vmm: %s: %u VM(s) read, %u error(s)\n", label, boot_config.vm_count,
		boot_config.error_count);
	for (u32 i = 0; i < boot_config.vm_count; i++) {
		const struct config_file_vm *cv = &boot_config.vms[i];
		struct vm_record *r = new_record(++*last_id, &cv->config, count + kept);

		if (r && config_images(bi, cv, &r->images, used) && make_vm(r))
			kept++;
	}
	return kept;
}

/* A named file that no VM uses is most likely a typo in its module line or in the config. */
static void warn_unused_files(const struct boot_info *bi, const bool *used)
{
	for (u32 i = 0; i < bi->module_count; i++)
		if (module_kind_of(&bi->modules[i]) == MODULE_FILE && !used[i])
			pr_warn("module %u: '%s' is a file no VM uses (not a kind: guest, acpi-table, "
				"vmconfig)\n", i, bi->modules[i].string);
}

u32 vmm_start(const struct boot_info *bi, enum power_action on_done)
{
	bool used[BOOT_MODULES_MAX] = { false };
	u32 last_id = 0, count = 0, started = 0;

	when_done = on_done;
	if (!select_and_enable())
		return 0;
	sched_init();
	for (u32 i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (module_kind_of(m) == MODULE_GUEST)
			count += add_from_module(m, ++last_id, count);
		else if (module_kind_of(m) == MODULE_VM_CONFIG)
			count += add_from_config(bi, m, &last_id, count, used);
	}
	warn_unused_files(bi, used);
	/* Count every VM before starting any, so an early stop cannot look like the last. */
	for (u32 i = 0; i < count; i++)
		started += records[i].vm != NULL;
	record_count = count;
	vms_running = started;
	for (u32 i = 0; i < count; i++)
		if (records[i].vm)
			vm_start(records[i].vm);
	return started;
}

/*
 * Another life for an onexit=restart VM or one that reset its PC, unless it has had
 * RESTART_BURST in the window.
 */
static bool crash_looping(struct vm_record *r)
{
	u64 now = time_since_boot_ns();

	if (now - r->burst_since_ns > RESTART_WINDOW_NS) {
		r->burst_since_ns = now;
		r->burst_lives = 0;
	}
	if (++r->burst_lives <= RESTART_BURST)
		return false;
	pr_warn("vm%u %s: exited %u times within %llu s; %s gives up ('start %s' makes it "
		"again)\n", r->id, r->name, RESTART_BURST, RESTART_WINDOW_NS / NSEC_PER_SEC,
		r->reset_asked ? "resetting it" : "onexit=restart", r->name);
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
			  ((r->reset_asked || (!vm->fault && r->config.on_exit == VM_ON_EXIT_RESTART)) &&
			   !crash_looping(r)));
		r->restart_asked = r->reset_asked = false;
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
		if (r->waiting)
			pr_info("vm%u %s: made at the console's start\n", r->id, r->name);
		else
			pr_info("vm%u %s: restart %u (%llu frames free, heap %llu bytes in use)\n",
				r->id, r->name, r->restarts + 1, frames.free,
				memory_heap_bytes_in_use());
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
		r->restarts += !r->waiting;
		r->waiting = false;
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
		else if (r->waiting)
			pr_info("vm%u %s: waiting for 'start %s' (autostart = false)\n", r->id,
				r->name, r->name);
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

bool vmm_with_gdb_vm(void (*fn)(struct vm *vm, void *arg), void *arg)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	struct vm *found = NULL;

	for (u32 i = 0; i < record_count && !found; i++)
		if (records[i].vm && records[i].vm->config.gdb)
			found = records[i].vm;
	for (u32 i = 0; i < record_count && !found; i++)
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

void vmm_reset(struct vm *vm, const char *how)
{
	u64 flags;

	if (vm->config.on_reset != VM_ON_RESET_RESTART) {
		vm_stop(vm, "%s (on_reset = \"stop\")", how);
		return;
	}
	flags = spin_lock_irqsave(&records_lock);

	for (u32 i = 0; i < record_count; i++) {
		struct vm_record *r = &records[i];

		if (r->vm == vm && !r->destroy_asked) {
			r->reset_asked = true;
			vm_shut_down(vm, how);
		}
	}
	spin_unlock_irqrestore(&records_lock, flags);
}

u32 vmm_focus_after(u32 id)
{
	u64 flags = spin_lock_irqsave(&records_lock);
	const struct vm_record *next = NULL;

	/* A VM that has stopped (its end still being logged) takes no keys: the next one does. */
	for (u32 i = 0; i < record_count && !next; i++)
		if (records[i].vm && records[i].id > id &&
		    __atomic_load_n(&records[i].vm->state, __ATOMIC_ACQUIRE) != VM_STOPPED)
			next = &records[i];
	for (u32 i = 0; i < record_count; i++)
		if (records[i].vm)
			__atomic_store_n(&records[i].vm->has_focus, &records[i] == next,
					 __ATOMIC_RELAXED);
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
