/* SPDX-License-Identifier: MIT */
/* The PC devices of a VM, wired together and to the host. */
#include "vmm/pc_platform.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/time.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define PIC_PORTS 2
#define PIT_PORTS 4

static u64 guest_now_ns(void *ctx)
{
	(void)ctx;
	return time_since_boot_ns();
}

/* The PIC's INT reaches vCPU 0: a rise has it decide again, and wakes it from HLT. */
static void intr_changed(void *ctx, bool high)
{
	struct pc_platform *pc = ctx;

	__atomic_store_n(&pc->intr, high, __ATOMIC_RELEASE);
	if (high && pc->vm->vcpu_count)
		vcpu_poke(pc->vm->vcpus[0]);
}

/* In the host's timer interrupt: the models run on vCPU 0, not here. */
static void pit_timer_fired(struct timer *t)
{
	struct pc_platform *pc = container_of(t, struct pc_platform, pit_timer);

	__atomic_store_n(&pc->due, true, __ATOMIC_RELEASE);
	vcpu_poke(pc->vm->vcpus[0]);
}

/* A host timer for the PIT's next IRQ 0 edge, and none while nothing is due. */
static void rearm_pit_timer(struct pc_platform *pc)
{
	u64 next = vpit_next_irq_ns(&pc->pit);

	if (next == pc->pit_deadline_ns)
		return;
	pc->pit_deadline_ns = next;
	if (next)
		timer_arm(&pc->pit_timer, boot_tsc + time_ns_to_tsc(next));
	else
		timer_cancel(&pc->pit_timer);
}

/* The PIT's ports, and the timer set again after each access that may move the next edge. */
static u32 pit_read(void *dev, u16 port, u8 size)
{
	struct pc_platform *pc = dev;
	u32 value = vpit_ops.read(&pc->pit, port, size);

	rearm_pit_timer(pc);
	return value;
}

static void pit_write(void *dev, u16 port, u8 size, u32 value)
{
	struct pc_platform *pc = dev;

	vpit_ops.write(&pc->pit, port, size, value);
	rearm_pit_timer(pc);
}

static u32 port_b_read(void *dev, u16 port, u8 size)
{
	return vpit_port_b_ops.read(&((struct pc_platform *)dev)->pit, port, size);
}

static void port_b_write(void *dev, u16 port, u8 size, u32 value)
{
	struct pc_platform *pc = dev;

	vpit_port_b_ops.write(&pc->pit, port, size, value);
	rearm_pit_timer(pc);
}

static const struct pio_ops pit_ops = { .read = pit_read, .write = pit_write };
static const struct pio_ops port_b_ops = { .read = port_b_read, .write = port_b_write };

int pc_platform_attach(struct vm *vm)
{
	struct pc_platform *pc;
	int err;

	if (!(vm->config.devices & (VM_DEVICE_PIC | VM_DEVICE_PIT)))
		return 0;	/* vm->pc stays NULL: no external interrupts for vCPU 0 */
	pc = kzalloc(sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	pc->vm = vm;
	vpic_init(&pc->pic);
	pc->pic.intr_changed = intr_changed;
	pc->pic.intr_ctx = pc;
	vpit_init(&pc->pit);
	pc->pit.clock = (struct dev_clock){ guest_now_ns, NULL };
	pc->pit.irq0 = vpic_irq_line(&pc->pic, 0);
	pc->pit_timer.fn = pit_timer_fired;
	vm->pc = pc;
	err = 0;
	if (vm->config.devices & VM_DEVICE_PIC) {
		err = pio_register(&vm->pio, VPIC_MASTER_PORT, PIC_PORTS, &vpic_ops, &pc->pic, "PIC");
		if (!err)
			err = pio_register(&vm->pio, VPIC_SLAVE_PORT, PIC_PORTS, &vpic_ops, &pc->pic,
					   "PIC (slave)");
		if (!err)
			err = pio_register(&vm->pio, VPIC_ELCR_PORT, PIC_PORTS, &vpic_ops, &pc->pic,
					   "ELCR");
	}
	if (!err && (vm->config.devices & VM_DEVICE_PIT)) {
		err = pio_register(&vm->pio, VPIT_PORT, PIT_PORTS, &pit_ops, pc, "PIT");
		if (!err)
			err = pio_register(&vm->pio, VPIT_PORT_B, 1, &port_b_ops, pc, "port B");
	}
	return err;
}

void pc_platform_detach(struct vm *vm)
{
	if (!vm->pc)
		return;
	timer_cancel(&vm->pc->pit_timer);
	kfree(vm->pc);
	vm->pc = NULL;
}

int pc_platform_pending_vector(struct pc_platform *pc)
{
	struct vm *vm = pc->vm;
	int vector;

	spin_lock(&vm->devices_lock);
	if (__atomic_exchange_n(&pc->due, false, __ATOMIC_ACQ_REL)) {
		pc->pit_deadline_ns = 0;	/* it fired */
		vpit_update(&pc->pit);
		rearm_pit_timer(pc);
	}
	vector = vpic_pending_vector(&pc->pic);
	spin_unlock(&vm->devices_lock);
	return vector;
}

u8 pc_platform_acknowledge(struct pc_platform *pc)
{
	struct vm *vm = pc->vm;
	u8 vector;

	spin_lock(&vm->devices_lock);
	vector = vpic_acknowledge(&pc->pic);
	pc->interrupts++;
	spin_unlock(&vm->devices_lock);
	return vector;
}
