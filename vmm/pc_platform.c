/* SPDX-License-Identifier: MIT */
/* The PC devices of a VM, wired together and to the host. */
#include "vmm/pc_platform.h"
#include "arch/x86/cpu.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_lapic.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

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

/* Work is due for vCPU 0 (from any context): the models run there, never in an interrupt. */
static void mark_due(struct pc_platform *pc)
{
	__atomic_store_n(&pc->due, true, __ATOMIC_RELEASE);
	vcpu_poke(pc->vm->vcpus[0]);
}

static void pit_timer_fired(struct timer *t)
{
	struct pc_platform *pc = container_of(t, struct pc_platform, pit_timer);

	__atomic_store_n(&pc->timer_fired_tsc, rdtsc(), __ATOMIC_RELAXED);
	mark_due(pc);
}

static void rtc_timer_fired(struct timer *t)
{
	mark_due(container_of(t, struct pc_platform, rtc_timer));
}

/* A host timer for a device's next interrupt, and none while nothing is due (next 0). */
static void rearm(struct timer *t, u64 *deadline_ns, u64 next)
{
	if (next == *deadline_ns)
		return;
	*deadline_ns = next;
	if (next)
		timer_arm(t, boot_tsc + time_ns_to_tsc(next));
	else
		timer_cancel(t);
}

/*
 * A guest may program the PIT with a divisor of 1 (1.19 MHz): the host's timer for it fires
 * at most every PIT_HOST_MIN_NS after the last time it did (not after now, which a guest
 * polling the counter would keep pushing back), so such a guest costs its CPU 10,000
 * interrupts a second, not a storm; the periods between fold into the next (vpit_update).
 */
#define PIT_HOST_MIN_NS 100000

static void rearm_pit_timer(struct pc_platform *pc)
{
	u64 next = vpit_next_irq_ns(&pc->pit);

	if (next)
		next = MAX(next, pc->pit_fired_ns + PIT_HOST_MIN_NS);
	rearm(&pc->pit_timer, &pc->pit_deadline_ns, next);
}

