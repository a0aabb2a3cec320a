/* SPDX-License-Identifier: MIT */
/* The GDB stub on a host UART: polling, the work that feeds the stub, the VM it debugs. */
#include "vmm/gdb_server.h"
#include "drivers/uart16550.h"
#include "kernel/cpu_work.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "vmm/gdb_stub.h"
#include "vmm/gdb_vm.h"
#include "vmm/input_ring.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

/*
 * 115200 baud fill a 16550's 16-byte FIFO in 1.4 ms, and gdb sends packets of hundreds of
 * bytes at once: the UART is drained into a ring every millisecond, in the timer's interrupt,
 * and the work runs when bytes came, or every STOP_POLL_TICKS to see whether a stop is due.
 */
#define POLL_NS NSEC_PER_MSEC
#define STOP_POLL_TICKS 10
#define SERVER_CPU 0

static struct {
	bool present;
	struct uart16550 uart;
	struct timer poll;
	u32 ticks;
	struct spinlock rx_lock;	/* the ring, between the timer's interrupt and the work */
	struct input_ring rx;
	u64 told_lost;		/* bytes lost (UART overruns, a full ring) the log has told of */
	struct work work;
	/*
	 * The stub, its target and the choice, between the work and the end of a VM on any
	 * CPU. Never taken in an interrupt: held with interrupts on, so that the CPUs it waits
	 * for (a VMCS cleared elsewhere) can take theirs.
	 */
	struct spinlock lock;
	struct gdb_stub stub;
	struct gdb_vm target;
	char vm_name[VM_NAME_MAX];	/* "": the first with gdb = true, else the first live VM */
} srv = { .lock = SPINLOCK_INIT, .rx_lock = SPINLOCK_INIT };

static void send(const u8 *bytes, u32 len)
{
	for (u32 i = 0; i < len; i++)
		uart16550_putc(&srv.uart, (char)bytes[i]);
}

static void attach_to(struct vm *vm, void *arg)
{
	(void)arg;
	gdb_vm_attach(&srv.target, vm);
	gdb_stub_init(&srv.stub, &gdb_vm_ops, &srv.target);
	pr_info("gdb: vm%u %s is the one debugged on port %#x\n", vm->id, vm->config.name,
		srv.uart.port);
}

/* The VM for gdb's first byte: false, and the byte is dropped, when there is none. */
static bool attached(void)
{
	if (srv.target.vm)
		return true;
	return srv.vm_name[0] ? vmm_with_vm(srv.vm_name, attach_to, NULL)
			      : vmm_with_gdb_vm(attach_to, NULL);
}

static void report_due_stop(void)
{
	struct gdb_stop stop;

	if (gdb_vm_poll(&srv.target, &stop))
		gdb_stub_report_stop(&srv.stub, &stop);
}

static int next_byte(void)
{
	u64 flags = spin_lock_irqsave(&srv.rx_lock);
	int c = input_ring_pop(&srv.rx);

	spin_unlock_irqrestore(&srv.rx_lock, flags);
	return c;
}

/* Lost bytes make gdb resend, and a packet lost again and again stalls it: the log says so. */
static void tell_lost_bytes(void)
{
	u64 lost = __atomic_load_n(&srv.uart.overruns, __ATOMIC_RELAXED) +
		   __atomic_load_n(&srv.rx.dropped, __ATOMIC_RELAXED);

	if (lost != srv.told_lost)
		pr_warn("gdb: %llu byte(s) from gdb lost so far (UART overruns %u, ring full %llu)\n",
			lost, srv.uart.overruns, srv.rx.dropped);
	srv.told_lost = lost;
}

static void serve(struct work *w)
{
	int c;

	(void)w;
	tell_lost_bytes();
	spin_lock(&srv.lock);
	report_due_stop();
	while ((c = next_byte()) >= 0) {
		if (attached())
			gdb_stub_feed(&srv.stub, (u8)c);
	}
	report_due_stop();
	spin_unlock(&srv.lock);
}

/* What COM2's FIFO holds, into the ring; whether a byte came. */
static bool drain(void)
{
	bool came = false;
	int c;

	while ((c = uart16550_getc(&srv.uart)) >= 0)
		came |= input_ring_push(&srv.rx, (u8)c);
	return came;
}

/*
 * A console line goes out with interrupts off, about 9 ms for 100 bytes, and a CPU waiting
 * for the console's lock waits with them off too: gdb's bytes would overrun COM2 meanwhile
 * (seen on Bochs). The sending CPU drains it while it waits for its UART; the poll's work
 * takes the bytes up at its next tick. A trylock: never wait here, whoever holds the ring
 * (a panic prints through this path).
 */
static void drain_while_sending(void)
{
	u64 flags = irq_save();

	if (spin_trylock(&srv.rx_lock)) {
		drain();
		spin_unlock(&srv.rx_lock);
	}
	irq_restore(flags);
}

static void poll(struct timer *t)
{
	bool came;

	spin_lock(&srv.rx_lock);
	came = drain();
	spin_unlock(&srv.rx_lock);
	if (came || ++srv.ticks % STOP_POLL_TICKS == 0)
		work_queue(SERVER_CPU, &srv.work);
	timer_arm(t, t->deadline + time_ns_to_tsc(POLL_NS));
}

void gdb_server_start(u16 port, const char *vm_name)
{
	if (!port)
		return;
	if (!uart16550_open(&srv.uart, port)) {
		pr_info("gdb: no UART at port %#x: no GDB stub\n", port);
		return;
	}
	srv.present = true;
	input_ring_init(&srv.rx);
	str_copy(srv.vm_name, vm_name, sizeof(srv.vm_name));
	srv.target.send = send;
	srv.work.fn = serve;
	srv.poll.fn = poll;
	uart16550_set_wait_hook(drain_while_sending);
	pr_notice("gdb: the GDB stub listens on the UART at port %#x (gdb: target remote ...)\n",
		  port);
	timer_arm_ns(&srv.poll, POLL_NS);
}

/* The VM debugged so far is left: running freely, as after gdb's detach. */
static void leave_vm(void)
{
	if (srv.target.vm && srv.stub.vm != GDB_VM_FREE)
		gdb_vm_ops.detach(&srv.target);
	gdb_vm_release(&srv.target);
}

bool gdb_server_choose(const char *name)
{
	if (!srv.present)
		return false;
	spin_lock(&srv.lock);
	leave_vm();
	str_copy(srv.vm_name, name, sizeof(srv.vm_name));
	spin_unlock(&srv.lock);
	return true;
}

void gdb_server_vm_ended(struct vm *vm)
{
	spin_lock(&srv.lock);
	if (srv.target.vm == vm) {
		struct gdb_stop exited = { .reason = GDB_STOP_EXITED, .exit_code = vm->fault };

		if (srv.stub.vm == GDB_VM_RUNNING)
			gdb_stub_report_stop(&srv.stub, &exited);
		gdb_vm_release(&srv.target);
		pr_info("gdb: vm%u %s has ended: no VM is debugged\n", vm->id, vm->config.name);
	}
	spin_unlock(&srv.lock);
}
