/* SPDX-License-Identifier: MIT */
/* VM lifecycle: create from an image, start, pause, stop with a reason, end and tear down. */
#include "vmm/vm.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "vmm/dev/vdebugcon.h"
#include "vmm/firmware.h"
#include "vmm/gdb_server.h"
#include "vmm/guest_abi.h"
#include "vmm/loader.h"
#include "vmm/pc_platform.h"
#include "vmm/sched.h"
#include "vmm/trace.h"
#include "vmm/vcpu_lapic.h"
#include "vmm/vcpu_run.h"
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

/* The devices its config gives it (the mini-kvm port is vmm/exit.c's). */
static int attach_devices(struct vm *vm)
{
	int err = 0;

	if (vm->config.devices & VM_DEVICE_DEBUGCON)
		err = pio_register(&vm->pio, VIREO_DEBUG_PORT, 1, &vdebugcon_ops, &vm->console,
				   "debug console");
	if (!err && (vm->config.devices & VM_DEVICE_POST))
		err = pio_register(&vm->pio, VIREO_POST_PORT, 1, &vpost_ops, &vm->post, "POST");
	if (!err && (vm->config.devices & VM_DEVICE_VGA)) {
		vvga_init(&vm->vga);
		err = pio_register(&vm->pio, VVGA_PORT, VVGA_PORTS, &vvga_ops, &vm->vga, "VGA");
		if (!err)
			err = pio_register(&vm->pio, VVGA_CRTC_PORT, 2, &vvga_ops, &vm->vga,
					   "VGA CRTC");
		if (!err)
			err = pio_register(&vm->pio, VVGA_STATUS_PORT, 1, &vvga_ops, &vm->vga,
					   "VGA status");
	}
	if (!err && (vm->config.devices & VM_DEVICE_PCI)) {
		err = pio_register(&vm->pio, VPCI_ADDRESS_PORT, 1, &vpci_address_ops, &vm->pci,
				   "PCI address");
		if (!err)
			err = pio_register(&vm->pio, VPCI_DATA_PORT, VPCI_DATA_PORTS, &vpci_data_ops,
					   &vm->pci, "PCI data");
	}
	if (!err)
		err = pc_platform_attach(vm);
	if (!err)
		err = firmware_install(vm);
	return err;
}

void vm_console_output(struct vm *vm, const u8 *buf, u64 len)
{
	spin_lock(&vm->devices_lock);
	vm_console_write(&vm->console, buf, len);
	spin_unlock(&vm->devices_lock);
}

void vm_console_idle(struct vm *vm)
{
	if (!__atomic_load_n(&vm->has_focus, __ATOMIC_RELAXED))
		return;
	spin_lock(&vm->devices_lock);
	vm_console_flush(&vm->console);
	spin_unlock(&vm->devices_lock);
}

_Static_assert(VM_VCPUS_MAX <= 32, "a bit of input_waiters for every vCPU");

void vm_console_input(struct vm *vm, u8 key)
{
	u64 flags = spin_lock_irqsave(&vm->input_lock);
	u32 waiters = vm->input_waiters;

	input_ring_push(&vm->input, key);
	vm->input_waiters = 0;
	spin_unlock_irqrestore(&vm->input_lock, flags);
	pc_platform_key_typed(vm);	/* its UART or keyboard takes it, if it has one */
	/* Every waiter asks again: one gets the key, the others wait on. */
	for (u32 i = 0; i < vm->vcpu_count; i++) {
		if (waiters & BIT(i)) {
			__atomic_store_n(&vm->vcpus[i]->sleeping, false, __ATOMIC_RELEASE);
			vcpu_wake(vm->vcpus[i]);
		}
	}
}

