/* SPDX-License-Identifier: MIT */
/* The VMM at boot, and the end of the run when the last VM stops. */
#include "vmm/vmm.h"
#include "arch/x86/paging.h"
#include "kernel/modules.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/smp_call.h"
#include "kernel/string.h"
#include "vmm/cr_access.h"
#include "vmm/msr.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define VM_MAX 64
#define MODULE_LABEL_MAX 120	/* how much of a module's line an error message quotes */

/* What the monitor shows of each VM; kept after the VM itself is freed. */
struct vm_record {
	u32 id;
	char name[VM_NAME_MAX];
	u32 cpu;
	bool stopped;
	char reason[VM_STOP_REASON_MAX];
};

static u32 vms_running;
static enum power_action when_done;
static bool cpu_taken[MAX_CPUS];
static struct vm_record records[VM_MAX];
static u32 record_count;
static struct spinlock records_lock = SPINLOCK_INIT;

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

/* The CPU a new VM runs on: its cpu= if free, else the first free one. */
static int pick_cpu(const struct vm_config *c)
{
	if (c->cpu != VM_CPU_ANY) {
		if ((u32)c->cpu >= percpu_count || cpu_taken[c->cpu])
			return -1;
		return c->cpu;
	}
	for (u32 cpu = 0; cpu < percpu_count; cpu++)
		if (!cpu_taken[cpu])
			return (int)cpu;
	return -1;
}

static struct vm *create_from_module(const struct boot_module *m, u32 id)
{
	struct vm_config config;
	char error[VM_CONFIG_ERROR_MAX];

	if (vm_config_parse(module_args(m), &config, error, sizeof(error)) < 0) {
		/* Quote a bounded part of the line, so that printk never cuts the error after it. */
		pr_err("module '%.*s%s': %s; no VM created\n", MODULE_LABEL_MAX, m->string,
		       strlen(m->string) > MODULE_LABEL_MAX ? "..." : "", error);
		return NULL;
	}
	return vm_create(id, &config, phys_to_virt(m->start), (size_t)(m->end - m->start));
}

static void cpu_unavailable(struct vm *vm)
{
	pr_err("vm%u %s: no free CPU to run on (%s; one VM per CPU until the scheduler lands); "
	       "not started\n", vm->id, vm->config.name,
	       vm->config.cpu == VM_CPU_ANY ? "all are taken" : "its cpu= is taken or absent");
	vm_destroy(vm);
}

u32 vmm_start(const struct boot_info *bi, enum power_action on_done)
{
	struct vm *placed[VM_MAX];
	u32 cpus[VM_MAX], created = 0, count = 0;

	when_done = on_done;
	if (!select_and_enable())
		return 0;
	for (u32 i = 0; i < bi->module_count && created < VM_MAX; i++) {
		struct vm *vm;
		int cpu;

		if (module_kind_of(&bi->modules[i]) != MODULE_GUEST)
			continue;
		vm = create_from_module(&bi->modules[i], ++created);
		if (!vm)
			continue;
		cpu = pick_cpu(&vm->config);
		if (cpu < 0) {
			cpu_unavailable(vm);
			continue;
		}
		cpu_taken[cpu] = true;
		records[count] = (struct vm_record){ .id = vm->id, .cpu = (u32)cpu };
		str_copy(records[count].name, vm->config.name, sizeof(records[count].name));
		cpus[count] = (u32)cpu;
		placed[count++] = vm;
	}
	/* Count every placed VM before starting any, so an early stop cannot look like the last. */
	record_count = vms_running = count;
	for (u32 i = 0; i < count; i++) {
		if (vm_start(placed[i], cpus[i]) < 0) {
			pr_err("vm%u %s: CPU %u would not take it; not started\n", placed[i]->id,
			       placed[i]->config.name, cpus[i]);
			str_copy(placed[i]->stop_reason, "its CPU would not take it",
				 sizeof(placed[i]->stop_reason));
			vmm_vm_stopped(placed[i]);
			vm_destroy(placed[i]);
		}
	}
	return count;
}

void vmm_vm_stopped(struct vm *vm)
{
	u64 flags = spin_lock_irqsave(&records_lock);

	for (u32 i = 0; i < record_count; i++) {
		if (records[i].id == vm->id) {
			records[i].stopped = true;
			str_copy(records[i].reason, vm->stop_reason, sizeof(records[i].reason));
		}
	}
	spin_unlock_irqrestore(&records_lock, flags);
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

void vmm_report(void)
{
	u64 flags = spin_lock_irqsave(&records_lock);

	if (!record_count)
		pr_info("vmm: no VMs%s\n", virt ? "" : " (no virtualization on this machine)");
	for (u32 i = 0; i < record_count; i++) {
		const struct vm_record *r = &records[i];

		if (r->stopped)
			pr_info("vm%u %s: stopped: %s\n", r->id, r->name, r->reason);
		else
			pr_info("vm%u %s: running on CPU %u\n", r->id, r->name, r->cpu);
	}
	spin_unlock_irqrestore(&records_lock, flags);
}
