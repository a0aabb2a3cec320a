// SPDX-License-Identifier: MIT
/*
 * How tinyos ends. A PC has no simple "off" port (ACPI would need its tables read), so: under
 * Vireo, the exit hypercall (docs/HYPERCALLS.md); under QEMU, its isa-debug-exit device when
 * the machine has one (-device isa-debug-exit,iobase=0xf4), which ends QEMU with status
 * code * 2 + 1; and anywhere else, a CPU halted for good.
 */
#include "guests/lib/guest.h"
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define CPUID_HYPERVISOR_PRESENT (1u << 31)	/* leaf 1, ECX: set by every hypervisor */
#define QEMU_DEBUG_EXIT_PORT 0xf4

/*
 * A hypervisor answers CPUID leaf 0x40000000 with its name. Ask only when leaf 1 says one is
 * there: a bare Intel CPU answers a leaf past its last with the last one's values.
 */
bool vireo_present(void)
{
	u32 a, b, c, d, name[3];
	const char *want = VIREO_CPUID_SIGNATURE;

	guest_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID_HYPERVISOR_PRESENT))
		return false;
	guest_cpuid(VIREO_CPUID_BASE, 0, &a, &name[0], &name[1], &name[2]);
	for (int i = 0; i < 12; i++)
		if (((const char *)name)[i] != want[i])
			return false;
	return true;
}

__noreturn void poweroff(u32 code)
{
	cli();
	if (vireo_present())
		guest_exit(code);	/* VMCALL or VMMCALL, EAX = VIREO_HC_EXIT, EBX = code */
	outb(QEMU_DEBUG_EXIT_PORT, (u8)code);
	cpu_stop();
}
