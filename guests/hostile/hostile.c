// SPDX-License-Identifier: MIT
/*
 * hostile: a guest that misbehaves on purpose, to show that Vireo stops only that VM, with a
 * clear reason. Its argument (after "--" on the module line) picks the misdeed:
 *   triple     fault with no IDT: a triple fault
 *   virt       run the host's virtualization instructions (VMRUN on AMD, VMXON on Intel)
 *   hypercall  make a hypercall with a number that does not exist
 *   oob-read   read guest-physical memory it does not own
 *   oob-write  write guest-physical memory it does not own
 *   spin       loop for ever (use timeout= on its module line)
 */
#include "guests/lib/guest.h"

#define PTE_PRESENT_WRITABLE 0x3ULL
#define PTE_LARGE 0x80ULL
#define PTE_ADDRESS 0x000ffffffffff000ULL
#define FOREIGN_GPA 0xc0000000ULL	/* 3 GiB: beyond any test VM's RAM */

static u64 extra_directory[512] __aligned(4096);

static bool arg_is(const char *want)
{
	const char *a = boot_info->args;

	while (*a && *a == *want)
		a++, want++;
	return *a == *want;
}

/* Map FOREIGN_GPA with a 2 MiB page in our own tables, so the access reaches Vireo's NPT/EPT. */
static volatile u64 *map_foreign_memory(void)
{
	u64 cr3, *pml4, *pdpt;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (u64 *)(cr3 & PTE_ADDRESS);
	pdpt = (u64 *)(pml4[0] & PTE_ADDRESS);
	extra_directory[0] = FOREIGN_GPA | PTE_LARGE | PTE_PRESENT_WRITABLE;
	pdpt[FOREIGN_GPA >> 30] = (u64)extra_directory | PTE_PRESENT_WRITABLE;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
	return (volatile u64 *)FOREIGN_GPA;
}

static void run_virtualization_instruction(void)
{
	u32 a, b, c, d;
	static u8 region[4096] __aligned(4096);
	u64 region_pa = (u64)region;

	guest_cpuid(0, 0, &a, &b, &c, &d);
	if (b == 0x756e6547)	/* GenuineIntel */
		__asm__ volatile("vmxon %0" : : "m"(region_pa) : "memory", "cc");
	else
		__asm__ volatile("vmrun" : : "a"(region_pa) : "memory");
}

int main(const struct vireo_boot_info *bi)
{
	guest_printf("hostile guest '%s': about to %s\n", bi->name, bi->args);
	if (arg_is("triple"))
		__asm__ volatile("ud2");	/* no IDT: #UD -> #DF -> triple fault */
	else if (arg_is("virt"))
		run_virtualization_instruction();
	else if (arg_is("hypercall"))
		hypercall(0x7badc0de, 0, 0);
	else if (arg_is("oob-read"))
		guest_printf("read %llx\n", (unsigned long long)*map_foreign_memory());
	else if (arg_is("oob-write"))
		*map_foreign_memory() = 0xdeadbeef;
	else if (arg_is("spin"))
		for (volatile u64 n = 0;; n++)
			;
	else
		guest_printf("unknown misdeed '%s'\n", bi->args);
	guest_printf("hostile guest '%s': still running, which is wrong\n", bi->name);
	return 1;
}
