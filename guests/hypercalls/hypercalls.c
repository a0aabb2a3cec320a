// SPDX-License-Identifier: MIT
/*
 * hypercalls: a 64-bit guest that exercises every call of hypercall ABI version 1
 * (docs/HYPERCALLS.md), good arguments and bad: buffers outside its RAM, across its end and
 * wrapping around the address space must come back -EFAULT with nothing read or written, and
 * numbers Vireo does not know -ENOSYS, the VM going on. Each check prints one line, "ok" or
 * "FAILED"; the last line counts them, and the exit code is the number that failed.
 */
#include "guests/lib/guest.h"

#define EFAULT 14
#define EINVAL 22
#define EAGAIN 11
#define ENOSYS 38
#define NSEC_PER_MSEC 1000000L
#define WRITE_MAX 4096

static u32 checks, failures;

static void check(bool ok, const char *what, long got)
{
	checks++;
	failures += !ok;
	guest_printf("%s: %s (got %ld)\n", what, ok ? "ok" : "FAILED", got);
}

static void check_equal(const char *what, long got, long want)
{
	check(got == want, what, got);
}

/* Where the VM's RAM below the device hole ends (its last bytes are Vireo's boot data). */
static u8 *ram_end(void)
{
	return (u8 *)(unsigned long)(boot_info->ram[0].base + boot_info->ram[0].size);
}

static bool bytes_equal(const void *a, const void *b, unsigned long n)
{
	const u8 *x = a, *y = b;

	for (unsigned long i = 0; i < n; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

static void check_console_calls(void)
{
	static const char text[] = "write: this line came through VIREO_HC_WRITE\n";
	long bang;

	check_equal("version", hypercall(VIREO_HC_VERSION, 0, 0), VIREO_ABI_VERSION);
	check_equal("nop", hypercall(VIREO_HC_NOP, 0, 0), 0);
	bang = hypercall(VIREO_HC_PUTCHAR, '!', 0);
	check_equal("putchar (a line of '!')", bang | hypercall(VIREO_HC_PUTCHAR, '\n', 0), 0);
	check_equal("write", hypercall(VIREO_HC_WRITE, (long)text, sizeof(text) - 1),
		    sizeof(text) - 1);
	check_equal("write of nothing", hypercall(VIREO_HC_WRITE, (long)text, 0), 0);
	check_equal("write too long", hypercall(VIREO_HC_WRITE, (long)text, WRITE_MAX + 1), -EINVAL);
	check_equal("write outside RAM",
		    hypercall(VIREO_HC_WRITE, (long)boot_info->mem_bytes + (long)GiB, 8), -EFAULT);
	/* Had Vireo printed the part in RAM, it would start the line of this check. */
	check_equal("write across the end of RAM",
		    hypercall(VIREO_HC_WRITE, (long)(ram_end() - 4), 8), -EFAULT);
	check_equal("write wrapping around", hypercall(VIREO_HC_WRITE, -16L, 32), -EFAULT);
	check_equal("getchar without a key", hypercall(VIREO_HC_GETCHAR, 0, 0), -EAGAIN);
}

static void check_vm_info(void)
{
	struct vireo_vm_info info;
	u8 before[16], *straddle = ram_end() - 8;
	u64 short_buffer[2] = { 0, ~0ULL };
	long n = hypercall(VIREO_HC_VM_INFO, (long)&info, sizeof(info));

	check_equal("vm_info", n, sizeof(info));
	check_equal("vm_info: abi version", info.abi_version, VIREO_ABI_VERSION);
	check_equal("vm_info: vm id as in the boot info", info.vm_id, boot_info->vm_id);
	check_equal("vm_info: vCPU 0", info.vcpu_id, 0);
	check_equal("vm_info: vCPU count", info.vcpu_count, boot_info->vcpu_count);
	check_equal("vm_info: memory in MiB", (long)(info.mem_bytes / MiB),
		    (long)(boot_info->mem_bytes / MiB));
	check(bytes_equal(info.name, boot_info->name, sizeof(info.name)), "vm_info: name", 0);
	guest_printf("vm_info: I am vm%u '%s' with %llu MiB\n", info.vm_id, info.name,
		     (unsigned long long)(info.mem_bytes / MiB));
	/* A short buffer gets the start of the answer and nothing past its end. */
	check_equal("vm_info into 8 bytes", hypercall(VIREO_HC_VM_INFO, (long)short_buffer, 8), 8);
	check(short_buffer[1] == ~0ULL && (u32)short_buffer[0] == VIREO_ABI_VERSION,
	      "vm_info into 8 bytes: the rest untouched", (long)short_buffer[1]);
	/* Half in RAM, half past it: refused whole, the half in RAM unchanged. */
	__builtin_memcpy(before, straddle, 8);
	check_equal("vm_info across the end of RAM",
		    hypercall(VIREO_HC_VM_INFO, (long)straddle, sizeof(info)), -EFAULT);
	check(bytes_equal(before, straddle, 8), "vm_info across the end of RAM: RAM unchanged", 0);
	check_equal("vm_info wrapping around", hypercall(VIREO_HC_VM_INFO, -8L, sizeof(info)),
		    -EFAULT);
}

static void check_time(void)
{
	long t0 = hypercall(VIREO_HC_TIME, 0, 0), t1, slept;

	check(t0 > 0, "time since the VM started", t0);
	check_equal("sleep 20 ms", hypercall(VIREO_HC_SLEEP, 20 * NSEC_PER_MSEC, 0), 0);
	t1 = hypercall(VIREO_HC_TIME, 0, 0);
	slept = (t1 - t0) / NSEC_PER_MSEC;
	check(slept >= 20 && slept < 5000, "time across the sleep, in ms", slept);
	check_equal("sleep of 0 ns", hypercall(VIREO_HC_SLEEP, 0, 0), -EINVAL);
}

static void check_bad_arguments_and_numbers(void)
{
	static const long unknown[] = { 13, 63, 0x7badc0de, -1 };

	check_equal("send_interrupt to a vCPU it does not have",
		    hypercall(VIREO_HC_SEND_INTERRUPT, 5, 0x40), -EINVAL);
	check_equal("send_interrupt below vector 32",
		    hypercall(VIREO_HC_SEND_INTERRUPT, 0, 8), -EINVAL);
	check_equal("send_nmi to a vCPU it does not have", hypercall(VIREO_HC_SEND_NMI, 5, 0),
		    -EINVAL);
	check_equal("start_vcpu of itself", hypercall4(VIREO_HC_START_VCPU, 0, 0, 0, 0), -EINVAL);
	for (u32 i = 0; i < ARRAY_SIZE(unknown); i++) {
		guest_printf("unknown number %#lx: ", unknown[i]);
		check_equal("-ENOSYS", hypercall(unknown[i], 0, 0), -ENOSYS);
	}
}

int main(const struct vireo_boot_info *bi)
{
	guest_printf("hypercalls: exercising ABI version %u as vm%u '%s'\n", VIREO_ABI_VERSION,
		     bi->vm_id, bi->name);
	check_console_calls();
	check_vm_info();
	check_time();
	check_bad_arguments_and_numbers();
	guest_printf("hypercalls: %u of %u checks passed\n", checks - failures, checks);
	return (int)failures;
}
