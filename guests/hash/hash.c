// SPDX-License-Identifier: MIT
/*
 * hash: the guest of lab 4 (docs/LABS.md). It calls a hypercall Vireo does not have until you
 * add it: number 64, VIREO_HC_HASH. RBX = a guest-physical address, RCX = a length of at most
 * 4096 bytes; the result is the 32-bit FNV-1a hash of those bytes (of no bytes: the offset
 * basis, whatever RBX is), -EINVAL (-22) for a longer buffer, -EFAULT (-14) for one that is not
 * all RAM. The guest hashes the same bytes itself and compares. `make lab-add-a-hypercall`
 * boots it and reads what it says.
 */
#include "guests/lib/guest.h"

/* The lab's number: far above the ABI's own (0, 1, 2, ...), so that neither takes the other's. */
#define HC_HASH 64
#define HASH_LENGTH_MAX 4096
#define ENOSYS 38
#define EINVAL 22
#define EFAULT 14

static u32 failures;

/* FNV-1a, 32 bits: start from the offset basis; for each byte, XOR it in, multiply by the prime. */
static long fnv1a(const u8 *bytes, u64 length)
{
	u32 h = 0x811c9dc5;

	while (length--) {
		h ^= *bytes++;
		h *= 0x01000193;
	}
	return h;
}

static void expect(const char *what, long got, long want)
{
	failures += got != want;
	if (got == want)	/* a hash in hex, an error in decimal: -22 is -EINVAL */
		guest_printf(got < 0 ? "ok: %s: %ld\n" : "ok: %s: %#lx\n", what, got);
	else
		guest_printf("wrong: %s: %ld (%#lx), not %ld (%#lx)\n", what, got, got, want, want);
}

static void expect_hash(const char *what, const void *buf, u64 length)
{
	expect(what, hypercall(HC_HASH, (long)buf, (long)length), fnv1a(buf, length));
}

int main(const struct vireo_boot_info *bi)
{
	static const char greeting[] = "Hello, hypervisor";
	u64 ram_end = bi->ram[bi->ram_range_count - 1].base + bi->ram[bi->ram_range_count - 1].size;
	const u8 *image = (const u8 *)0x100000;	/* where guests/lib/guest.ld puts the guest */

	if (hypercall(HC_HASH, (long)greeting, sizeof(greeting) - 1) == -ENOSYS) {
		guest_printf("hash: the hypervisor does not know hypercall %d yet (-ENOSYS): add "
			     "VIREO_HC_HASH (lab 4, docs/LABS.md)\n", HC_HASH);
		return ENOSYS;
	}
	expect_hash("the hash of \"Hello, hypervisor\"", greeting, sizeof(greeting) - 1);
	expect_hash("the hash of my boot information", bi, sizeof(*bi));
	expect_hash("the hash of no bytes at all", greeting, 0);
	expect_hash("the hash of the first 4096 bytes of my image", image, HASH_LENGTH_MAX);
	expect("4097 bytes: too long", hypercall(HC_HASH, (long)image, HASH_LENGTH_MAX + 1), -EINVAL);
	expect("8 bytes past the end of RAM", hypercall(HC_HASH, (long)ram_end, 8), -EFAULT);
	expect("16 bytes across the end of RAM", hypercall(HC_HASH, (long)(ram_end - 8), 16),
	       -EFAULT);
	guest_printf("hash: %u check(s) failed\n", failures);
	return (int)failures;
}
