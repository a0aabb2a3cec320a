/* SPDX-License-Identifier: MIT */
/*
 * A VM's settings and the one table of their options and limits, used by both ways of giving
 * them: a guest module's command line
 *   guest NAME [mem=SIZE] [cpu=N] [vcpus=N] [timeout=DURATION] ... [-- ARGS FOR THE GUEST]
 * and a [vm.NAME] table of the VM config file (vmm/config_file.c).
 */
#ifndef VIREO_VMM_VM_CONFIG_H
#define VIREO_VMM_VM_CONFIG_H

#include "kernel/types.h"
#include "vmm/config_value.h"

#define VM_NAME_MAX 24
#define VM_ARGS_MAX 128
#define VM_CONFIG_ERROR_MAX 128
#define VM_MEM_DEFAULT (16 * MiB)
#define VM_MEM_MIN (2 * MiB)
#define VM_MEM_MAX (64 * GiB)
#define VM_CPU_NUMBER_MAX 63	/* a CPU set is one u64: kernel/percpu.h's MAX_CPUS */
#define VM_CPUS_ANY 0ULL	/* the empty set: any CPU */
#define VM_VCPUS_MAX 16
#define VM_PRIORITY_MAX 3
#define VM_PRIORITY_DEFAULT 1
#define VM_TIMEOUT_MAX_MS (30ULL * 24 * 3600 * 1000)	/* 30 days */
#define VM_REAL_MODE_END 0xa0000	/* conventional memory ends at 640 KiB */
#define VM_REAL_MODE_IP_END 0x10000	/* a flat image starts at CS = 0: IP is 16 bits */

/* What happens when the guest exits by itself (a stop for a fault always stays a stop). */
enum vm_on_exit { VM_ON_EXIT_STOP, VM_ON_EXIT_RESTART };

/* What a reset of its PC does (0xCF9, port 0x92, the 8042's 0xFE, a triple fault). */
enum vm_on_reset { VM_ON_RESET_STOP, VM_ON_RESET_RESTART };

/* How the image is loaded; auto tells by its contents (vmm/loader.c). */
enum vm_format { VM_FORMAT_AUTO, VM_FORMAT_FLAT, VM_FORMAT_ELF, VM_FORMAT_MULTIBOOT, VM_FORMAT_LINUX };

/* The port devices a VM may get (all of them unless its config says otherwise). */
#define VM_DEVICE_DEBUGCON BIT(0)	/* port 0xe9: the console */
#define VM_DEVICE_POST BIT(1)		/* port 0x80: POST codes */
#define VM_DEVICE_MINIKVM BIT(2)	/* port 0x500: mini-kvm's hypercalls */
#define VM_DEVICE_PIC BIT(3)		/* ports 0x20, 0xa0, 0x4d0: the 8259 pair, to vCPU 0 */
#define VM_DEVICE_PIT BIT(4)		/* ports 0x40-0x43, 0x61: the 8254, on IRQ 0 */
#define VM_DEVICE_UART BIT(5)		/* ports 0x3f8-0x3ff: a 16550A as COM1, on IRQ 4 */
#define VM_DEVICE_KEYBOARD BIT(6)	/* ports 0x60, 0x64: the 8042 and its keyboard, IRQ 1 */
#define VM_DEVICE_RTC BIT(7)		/* ports 0x70, 0x71: the MC146818 clock and CMOS, IRQ 8 */
#define VM_DEVICE_IOAPIC BIT(8)		/* MMIO 0xfec00000: the I/O APIC, beside the PIC */
#define VM_DEVICE_VGA BIT(9)		/* ports 0x3c0-0x3cf, 0x3d4, 0x3d5, 0x3da: VGA text mode */
#define VM_DEVICE_LAPIC BIT(10)		/* a local APIC per vCPU: xAPIC window, x2APIC MSRs */
#define VM_DEVICE_ACPI BIT(11)		/* ACPI tables in the BIOS area (docs/PLATFORM.md) */
#define VM_DEVICE_MPTABLE BIT(12)	/* an MP table in the BIOS area */
#define VM_DEVICE_FWCFG BIT(13)		/* ports 0x510, 0x511: QEMU's fw_cfg */
#define VM_DEVICE_PCI BIT(14)		/* ports 0xcf8, 0xcfc: PCI configuration, a host bridge */
#define VM_DEVICE_KVMCLOCK BIT(15)	/* KVM's paravirtual clock: CPUID and MSRs (kvmclock.h) */
#define VM_DEVICES_ALL (VM_DEVICE_DEBUGCON | VM_DEVICE_POST | VM_DEVICE_MINIKVM | VM_DEVICE_PIC | \
			VM_DEVICE_PIT | VM_DEVICE_UART | VM_DEVICE_KEYBOARD | VM_DEVICE_RTC | \
			VM_DEVICE_IOAPIC | VM_DEVICE_VGA | VM_DEVICE_LAPIC | VM_DEVICE_ACPI | \
			VM_DEVICE_MPTABLE | VM_DEVICE_FWCFG | VM_DEVICE_PCI | VM_DEVICE_KVMCLOCK)