static void rearm_rtc_timer(struct pc_platform *pc)
{
	rearm(&pc->rtc_timer, &pc->rtc_deadline_ns, vrtc_next_irq_ns(&pc->rtc));
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

/* The RTC's ports: every access may move its next interrupt (or clear register C). */
static u32 rtc_read(void *dev, u16 port, u8 size)
{
	struct pc_platform *pc = dev;
	u32 value = vrtc_ops.read(&pc->rtc, port, size);

	rearm_rtc_timer(pc);
	return value;
}

static void rtc_write(void *dev, u16 port, u8 size, u32 value)
{
	struct pc_platform *pc = dev;

	vrtc_ops.write(&pc->rtc, port, size, value);
	rearm_rtc_timer(pc);
}

static const struct pio_ops rtc_ops = { .read = rtc_read, .write = rtc_write };

static void hand_over_keys(struct pc_platform *pc);

/*
 * The devices keys go to: a read may make room in the one that was full, and the keys held
 * back for it come in then (a guest reads its FIFO dry before it halts, so no timer would).
 */
static u32 uart_read(void *dev, u16 port, u8 size)
{
	struct pc_platform *pc = dev;
	u32 value = vuart_ops.read(&pc->com1, port, size);

	if (pc->held_key >= 0)
		hand_over_keys(pc);
	return value;
}

static void uart_write(void *dev, u16 port, u8 size, u32 value)
{
	vuart_ops.write(&((struct pc_platform *)dev)->com1, port, size, value);
}

static u32 keyboard_read(void *dev, u16 port, u8 size)
{
	struct pc_platform *pc = dev;
	u32 value = vi8042_ops.read(&pc->keyboard, port, size);

	if (pc->held_key >= 0)
		hand_over_keys(pc);
	return value;
}

static void keyboard_write(void *dev, u16 port, u8 size, u32 value)
{
	vi8042_ops.write(&((struct pc_platform *)dev)->keyboard, port, size, value);
}

static const struct pio_ops uart_ops = { .read = uart_read, .write = uart_write };
static const struct pio_ops keyboard_ops = { .read = keyboard_read, .write = keyboard_write };

/* What the guest sends through COM1 goes to its console (the devices lock is held). */
static void uart_output(void *ctx, u8 byte)
{
	struct pc_platform *pc = ctx;

	vm_console_write(&pc->vm->console, &byte, 1);
}

/*
 * The guest resets its PC (under the devices lock; ctx is the platform, how says through
 * what): vmm_reset, which restarts or stops the VM by its on_reset, runs as work, outside the
 * lock. The reset ports' callback.
 */
static void request_reset(void *ctx, const char *how)
{
	struct pc_platform *pc = ctx;

	if (!__atomic_exchange_n(&pc->reset_asked, true, __ATOMIC_ACQ_REL)) {
		pc->reset_how = how;
		work_queue(this_cpu()->id, &pc->reset_work);
	}
}

/* 0xFE to port 0x64 (or the reset line in the output port). */
static void keyboard_reset(void *ctx)
{
	request_reset(ctx, "reset through the keyboard controller (0xfe to port 0x64)");
}

static void reset_vm(struct work *w)
{
	struct pc_platform *pc = container_of(w, struct pc_platform, reset_work);

	vmm_reset(pc->vm, pc->reset_how);
}

/* On PCs the PIT's IRQ 0 reaches I/O APIC pin 2 (the MADT's interrupt source override). */
static u8 ioapic_pin(u8 irq)
{
	return irq == 0 ? 2 : irq;
}

/* With an I/O APIC an ISA line goes to both controllers, as on a PC: the guest masks one. */
static void isa_irq_set(void *ctx, u8 irq, bool high)
{
	struct pc_platform *pc = ctx;

	vpic_set_irq(&pc->pic, irq, high);
	vioapic_set_irq(&pc->ioapic, ioapic_pin(irq), high);
}

/* Without one, the PIC's own line: a VM without an I/O APIC pays nothing for it per edge. */
static struct irq_line isa_line(struct pc_platform *pc, u8 irq)
{
	if (!(pc->vm->config.devices & VM_DEVICE_IOAPIC))
		return vpic_irq_line(&pc->pic, irq);
	return (struct irq_line){ isa_irq_set, pc, irq };
}

/*
 * The I/O APIC's messages. With local APICs they go to the APICs their destination names, as
 * on a PC (vmm/vcpu_lapic.c), and a level-triggered one's EOI comes back (pc_platform_eoi).
 * While the VM has no local APICs: a fixed or lowest-priority one
 * raises its vector for vCPU 0, whatever its destination, and an NMI vCPU 0's NMI, through
 * the event model's raised interrupts (vcpu_raise_interrupt); no EOI is owed for them. SMI,
 * INIT and ExtINT messages are dropped (ExtINT's interrupt comes through the PIC already).
 */
static void ioapic_deliver(void *ctx, const struct vioapic_message *m)
{
	struct pc_platform *pc = ctx;
	struct vcpu *v = pc->vm->vcpus[0];

	if (pc->vm->config.devices & VM_DEVICE_LAPIC) {
		struct vlapic_ipi ipi = {
			.vector = m->vector, .mode = m->delivery, .shorthand = VLAPIC_DEST_FIELD,
			.logical = m->logical, .level_assert = true, .level_triggered = m->level,
			.dest = m->destination,
		};

		vcpu_lapic_deliver(pc->vm, &ipi);
		return;
	}
	if (m->delivery == VIOAPIC_FIXED || m->delivery == VIOAPIC_LOWEST_PRIORITY)
		vcpu_raise_interrupt(v, m->vector);
	else if (m->delivery == VIOAPIC_NMI)
		vcpu_raise_nmi(v);
}

static u64 guest_ram_bytes(const struct vm *vm)
{
	return vm->mem.size;
}

int pc_platform_attach(struct vm *vm)
{
	struct pc_platform *pc;
	int err;

	if (!(vm->config.devices & VM_DEVICES_PC))
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
	pc->pit.irq0 = isa_line(pc, 0);
	pc->pit_timer.fn = pit_timer_fired;
	pc->rtc_timer.fn = rtc_timer_fired;
	pc->held_key = -1;
	pc->reset_work.fn = reset_vm;
	vuart_init(&pc->com1, VUART_COM1_BASE, &(struct irq_line){ 0 },
		   &(struct vuart_output){ uart_output, pc });
	pc->com1.irq = isa_line(pc, VUART_COM1_IRQ);
	vi8042_init(&pc->keyboard, &(struct irq_line){ 0 },
		    &(struct vi8042_reset){ keyboard_reset, pc });
	pc->keyboard.irq = isa_line(pc, VI8042_IRQ);
	vrtc_init(&pc->rtc, &(struct irq_line){ 0 }, &pc->pit.clock, time_wall_clock_s(),
		  guest_ram_bytes(vm));
	pc->rtc.irq = isa_line(pc, VRTC_IRQ);
	vioapic_init(&pc->ioapic);
	pc->ioapic.deliver = ioapic_deliver;
	pc->ioapic.deliver_ctx = pc;
	vreset_init(&pc->resets);
	pc->resets.reset = request_reset;
	pc->resets.reset_ctx = pc;
	vm->pc = pc;
	err = pio_register(&vm->pio, VRESET_CONTROL_PORT, 1, &vreset_ops, &pc->resets,
			   "reset control");
	if (!err)
		err = pio_register(&vm->pio, VRESET_PORT_A, 1, &vreset_ops, &pc->resets,
				   "port A");
	if (!err && (vm->config.devices & VM_DEVICE_PIC)) {
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
	if (!err && (vm->config.devices & VM_DEVICE_UART))
		err = pio_register(&vm->pio, VUART_COM1_BASE, VUART_PORTS, &uart_ops, pc, "COM1");
	if (!err && (vm->config.devices & VM_DEVICE_KEYBOARD)) {
		err = pio_register(&vm->pio, VI8042_DATA_PORT, 1, &keyboard_ops, pc,
				   "8042 data");
		if (!err)
			err = pio_register(&vm->pio, VI8042_COMMAND_PORT, 1, &vi8042_ops,
					   &pc->keyboard, "8042 command");
	}
	if (!err && (vm->config.devices & VM_DEVICE_RTC))
		err = pio_register(&vm->pio, VRTC_INDEX_PORT, VRTC_PORTS, &rtc_ops, pc, "RTC");
	if (!err && (vm->config.devices & VM_DEVICE_IOAPIC))
		err = mmio_register(&vm->mmio, VIOAPIC_BASE, VIOAPIC_SIZE, &vioapic_ops,
				    &pc->ioapic, "I/O APIC");
	return err;
}

void pc_platform_detach(struct vm *vm)
{
	if (!vm->pc)
		return;
	timer_cancel(&vm->pc->pit_timer);
	timer_cancel(&vm->pc->rtc_timer);
	kfree(vm->pc);
	vm->pc = NULL;
}

/* Which device takes the VM's keys, if any (else they wait for GETCHAR). */
static enum vm_input input_device(const struct vm *vm)
{
	u32 devices = vm->config.devices;

	if (vm->config.input != VM_INPUT_AUTO)
		return vm->config.input;
	if (devices & VM_DEVICE_UART)
		return VM_INPUT_UART;
	return devices & VM_DEVICE_KEYBOARD ? VM_INPUT_KEYBOARD : VM_INPUT_HYPERCALL;
}

bool pc_platform_key_typed(struct vm *vm)
{
	if (!vm->pc || input_device(vm) == VM_INPUT_HYPERCALL)
		return false;
	mark_due(vm->pc);
	return true;
}

/* Keys from the console into the device that takes them, as many as it has room for. */
static void hand_over_keys(struct pc_platform *pc)
{
	struct vm *vm = pc->vm;
	enum vm_input to = input_device(vm);

	if (to == VM_INPUT_HYPERCALL)
		return;
	for (;;) {
		int key = pc->held_key;
		bool taken;

		if (key < 0) {
			u64 flags = spin_lock_irqsave(&vm->input_lock);

			key = input_ring_pop(&vm->input);
			spin_unlock_irqrestore(&vm->input_lock, flags);
		}
		if (key < 0)
			return;
		taken = to == VM_INPUT_UART ? vuart_receive(&pc->com1, (u8)key) :
					      vi8042_type_ascii(&pc->keyboard, (u8)key);
		pc->held_key = taken ? -1 : key;
		if (!taken)
			return;	/* its FIFO is full: the rest wait for the guest to read */
	}
}

/* What the timers and the console left for the models, under the devices lock. */
static void run_due_work(struct pc_platform *pc)
{
	if (pc->pit_deadline_ns && pc->pit_deadline_ns <= time_since_boot_ns())
		pc->pit_fired_ns = pc->pit_deadline_ns;
	pc->pit_deadline_ns = pc->rtc_deadline_ns = 0;	/* they fired, or will be set again */
	vpit_update(&pc->pit);
	rearm_pit_timer(pc);
	vrtc_update(&pc->rtc);
	rearm_rtc_timer(pc);
	hand_over_keys(pc);
}

int pc_platform_pending_vector(struct pc_platform *pc)
{
	struct vm *vm = pc->vm;
	int vector;

	spin_lock(&vm->devices_lock);
	if (__atomic_exchange_n(&pc->due, false, __ATOMIC_ACQ_REL))
		run_due_work(pc);
	vector = vpic_pending_vector(&pc->pic);
	spin_unlock(&vm->devices_lock);
	return vector;
}

u8 pc_platform_acknowledge(struct pc_platform *pc)
{
	struct vm *vm = pc->vm;
	u8 vector;

	u64 fired = __atomic_exchange_n(&pc->timer_fired_tsc, 0, __ATOMIC_RELAXED);

	spin_lock(&vm->devices_lock);
	vector = vpic_acknowledge(&pc->pic);
	pc->interrupts++;
	if (fired && vector == pc->pic.master.vector_base) {	/* IRQ 0: the timer's */
		u64 ticks = rdtsc() - fired;

		pc->timer_to_entry_min = pc->timer_deliveries ? MIN(pc->timer_to_entry_min, ticks)
							      : ticks;
		pc->timer_to_entry_sum += ticks;
		pc->timer_deliveries++;
	}
	spin_unlock(&vm->devices_lock);
	return vector;
}

void pc_platform_eoi(struct vm *vm, u8 vector)
{
	if (!vm->pc || !(vm->config.devices & VM_DEVICE_IOAPIC))
		return;
	spin_lock(&vm->devices_lock);
	vioapic_eoi(&vm->pc->ioapic, vector);
	spin_unlock(&vm->devices_lock);
}

void pc_platform_log_stats(const struct vm *vm)
{
	const struct pc_platform *pc = vm->pc;

	if (!pc || !pc->interrupts)
		return;
	pr_info("vm%u %s: %llu interrupts from the PIC; PIT timer to injection %llu TSC ticks at "
		"best, %llu on average (%llu timer interrupts, %llu periods folded)\n", vm->id,
		vm->config.name, pc->interrupts, pc->timer_to_entry_min,
		pc->timer_deliveries ? pc->timer_to_entry_sum / pc->timer_deliveries : 0,
		pc->timer_deliveries, pc->pit.irq0_missed);
}
