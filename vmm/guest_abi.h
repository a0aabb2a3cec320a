/* SPDX-License-Identifier: MIT */
/*
 * The interface between Vireo and its guests: hypercall numbers, the CPUID signature, the
 * I/O ports Vireo emulates for them, and the boot information 32- and 64-bit guests receive.
 * Guests include this header too (docs/HYPERCALLS.md describes it).
 */
#ifndef VIREO_VMM_GUEST_ABI_H
#define VIREO_VMM_GUEST_ABI_H

#include <stdint.h>

/* CPUID leaf 0x40000000 returns the highest hypervisor leaf in EAX and this in EBX:ECX:EDX. */
#define VIREO_CPUID_BASE 0x40000000u
#define VIREO_CPUID_SIGNATURE "VireoVireoVi"
/* Leaf 0x40000001: EAX = ABI version, EBX = the vCPU's index, ECX = the VM's id. */
#define VIREO_CPUID_INFO 0x40000001u
#define VIREO_ABI_VERSION 1u

/*
 * Hypercalls: VMCALL on Intel, VMMCALL on AMD (CPUID leaf 0 tells which). RAX holds the
 * number, RBX, RCX, RDX, RSI, RDI the arguments; the result comes back in RAX, a negative
 * errno on failure. Only ring 0 of the guest may call; elsewhere the instruction raises #UD.
 * An unknown number returns -ENOSYS, so that a guest can probe for calls newer than it knows.
 * ABI version 1 is numbers 0 to 12; a later version only adds numbers.
 */
enum vireo_hypercall {
	VIREO_HC_NOP = 0,	/* does nothing, returns 0: the null hypercall of benchmarks */
	VIREO_HC_WRITE = 1,	/* RBX = guest-physical address, RCX = length (up to 4096):
				 * write to the VM's console; returns the length */
	VIREO_HC_EXIT = 2,	/* RBX = exit code: stop the VM */
	VIREO_HC_YIELD = 3,	/* give the CPU to others waiting for it, if any; returns 0 */
	VIREO_HC_SEND_INTERRUPT = 4,	/* RBX = vCPU, RCX = vector 32-255: raise that interrupt
					 * for a vCPU of this VM (itself too); 0 or -EINVAL */
	VIREO_HC_SEND_NMI = 5,	/* RBX = vCPU: raise an NMI for it; 0 or -EINVAL */
	VIREO_HC_START_VCPU = 6,	/* RBX = vCPU, RCX = RIP, RDX = RSP, RSI = its RDI and
					 * RBX: start another vCPU of this VM in the caller's mode
					 * (control registers, segments, tables), its other
					 * registers zero, interrupts off; 0, -EINVAL, or -EBUSY
					 * (started already) */
	VIREO_HC_SLEEP = 7,	/* RBX = nanoseconds, 1 to 60 s: the vCPU sleeps that long,
				 * costing no CPU (interrupts raised meanwhile wait); 0 or -EINVAL */
	VIREO_HC_GETCHAR = 8,	/* RBX = 0: the next key typed for the VM at the console (its
				 * focus), or -EAGAIN; RBX = 1: wait for one, costing no CPU */
	VIREO_HC_PUTCHAR = 9,	/* RBX = a byte for the VM's console; returns 0 */
	VIREO_HC_TIME = 10,	/* nanoseconds since the VM started */
	VIREO_HC_VM_INFO = 11,	/* RBX = guest-physical address, RCX = its length: fill in as
				 * much of a struct vireo_vm_info as fits; returns the bytes
				 * written, or -EFAULT (nothing written) */
	VIREO_HC_VERSION = 12,	/* returns VIREO_ABI_VERSION */
};

/* VIREO_HC_VM_INFO's answer. Later versions only add fields at the end. */
struct vireo_vm_info {
	uint32_t abi_version;	/* VIREO_ABI_VERSION */
	uint32_t vm_id;		/* as in the log: vm3 */
	uint32_t vcpu_id;	/* the caller's index in the VM */
	uint32_t vcpu_count;
	uint64_t mem_bytes;	/* all of the VM's RAM */
	char name[24];		/* the VM's name, NUL-terminated */
};

/* Port 0xE9: each byte written appears on the VM's console; reads return 0xE9. */
#define VIREO_DEBUG_PORT 0xe9

/*
 * Port 0x500, as in mini-kvm: OUT with AL = 0 exits (exit code in BL), AL = 1 writes the
 * character in BL to the console, AL = 2 reads a key typed for the VM into EAX
 * (0xFFFFFFFF when none is waiting).
 */
#define VIREO_MINIKVM_PORT 0x500
#define VIREO_MINIKVM_EXIT 0
#define VIREO_MINIKVM_PUTCHAR 1
#define VIREO_MINIKVM_GETCHAR 2

/* Port 0x80, the POST code port: writes are kept (the benchmark's in-hypervisor device). */
#define VIREO_POST_PORT 0x80

/* Where a flat binary is loaded and started, in real mode at 0000:7C00 like a boot sector. */
#define VIREO_FLAT_LOAD_ADDRESS 0x7c00u

/*
 * Handed to ELF guests: in RDI (64-bit) or EBX (32-bit), a guest-physical pointer to this.
 * Its address and the page tables of a 64-bit guest lie in the top pages of guest RAM; the
 * initial stack pointer is just below them.
 */
#define VIREO_BOOT_INFO_MAGIC 0x42726956u	/* "ViRB" */
#define VIREO_RAM_RANGES_MAX 4
struct vireo_boot_info {
	uint32_t magic;
	uint32_t abi_version;
	uint64_t mem_bytes;	/* all of the VM's RAM: the sizes of ram[] added up */
	uint64_t reserved_start;	/* from here to the end of ram[0]: Vireo's boot data */
	uint32_t vcpu_id;
	uint32_t vm_id;
	uint32_t vcpu_count;	/* vCPUs of the VM: 1 to vcpu_count-1 wait for VIREO_HC_START_VCPU */
	char name[24];		/* the VM's name */
	char args[128];		/* what followed "--" on its module line */
	/*
	 * Where the RAM is, lowest first; ram[0] starts at 0. Between ranges lie holes for
	 * devices: RAM past 3 GiB goes on at 4 GiB, as on a PC.
	 */
	uint32_t ram_range_count;
	uint32_t pad[2];	/* ram[] at offset 200 for 32-bit guests too: their ABI aligns
				 * uint64_t to 4 bytes only */
	struct {
		uint64_t base, size;
	} ram[VIREO_RAM_RANGES_MAX];
};
_Static_assert(__builtin_offsetof(struct vireo_boot_info, ram) == 200,
	       "struct vireo_boot_info: one layout for 32- and 64-bit guests");

#endif
