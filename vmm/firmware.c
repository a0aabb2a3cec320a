/* SPDX-License-Identifier: MIT */
/* A VM's PC firmware data: the BDA, the ACPI and MP tables, fw_cfg (docs/PLATFORM.md). */
#include "vmm/firmware.h"
#include "arch/x86/cpu.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "vmm/acpi_build.h"
#include "vmm/bios_data.h"
#include "vmm/mptable.h"
#include "vmm/pc_layout.h"
#include "vmm/vm.h"

_Static_assert(VM_VCPUS_MAX < 0xff, "the I/O APIC's id (the vCPU count) fits a byte");

static void write_bios_data(struct vm *vm)
{
	struct bios_data_config c = { .com1 = vm->config.devices & VM_DEVICE_UART };

	bios_data_write(&c, guest_memory_ptr(&vm->mem, PC_BDA_BASE, PC_BDA_SIZE),
			guest_memory_ptr(&vm->mem, PC_EBDA_BASE, PC_EBDA_SIZE));
}

static void write_acpi(struct vm *vm)
{
	struct acpi_build_config c = {
		.cpu_count = vm->config.vcpus, .lapic_address = (u32)PC_LAPIC_BASE,
		.ioapic_address = (u32)PC_IOAPIC_BASE,
		.pcat_compat = vm->config.devices & VM_DEVICE_PIC,
		.has_8042 = vm->config.devices & VM_DEVICE_KEYBOARD,
		.sci_irq = PC_ACPI_SCI_IRQ, .pm1_evt_port = PC_ACPI_PM1_EVT_PORT,
		.pm1_cnt_port = PC_ACPI_PM1_CNT_PORT, .pm_tmr_port = PC_ACPI_PM_TMR_PORT,
		.reset_port = PC_RESET_PORT, .reset_value = PC_RESET_VALUE,
	};

	acpi_build_write(&c, guest_memory_ptr(&vm->mem, PC_ACPI_BASE, acpi_build_size(&c)),
			 PC_ACPI_BASE);
}

static void write_mptable(struct vm *vm)
{
	struct cpuid_regs id = cpuid(1, 0);
	struct mptable_config c = {
		.cpu_count = vm->config.vcpus, .cpu_signature = id.eax, .cpu_features = id.edx,
		.lapic_address = (u32)PC_LAPIC_BASE, .ioapic_address = (u32)PC_IOAPIC_BASE,
		.level_irq = vm->config.devices & VM_DEVICE_ACPI ? PC_ACPI_SCI_IRQ : 0,
	};

	mptable_write(&c, guest_memory_ptr(&vm->mem, PC_MPTABLE_BASE, mptable_size(&c)),
		      PC_MPTABLE_BASE);
}

/* fw_cfg with the VM's name and memory map as files. */
static int attach_fw_cfg(struct vm *vm, struct firmware *fw)
{
	u64 boot = vm->boot_data_start ? vm->boot_data_start : guest_memory_low_end(&vm->mem);
	u32 entries;
	int err;

	vfw_cfg_init(&fw->fw_cfg, vm->mem.size, (u16)vm->config.vcpus);
	str_copy(fw->vm_name, vm->config.name, sizeof(fw->vm_name));
	entries = e820_build(&vm->mem.ram, boot, fw->e820);
	err = vfw_cfg_add_file(&fw->fw_cfg, "etc/vireo/vm-name", (const u8 *)fw->vm_name,
			       (u32)strlen(fw->vm_name));
	if (!err)
		err = vfw_cfg_add_file(&fw->fw_cfg, "etc/e820", (const u8 *)fw->e820,
				       entries * (u32)sizeof(fw->e820[0]));
	if (!err)
		err = pio_register(&vm->pio, VFW_CFG_SELECTOR_PORT, VFW_CFG_PORTS, &vfw_cfg_ops,
				   &fw->fw_cfg, "fw_cfg");
	return err;
}

static u64 host_now_ns(void *ctx)
{
	(void)ctx;
	return time_since_boot_ns();
}

/*
 * SLP_EN with the DSDT's \_S5 type powers the VM off, a stop the guest asked for; the DSDT
 * offers no other sleep state, so other types are ignored. Called under the devices lock,
 * on the writing vCPU: the stop only asks the vCPUs to stop.
 */
static void acpi_sleep(void *ctx, u8 slp_typ)
{
	struct firmware *fw = ctx;

	if (slp_typ == ACPI_BUILD_S5_SLP_TYP)
		vm_shut_down(fw->vm, "powered off through ACPI (S5)");
}

static int attach_acpi_pm(struct vm *vm, struct firmware *fw)
{
	vacpi_pm_init(&fw->acpi_pm, PC_ACPI_PM_PORT, &(struct dev_clock){ host_now_ns, NULL },
		      &(struct vacpi_pm_sleep){ acpi_sleep, fw });
	return pio_register(&vm->pio, PC_ACPI_PM_PORT, VACPI_PM_PORTS, &vacpi_pm_ops,
			    &fw->acpi_pm, "ACPI PM");
}

_Static_assert(PC_MPTABLE_SIZE >= MPTABLE_FLOATING_LEN + MPTABLE_HEADER_LEN +
	       VM_VCPUS_MAX * MPTABLE_PROCESSOR_LEN + 32 * 8, "the MP table fits its area");

int firmware_install(struct vm *vm)
{
	u32 devices = vm->config.devices;
	struct firmware *fw;
	int err = 0;

	if (!(devices & VM_DEVICES_FIRMWARE))
		return 0;
	write_bios_data(vm);
	if (devices & VM_DEVICE_ACPI)
		write_acpi(vm);
	if (devices & VM_DEVICE_MPTABLE)
		write_mptable(vm);
	if (!(devices & (VM_DEVICE_ACPI | VM_DEVICE_FWCFG)))
		return 0;
	fw = kzalloc(sizeof(*fw));
	if (!fw)
		return -ENOMEM;
	vm->firmware = fw;
	fw->vm = vm;
	if (devices & VM_DEVICE_ACPI)
		err = attach_acpi_pm(vm, fw);
	if (!err && (devices & VM_DEVICE_FWCFG))
		err = attach_fw_cfg(vm, fw);
	return err;
}

void firmware_remove(struct vm *vm)
{
	kfree(vm->firmware);
	vm->firmware = NULL;
}
