/* SPDX-License-Identifier: MIT */
/* Ending a run: ACPI S5 power-off, reset, or halt. */
#include "kernel/power.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/smp.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include "kernel/time.h"

#define PM1_SCI_EN BIT(0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN BIT(13)
#define KBC_COMMAND 0x64
#define KBC_PULSE_RESET 0xfe

static struct {
	bool has_s5;
	u16 pm1a, pm1b;
	u8 slp_typ_a, slp_typ_b;
	u16 smi_command;
	u8 acpi_enable;
	bool has_reset_register, has_8042;
	u16 reset_port;
	u8 reset_value;
} pm = { .has_8042 = true };

void power_init(const struct acpi_info *acpi)
{
	pm.has_s5 = acpi->has_s5 && acpi->pm1a_control;
	pm.pm1a = (u16)acpi->pm1a_control;
	pm.pm1b = (u16)acpi->pm1b_control;
	pm.slp_typ_a = acpi->s5_slp_typ_a;
	pm.slp_typ_b = acpi->s5_slp_typ_b;
	pm.smi_command = (u16)acpi->smi_command;
	pm.acpi_enable = acpi->acpi_enable_value;
	pm.has_reset_register = acpi->has_reset_register;
	pm.reset_port = (u16)acpi->reset_port;
	pm.reset_value = acpi->reset_value;
	pm.has_8042 = !acpi->has_fadt || acpi->has_8042;
}

__noreturn void power_halt(void)
{
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

/* Firmware may still own power management (SMM): ask it to hand over (ACPI 6.5, 16.3.1). */
static void acpi_take_over(void)
{
	if ((inw(pm.pm1a) & PM1_SCI_EN) || !pm.smi_command || !pm.acpi_enable)
		return;
	outb(pm.smi_command, pm.acpi_enable);
	for (int i = 0; i < 300 && !(inw(pm.pm1a) & PM1_SCI_EN); i++)
		time_delay_ns(NSEC_PER_MSEC);
}

static void power_off(void)
{
	/*
	 * Bochs's magic breakpoint (xchg bx, bx), which the test harness turns into a clean exit;
	 * on every other machine it changes nothing.
	 */
	__asm__ volatile("xchg %%bx, %%bx" : : : "memory");
	if (!pm.has_s5)
		return;
	acpi_take_over();
	outw(pm.pm1a, (u16)(pm.slp_typ_a << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
	if (pm.pm1b)
		outw(pm.pm1b, (u16)(pm.slp_typ_b << PM1_SLP_TYP_SHIFT | PM1_SLP_EN));
	time_delay_ns(100 * NSEC_PER_MSEC);
}

static void reboot(void)
{
	struct descriptor_pointer no_idt = { 0, 0 };

	if (pm.has_reset_register) {
		outb(pm.reset_port, pm.reset_value);
		time_delay_ns(50 * NSEC_PER_MSEC);
	}
	if (pm.has_8042) {
		outb(KBC_COMMAND, KBC_PULSE_RESET);
		time_delay_ns(50 * NSEC_PER_MSEC);
	}
	/* Last resort: an exception with no IDT is a triple fault, which resets the CPU. */
	lidt(&no_idt);
	__asm__ volatile("int3");
}

__noreturn void power_act(enum power_action a)
{
	irq_disable();
	smp_stop_others();
	console_flush();
	if (a == POWER_POWEROFF) {
		power_off();
		console_force_unlock();
		printk(LOG_ERR, "power-off did not take effect (no ACPI S5); halted\n");
	} else if (a == POWER_REBOOT) {
		reboot();
	}
	console_flush();
	power_halt();
}
