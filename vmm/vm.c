/* SPDX-License-Identifier: MIT */
/* VM lifecycle: create from an image, run the vCPU on its CPU, stop with a reason, tear down. */
#include "vmm/vm.h"
#include "kernel/cpu_work.h"
#include "kernel/format.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "vmm/dev/vdebugcon.h"
#include "vmm/guest_abi.h"
#include "vmm/loader.h"
#include "vmm/virt.h"
#include "vmm/vmm.h"

static const char *const segment_names[SEG_COUNT] = {
	[SEG_ES] = "ES", [SEG_CS] = "CS", [SEG_SS] = "SS", [SEG_DS] = "DS",
	[SEG_FS] = "FS", [SEG_GS] = "GS", [SEG_LDTR] = "LDTR", [SEG_TR] = "TR",
};

const char *segment_reg_name(enum segment_reg s)
{
	return s < SEG_COUNT ? segment_names[s] : "?";
}

static int attach_devices(struct vm *vm)
{
	int err = pio_register(&vm->pio, VIREO_DEBUG_PORT, 1, &vdebugcon_ops, &vm->console,
			       "debug console");

	if (!err)
		err = pio_register(&vm->pio, VIREO_POST_PORT, 1, &vpost_ops, &vm->post, "POST");
	return err;
}

void vm_destroy(struct vm *vm)
{
	if (vm->vcpu.arch)
		virt->vcpu_destroy(&vm->vcpu);
	if (vm->arch)
		virt->vm_destroy(vm);
	guest_memory_destroy(&vm->mem);
	kfree(vm);
}


struct vm *vm_create(u32 id, const struct vm_config *config, const void *image, size_t size)
{
	struct vm *vm = kzalloc(sizeof(*vm));
	struct vcpu_state initial;
	char error[LOADER_ERROR_MAX];

	if (!vm) {
		pr_err("vm%u %s: out of memory\n", id, config->name);
		return NULL;
	}
	vm->id = id;
	vm->config = *config;
	vm->vcpu.vm = vm;
	event_init(&vm->vcpu.events);
	vm_console_init(&vm->console, id, vm->config.name);
	pio_init(&vm->pio);
	if (guest_memory_init(&vm->mem, config->mem_bytes, virt->slat_format()) < 0) {
		pr_err("vm%u %s: cannot allocate %llu MiB of contiguous RAM\n", id, config->name,
		       config->mem_bytes / MiB);
		kfree(vm);
		return NULL;
	}
	if (loader_load(vm, image, size, &initial, error, sizeof(error)) < 0) {
		pr_err("vm%u %s: cannot load its image: %s; not created\n", id, config->name, error);
		goto fail;
	}
	if (attach_devices(vm) < 0 || virt->vm_init(vm) < 0 ||
	    virt->vcpu_init(&vm->vcpu, &initial) < 0) {
		pr_err("vm%u %s: the %s backend could not set it up\n", id, config->name, virt->name);
		goto fail;
	}
	vm->vcpu.regs = initial.regs;
	pr_info("vm%u %s: %s, %llu MiB of RAM (%s: %u tables, %u x 1G and %u x 2M pages), entry "
		"%#llx\n", id, config->name, loader_kind(image, size), vm->mem.size / MiB,
		virt->slat_name, vm->mem.slat.tables, vm->mem.slat.leaves[3], vm->mem.slat.leaves[2],
		initial.regs.rip);
	return vm;
fail:
	vm_destroy(vm);
	return NULL;
}

static void log_exit_counts(struct vm *vm)
{
	char line[200];
	size_t n = 0;

	for (u32 r = 0; r < EXIT_REASON_COUNT && n < sizeof(line); r++)
		if (vm->exits_by_reason[r])
			n += (size_t)format(line + n, sizeof(line) - n, "%s%s %llu", n ? ", " : "",
					    exit_reason_name(r), vm->exits_by_reason[r]);
	pr_info("vm%u %s: %llu exits (%s) in %llu ms; %llu console lines, %llu dropped\n",
		vm->id, vm->config.name, vm->vcpu.exits, n ? line : "none",
		time_tsc_to_ns(vm->stopped_tsc - vm->started_tsc) / NSEC_PER_MSEC,
		vm->console.lines, vm->console.dropped);
}

/* The stop itself: on the vCPU's CPU, once. */
static void stop_now(struct vm *vm, bool fault, const char *reason)
{
	u64 flags = spin_lock_irqsave(&vm->lock);

	if (vm->state == VM_STOPPED) {
		spin_unlock_irqrestore(&vm->lock, flags);
		return;
	}
	vm->state = VM_STOPPED;
	vm->stopped_tsc = rdtsc();
	if (!vm->stop_reason[0])
		str_copy(vm->stop_reason, reason, sizeof(vm->stop_reason));
	spin_unlock_irqrestore(&vm->lock, flags);
	timer_cancel(&vm->timeout);
	vm_console_close(&vm->console);
	if (fault) {
		pr_warn("vm%u %s: stopped: %s\n", vm->id, vm->config.name, vm->stop_reason);
		vcpu_dump(&vm->vcpu);
	} else {
		pr_info("vm%u %s: %s\n", vm->id, vm->config.name, vm->stop_reason);
	}
	log_exit_counts(vm);
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	char reason[VM_STOP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_v(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	stop_now(vm, true, reason);
}

void vm_exit_normally(struct vm *vm, u64 code)
{
	char reason[64];

	vm->exited = true;
	vm->exit_code = code;
	format(reason, sizeof(reason), "exited with code %llu", code);
	stop_now(vm, false, reason);
}

void vm_halted(struct vm *vm)
{
	vm->exited = true;
	stop_now(vm, false, "halted (HLT), and no device can wake it yet");
}

void vm_request_stop(struct vm *vm, const char *why)
{
	u64 flags = spin_lock_irqsave(&vm->lock);

	if (vm->state != VM_STOPPED && !vm->stop_reason[0])
		str_copy(vm->stop_reason, why, sizeof(vm->stop_reason));
	spin_unlock_irqrestore(&vm->lock, flags);
	vcpu_request(&vm->vcpu, VCPU_REQ_STOP);
	cpu_kick(vm->vcpu.host_cpu);
}

static void timeout_expired(struct timer *t)
{
	struct vm *vm = container_of(t, struct vm, timeout);
	char why[64];

	format(why, sizeof(why), "ran out of time (timeout=%llums)", vm->config.timeout_ms);
	vm_request_stop(vm, why);
}

/* The job on the vCPU's CPU: enter, handle the exit, repeat, until the VM stops. */
static void vcpu_loop(void *arg)
{
	struct vm *vm = arg;
	struct vcpu *v = &vm->vcpu;

	vm->started_tsc = rdtsc();
	if (vm->config.timeout_ms) {
		vm->timeout.fn = timeout_expired;
		timer_arm_ns(&vm->timeout, vm->config.timeout_ms * NSEC_PER_MSEC);
	}
	pr_info("vm%u %s: running on CPU %u\n", vm->id, vm->config.name, this_cpu()->id);
	while (vm->state == VM_RUNNING && vcpu_prepare_entry(v)) {
		virt->vcpu_run(v);
		v->exits++;
		if (vcpu_handle_exit(v) == EXIT_STOP)
			break;
	}
	vmm_vm_stopped(vm);
	vm_destroy(vm);
}

int vm_start(struct vm *vm, u32 cpu)
{
	int err;

	vm->vcpu.host_cpu = cpu;
	vm->state = VM_RUNNING;
	err = cpu_start_job(cpu, vcpu_loop, vm);
	if (err)
		vm->state = VM_READY;
	return err;
}