int vm_console_getchar(struct vcpu *v, bool wait)
{
	struct vm *vm = v->vm;
	u64 flags = spin_lock_irqsave(&vm->input_lock);
	int key = input_ring_pop(&vm->input);

	if (key < 0 && wait) {
		vm->input_waiters |= (u32)BIT(v->id);
		__atomic_store_n(&v->sleeping, true, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&vm->input_lock, flags);
	return key;
}

static void vcpu_free(struct vcpu *v)
{
	timer_cancel(&v->sleep_timer);	/* a VM may end while a vCPU sleeps */
	vcpu_lapic_destroy(v);
	if (v->arch)
		virt->vcpu_destroy(v);
	if (v->cpu != CPU_NONE)
		sched_unplace(v->cpu);
	trace_vcpu_free(v);
	kfree(v);
}

void vm_destroy(struct vm *vm)
{
	pc_platform_detach(vm);	/* its timer pokes vCPU 0 */
	firmware_remove(vm);
	for (u32 i = 0; i < vm->vcpu_count; i++)
		vcpu_free(vm->vcpus[i]);
	if (vm->arch && virt->vm_destroy)
		virt->vm_destroy(vm);
	guest_memory_destroy(&vm->mem);
	kfree(vm);
}

static struct vcpu *vcpu_create(struct vm *vm, u32 id)
{
	struct vcpu *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	v->vm = vm;
	v->id = id;
	v->regs = vm->initial.regs;
	v->run = RUN_CREATED;
	v->cpu = v->last_cpu = CPU_NONE;
	v->allowed_cpus = vm->config.cpus;
	event_init(&v->events);
	mmio_init(&v->mmio);
	fpu_init(&v->fpu);
	if ((vm->config.devices & VM_DEVICE_LAPIC) && vcpu_lapic_create(v) < 0) {
		kfree(v);
		return NULL;
	}
	if (virt->vcpu_init(v, &vm->initial) < 0) {
		vcpu_lapic_destroy(v);
		kfree(v);
		return NULL;
	}
	v->cpu = sched_place(v->allowed_cpus);
	return v;
}

static bool create_vcpus(struct vm *vm)
{
	for (u32 i = 0; i < vm->config.vcpus; i++) {
		vm->vcpus[i] = vcpu_create(vm, i);
		if (!vm->vcpus[i])
			return false;
		vm->vcpu_count++;
	}
	vm->vcpus_live = vm->vcpu_count;
	return true;
}

static void finish(struct work *w);

/* Where RAM that does not fit below the device hole went. */
static void report_ram_ranges(const struct vm *vm)
{
	for (u32 i = 0; i < vm->mem.ram.count; i++) {
		const struct ram_range *r = &vm->mem.ram.range[i];

		pr_info("vm%u %s: RAM %u at guest-physical %#llx-%#llx (%llu MiB)\n", vm->id,
			vm->config.name, i, r->gpa, r->gpa + r->size, r->size / MiB);
	}
}

struct vm *vm_create(u32 id, const struct vm_config *config, const struct vm_images *images)
{
	struct vm *vm = kzalloc(sizeof(*vm));
	char error[LOADER_ERROR_MAX];
	int err;

	if (!vm) {
		pr_err("vm%u %s: out of memory\n", id, config->name);
		return NULL;
	}
	vm->id = id;
	vm->config = *config;
	vm->finish.fn = finish;
	vm_console_init(&vm->console, id, vm->config.name, vm->config.color);
	pio_init(&vm->pio);
	mmio_init(&vm->mmio);
	input_ring_init(&vm->input);
	err = guest_memory_init(&vm->mem, config->mem_bytes, virt->slat_format());
	if (err == -ENOSPC) {
		u64 free = memory_counters().free * PAGE_SIZE;

		pr_err("vm%u %s: refused: %llu MiB of RAM would take the hypervisor's reserve: "
		       "%llu MiB free, %llu MiB of it kept for the host, so at most %llu MiB for "
		       "VMs\n", id, config->name, config->mem_bytes / MiB, free / MiB,
		       MEMORY_HOST_RESERVE / MiB,
		       free > MEMORY_HOST_RESERVE ? (free - MEMORY_HOST_RESERVE) / MiB : 0);
	} else if (err < 0) {
		pr_err("vm%u %s: cannot allocate %llu MiB of contiguous RAM\n", id, config->name,
		       config->mem_bytes / MiB);
	}
	if (err < 0) {
		kfree(vm);
		return NULL;
	}
	if (loader_load(vm, images, &vm->initial, error, sizeof(error)) < 0) {
		pr_err("vm%u %s: cannot load its image: %s; not created\n", id, config->name, error);
		goto fail;
	}
	if (attach_devices(vm) < 0 || (virt->vm_init && virt->vm_init(vm) < 0) ||
	    !create_vcpus(vm)) {
		pr_err("vm%u %s: the %s backend could not set it up\n", id, config->name, virt->name);
		goto fail;
	}
	pr_info("vm%u %s: %s, %llu MiB of RAM (%s: %u tables, %u x 1G and %u x 2M pages), entry "
		"%#llx\n", id, config->name, loader_kind(&images->kernel, config->format), vm->mem.size / MiB,
		virt->slat_name, vm->mem.slat.tables, vm->mem.slat.leaves[3], vm->mem.slat.leaves[2],
		vm->initial.regs.rip);
	if (vm->mem.ram.count > 1)
		report_ram_ranges(vm);
	if (config->trace && trace_vm_set(vm, true) < 0)
		goto fail;
	return vm;
fail:
	vm_destroy(vm);
	return NULL;
}

static void timeout_expired(struct timer *t)
{
	struct vm *vm = container_of(t, struct vm, timeout);

	vm_stop(vm, "ran out of time (timeout=%llums)", vm->config.timeout_ms);
}

u64 vm_time_ns(const struct vm *vm, u64 tsc)
{
	return time_tsc_to_ns(tsc - vm->started_tsc);
}

void vm_start(struct vm *vm)
{
	vm->started_tsc = rdtsc();
	vm->state = VM_RUNNING;
	if (vm->config.timeout_ms) {
		vm->timeout.fn = timeout_expired;
		timer_arm_ns(&vm->timeout, vm->config.timeout_ms * NSEC_PER_MSEC);
	}
	vcpu_start(vm->vcpus[0]);
}

/* Record the stop's reason and kind: the first one wins. False when the VM was stopping already. */
static bool begin_stop(struct vm *vm, bool fault, const char *reason)
{
	u64 flags = spin_lock_irqsave(&vm->lock);
	bool first = vm->state != VM_STOPPED;

	if (first) {
		vm->state = VM_STOPPED;
		vm->fault = fault;
		vm->stopped_tsc = rdtsc();
		str_copy(vm->stop_reason, reason, sizeof(vm->stop_reason));
	}
	spin_unlock_irqrestore(&vm->lock, flags);
	return first;
}

static bool stop(struct vm *vm, bool fault, const char *reason)
{
	if (!begin_stop(vm, fault, reason))
		return false;
	if (fault)
		pr_warn("vm%u %s: stopped: %s\n", vm->id, vm->config.name, reason);
	else
		pr_info("vm%u %s: %s\n", vm->id, vm->config.name, reason);
	for (u32 i = 0; i < vm->vcpu_count; i++)
		vcpu_stop(vm->vcpus[i]);
	return true;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	char reason[VM_STOP_REASON_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_v(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	stop(vm, true, reason);
}

bool vm_shut_down(struct vm *vm, const char *reason)
{
	return stop(vm, false, reason);
}

void vm_exit_normally(struct vm *vm, u64 code)
{
	char reason[64];

	format(reason, sizeof(reason), "exited with code %llu", code);
	stop(vm, false, reason);
}

/* Pause and resume change only a running VM (a stopping one is ending). */
static bool change_state(struct vm *vm, enum vm_state from, enum vm_state to)
{
	u64 flags = spin_lock_irqsave(&vm->lock);
	bool changed = vm->state == from;

	if (changed)
		vm->state = to;
	spin_unlock_irqrestore(&vm->lock, flags);
	return changed;
}

void vm_pause(struct vm *vm)
{
	if (change_state(vm, VM_RUNNING, VM_PAUSED))
		for (u32 i = 0; i < vm->vcpu_count; i++)
			vcpu_pause(vm->vcpus[i]);
}

void vm_resume_vcpus(struct vm *vm, u64 vcpus)
{
	if (change_state(vm, VM_PAUSED, VM_RUNNING))
		for (u32 i = 0; i < vm->vcpu_count; i++)
			if (vcpus & BIT(i))
				vcpu_resume(vm->vcpus[i]);
}

void vm_resume(struct vm *vm)
{
	vm_resume_vcpus(vm, ~0ULL);
}

/*
 * "REASON COUNT" for each reason with exits, ", " apart, with "/TIME us" where tracing timed
 * them; "none" for no exits at all. Returns the exits counted.
 */
static u64 format_exits(char *line, size_t size, const u64 *count, const u64 *tsc)
{
	size_t n = 0;
	u64 exits = 0;

	line[0] = '\0';
	for (u32 r = 0; r < EXIT_REASON_COUNT && n < size; r++) {
		if (!count[r])
			continue;
		exits += count[r];
		n += (size_t)format(line + n, size - n, "%s%s %llu", n ? ", " : "",
				    exit_reason_name(r), count[r]);
		if (tsc[r] && n < size)
			n += (size_t)format(line + n, size - n, "/%llu us",
					    time_tsc_to_ns(tsc[r]) / NSEC_PER_USEC);
	}
	if (!n)
		format(line, size, "none");
	return exits;
}

void vm_log_stats(const struct vm *vm)
{
	u64 by_reason[EXIT_REASON_COUNT] = { 0 }, tsc[EXIT_REASON_COUNT] = { 0 }, exits;
	u64 until = vm->state == VM_STOPPED ? vm->stopped_tsc : rdtsc();
	char line[240];

	for (u32 i = 0; i < vm->vcpu_count; i++)
		for (u32 r = 0; r < EXIT_REASON_COUNT; r++) {
			by_reason[r] += vm->vcpus[i]->stats.exits_by_reason[r];
			tsc[r] += vm->vcpus[i]->stats.tsc_by_reason[r];
		}
	exits = format_exits(line, sizeof(line), by_reason, tsc);
	pr_info("vm%u %s: %llu exits (%s) in %llu ms; %llu console lines, %llu dropped\n",
		vm->id, vm->config.name, exits, line,
		time_tsc_to_ns(until - vm->started_tsc) / NSEC_PER_MSEC,
		vm->console.lines, vm->console.dropped);
	for (u32 i = 0; i < vm->vcpu_count; i++) {
		const struct vcpu *v = vm->vcpus[i];

		if (v->stats.slices)
			pr_info("vm%u %s: vCPU %u ran %llu ms in %llu slice(s), last on CPU %u, "
				"moved %llu time(s)\n", vm->id, vm->config.name, i,
				time_tsc_to_ns(v->stats.run_tsc) / NSEC_PER_MSEC, v->stats.slices,
				v->last_cpu, v->stats.migrations);
		vcpu_lapic_log_stats(v);
	}
	pc_platform_log_stats(vm);
}

void vm_log_vcpu_exits(const struct vm *vm)
{
	char line[240];

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		const struct vcpu_stats *s = &vm->vcpus[i]->stats;
		u64 exits = format_exits(line, sizeof(line), s->exits_by_reason, s->tsc_by_reason);

		pr_info("vm%u %s: vCPU %u: %llu exits (%s)\n", vm->id, vm->config.name, i, exits,
			line);
	}
}

/* The VM's end, as work on the CPU its last vCPU stopped on (never in an interrupt). */
static void finish(struct work *w)
{
	struct vm *vm = container_of(w, struct vm, finish);

	timer_cancel(&vm->timeout);
	vm_console_close(&vm->console);
	vm_log_stats(vm);
	vmm_vm_stopped(vm);	/* from here no one finds it, a debugger neither */
	if (vm->gdb)
		gdb_server_vm_ended(vm);
	vm_destroy(vm);
}

void vm_vcpu_stopped(struct vcpu *v)
{
	struct vm *vm = v->vm;

	if (__atomic_sub_fetch(&vm->vcpus_live, 1, __ATOMIC_ACQ_REL) == 0)
		work_queue(this_cpu()->id, &vm->finish);
}
