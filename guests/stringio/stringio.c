// SPDX-License-Identifier: MIT
/*
 * stringio: a 64-bit guest that moves strings through ports with INS and OUTS, as drivers do
 * (the CPU exits on each, and Vireo emulates the whole REP run): forwards and backwards
 * (RFLAGS.DF), bytes and words, with a 32-bit address size, and a buffer that runs into a page
 * the guest has unmapped, which must fault there with the registers at the faulting element.
 * Give it mem=8M (it unmaps its third 2 MiB page).
 */
#include "guests/lib/guest.h"

#define PTE_PRESENT 0x1ULL
#define PTE_ADDRESS 0x000ffffffffff000ULL
#define UNMAPPED_PAGE 0x400000ULL	/* 4-6 MiB: code, data and stack lie elsewhere */
#define POST_PORT 0x80

static u32 failures;

static void report(bool ok, const char *what)
{
	failures += !ok;
	guest_printf("%s: %s\n", what, ok ? "ok" : "FAILED");
}

static void outsb(const void *buf, u64 count, u64 *left, const void **next)
{
	__asm__ volatile("rep outsb" : "+S"(buf), "+c"(count) : "d"((u16)VIREO_DEBUG_PORT)
			 : "memory");
	*left = count;
	*next = buf;
}

static void forwards(void)
{
	static const char line[] = "rep outsb: this line went out through port 0xe9\n";
	const void *next;
	u64 left;

	outsb(line, sizeof(line) - 1, &left, &next);
	report(left == 0 && next == line + sizeof(line) - 1, "rep outsb: RCX 0, RSI past the end");
}

/* With DF set, RSI walks down: the buffer holds the line reversed, RSI starts on its end. */
static void backwards(void)
{
	static const char line[] = "rep outsb with DF=1 printed this reversed buffer\n";
	char reversed[sizeof(line)];
	const void *buf;
	u64 n = sizeof(line) - 1, count = n;

	for (u64 i = 0; i < n; i++)
		reversed[i] = line[n - 1 - i];
	buf = reversed + n - 1;
	__asm__ volatile("std; rep outsb; cld" : "+S"(buf), "+c"(count)
			 : "d"((u16)VIREO_DEBUG_PORT) : "memory", "cc");
	report(count == 0 && (u64)buf == (u64)reversed - 1, "DF=1: RSI walked down past the start");
}

static void insb_and_words(void)
{
	u8 in[16];
	u16 words[3] = { 0x1111, 0x2222, 0x3344 };
	void *dst = in;
	const void *src = words;
	u64 count = sizeof(in), wcount = 3;
	bool all = true;
	u8 post;

	__builtin_memset(in, 0, sizeof(in));
	/* Port 0xE9 reads back 0xE9, as in Bochs and QEMU. */
	__asm__ volatile("rep insb" : "+D"(dst), "+c"(count) : "d"((u16)VIREO_DEBUG_PORT)
			 : "memory");
	for (u32 i = 0; i < sizeof(in); i++)
		all &= in[i] == VIREO_DEBUG_PORT;
	report(all && count == 0 && dst == in + sizeof(in), "rep insb: 16 bytes of 0xe9");
	__asm__ volatile("rep outsw" : "+S"(src), "+c"(wcount) : "d"((u16)POST_PORT) : "memory");
	__asm__ volatile("inb %1, %0" : "=a"(post) : "Nd"((u16)POST_PORT));
	report(post == 0x44 && src == words + 3, "rep outsw: port 0x80 kept the last low byte");
}

/* 67 makes it ESI and ECX: the upper halves are ignored, and written back as zero. */
static void address_size_32(void)
{
	static const char line[] = "addr32 rep outsb: ESI and ECX, not RSI and RCX\n";
	u64 rsi = 0xabcd000000000000ULL | (u64)line, rcx = 0x1234000000000000ULL | (sizeof(line) - 1);

	__asm__ volatile(".byte 0x67; rep outsb" : "+S"(rsi), "+c"(rcx)
			 : "d"((u16)VIREO_DEBUG_PORT) : "memory");
	report(rcx == 0 && rsi == (u64)line + sizeof(line) - 1, "addr32: upper halves cleared");
}

/* The 2 MiB page directory entry mapping gla in the tables Vireo built (an identity map). */
static u64 *directory_entry(u64 gla)
{
	u64 cr3, *pml4, *pdpt, *pd;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (u64 *)(cr3 & PTE_ADDRESS);
	pdpt = (u64 *)(pml4[0] & PTE_ADDRESS);
	pd = (u64 *)(pdpt[(gla >> 30) & 511] & PTE_ADDRESS);
	return &pd[(gla >> 21) & 511];
}

static void fault_midway(void)
{
	u64 *pde = directory_entry(UNMAPPED_PAGE);
	char *edge = (char *)(UNMAPPED_PAGE - 4);
	const void *src = edge;
	u64 count = 8, cr2;

	__builtin_memcpy(edge, "EDGE", 4);
	*pde &= ~PTE_PRESENT;
	__asm__ volatile("invlpg (%0)" : : "r"(UNMAPPED_PAGE) : "memory");
	fault_vector = GUEST_NO_FAULT;
	fault_skip = 2;		/* F3 6E */
	__asm__ volatile("rep outsb" : "+S"(src), "+c"(count) : "d"((u16)VIREO_DEBUG_PORT)
			 : "memory");
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	*pde |= PTE_PRESENT;
	guest_printf("\n");
	guest_printf("fault: vector %u, CR2 %#llx, RCX %llu\n", fault_vector,
		     (unsigned long long)cr2, (unsigned long long)count);
	report(fault_vector == 14 && cr2 == UNMAPPED_PAGE && count == 4 &&
	       src == (const void *)UNMAPPED_PAGE, "rep outsb into an unmapped page: #PF there");
}

int main(const struct vireo_boot_info *bi)
{
	guest_idt_install();
	guest_printf("stringio: INS and OUTS in '%s'\n", bi->name);
	forwards();
	backwards();
	insb_and_words();
	address_size_32();
	fault_midway();
	guest_printf("stringio: %s\n", failures ? "something FAILED" : "all ok");
	return (int)failures;
}