/* What a PC's firmware leaves the OS: with any of them, the BDA and the BIOS area are filled. */
#define VM_DEVICES_FIRMWARE (VM_DEVICE_ACPI | VM_DEVICE_MPTABLE | VM_DEVICE_FWCFG)
#define VM_DEVICES_PC (VM_DEVICE_PIC | VM_DEVICE_PIT | VM_DEVICE_UART | VM_DEVICE_KEYBOARD | \
		       VM_DEVICE_RTC | VM_DEVICE_IOAPIC)

/*
 * Where keys typed for the VM go: the hypercall's and port 0x500's queue (GETCHAR), its UART,
 * or its keyboard. Auto: the UART if it has one, else the keyboard, else the queue.
 */
enum vm_input { VM_INPUT_AUTO, VM_INPUT_HYPERCALL, VM_INPUT_UART, VM_INPUT_KEYBOARD };
/* Without a devices list: the PC devices only when asked for (they are new: see CONFIG.md). */
#define VM_DEVICES_DEFAULT (VM_DEVICE_DEBUGCON | VM_DEVICE_POST | VM_DEVICE_MINIKVM)

/* The colour of a VM's console lines: auto picks one by its number. */
enum vm_color { VM_COLOR_AUTO, VM_COLOR_OFF, VM_COLOR_RED, VM_COLOR_GREEN, VM_COLOR_YELLOW,
		VM_COLOR_BLUE, VM_COLOR_MAGENTA, VM_COLOR_CYAN };

#define VM_MODULES_MAX 8	/* boot modules handed to one guest, besides its kernel */

/* A boot module a VM is made from: its kernel, or a module handed to the guest. */
struct vm_image {
	const char *name;	/* the module's name, for the log and the guest */
	const void *data;
	size_t size;
};

struct vm_images {
	struct vm_image kernel;
	u32 module_count;
	struct vm_image modules[VM_MODULES_MAX];
};

struct vm_config {
	char name[VM_NAME_MAX];
	u64 mem_bytes;		/* guest RAM from guest-physical 0, a multiple of 2 MiB */
	u64 cpus;		/* host CPUs it may run on, bit N for CPU N; VM_CPUS_ANY: all */
	u32 vcpus;		/* virtual CPUs, 1 to VM_VCPUS_MAX */
	u64 timeout_ms;		/* stop the VM after this long (0: never) */
	enum vm_on_exit on_exit;	/* onexit=stop (the default) or onexit=restart */
	enum vm_on_reset on_reset;	/* on_reset=stop (the default) or on_reset=restart */
	u8 priority;		/* 0 to VM_PRIORITY_MAX: a runnable vCPU of a higher one goes first */
	enum vm_format format;
	u64 load_address;	/* a flat image's load address and entry (default 0x7c00) */
	u64 entry;
	u32 devices;		/* VM_DEVICE_* bits */
	enum vm_color color;
	enum vm_input input;
	bool autostart;		/* false: made only when the console's start asks */
	bool gdb;		/* the VM the GDB stub debugs when the command line names none */
	bool trace;		/* its exits are traced from the start (vmm/trace.h) */
	u32 trace_entries;	/* records per vCPU's trace ring, 0 for the default */
	char args[VM_ARGS_MAX];	/* handed to the guest in its boot information */
};

/* Every setting at its default, and the name given (which the caller has checked). */
void vm_config_defaults(struct vm_config *c, const char *name, size_t name_len);

/* True when name[0..len) is a good VM name: 1 to VM_NAME_MAX - 1 letters, digits, '-_.'. */
bool vm_config_name_ok(const char *name, size_t len);

/*
 * Set the config-file option key[0..key_len) from v. Returns 0; -ENOENT for a key that is no
 * option (the caller names the keys it knows); -EINVAL with *expected saying what a good
 * value looks like.
 */
int vm_config_set(struct vm_config *c, const char *key, size_t key_len,
		  const struct config_value *v, const char **expected);

/* The config file's option keys, comma-separated, for messages. */
const char *vm_config_keys(void);

/*
 * Parse the words after "guest": a name (letters, digits, '-', '_', '.'), then key=value
 * options (mem=, cpu=, vcpus=, timeout=, onexit=, priority=, format=), then optionally "--"
 * and the guest's own arguments. The values are checked as in the config file.
 * Returns 0, or -EINVAL with a message in error (the VM must then not be created).
 */
int vm_config_parse(const char *line, struct vm_config *c, char *error, size_t error_size);

#endif
