// SPDX-License-Identifier: MIT
/*
 * migrant: fills the registers a hypervisor must keep apart for each vCPU, and that neither
 * VT-x nor AMD-V switches all by itself (the syscall MSRs, FS/GS bases, CR2, DR0-DR3, the SSE
 * and x87 registers), then checks them round after round while it computes. Run two on one
 * CPU, move one to another ("move NAME CPU"): every round must find its state intact. Its
 * arguments: the number of rounds (default 8) and the work of a round in millions of loop
 * iterations (default 4).
 */
#include "guests/lib/guest.h"

#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_CSTAR 0xc0000083u
#define MSR_SFMASK 0xc0000084u

static const u32 msrs[] = { MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
			    MSR_CSTAR, MSR_SFMASK };
static const char *const msr_names[] = { "FS_BASE", "GS_BASE", "KERNEL_GS_BASE", "STAR",
					 "LSTAR", "CSTAR", "SFMASK" };

struct state {
	u64 msr[ARRAY_SIZE(msrs)];
	u64 cr2, dr[4];
	u64 xmm[4][2];
	u16 fpu_control;
};

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

/* Values of this VM's own: canonical addresses for the bases, the VM id in each. */
static void make_state(struct state *s, u64 seed)
{
	for (u32 i = 0; i < ARRAY_SIZE(msrs); i++)
		s->msr[i] = 0x0000700000000000ULL | seed << 32 | (u64)i << 12;
	s->msr[6] = 0x00047700 | seed;	/* SFMASK: a 32-bit mask */
	s->cr2 = 0x0000600000000000ULL | seed << 20;
	for (u32 i = 0; i < 4; i++)
		s->dr[i] = 0x0000500000000000ULL | seed << 24 | i << 4;
	for (u32 i = 0; i < 4; i++)
		s->xmm[i][0] = s->xmm[i][1] = 0x5a5a000000000000ULL | seed << 16 | i;
	s->fpu_control = 0x27f;	/* rounding to single precision: not the reset value */
}

static void load_state(const struct state *s)
{
	for (u32 i = 0; i < ARRAY_SIZE(msrs); i++)
		wrmsr(msrs[i], s->msr[i]);
	__asm__ volatile("mov %0, %%cr2" : : "r"(s->cr2));
	__asm__ volatile("mov %0, %%dr0; mov %1, %%dr1; mov %2, %%dr2; mov %3, %%dr3"
			 : : "r"(s->dr[0]), "r"(s->dr[1]), "r"(s->dr[2]), "r"(s->dr[3]));
	__asm__ volatile("movdqu %0, %%xmm0; movdqu %1, %%xmm1; movdqu %2, %%xmm2; "
			 "movdqu %3, %%xmm3" : : "m"(s->xmm[0]), "m"(s->xmm[1]), "m"(s->xmm[2]),
			 "m"(s->xmm[3]));
	__asm__ volatile("fninit; fldcw %0" : : "m"(s->fpu_control));
}

static void read_state(struct state *s)
{
	for (u32 i = 0; i < ARRAY_SIZE(msrs); i++)
		s->msr[i] = rdmsr(msrs[i]);
	__asm__ volatile("mov %%cr2, %0" : "=r"(s->cr2));
	__asm__ volatile("mov %%dr0, %0; mov %%dr1, %1; mov %%dr2, %2; mov %%dr3, %3"
			 : "=r"(s->dr[0]), "=r"(s->dr[1]), "=r"(s->dr[2]), "=r"(s->dr[3]));
	__asm__ volatile("movdqu %%xmm0, %0; movdqu %%xmm1, %1; movdqu %%xmm2, %2; "
			 "movdqu %%xmm3, %3" : "=m"(s->xmm[0]), "=m"(s->xmm[1]), "=m"(s->xmm[2]),
			 "=m"(s->xmm[3]));
	__asm__ volatile("fnstcw %0" : "=m"(s->fpu_control));
}

/* The first register that differs, or NULL. */
static const char *changed(const struct state *want, const struct state *got)
{
	for (u32 i = 0; i < ARRAY_SIZE(msrs); i++)
		if (want->msr[i] != got->msr[i])
			return msr_names[i];
	if (want->cr2 != got->cr2)
		return "CR2";
	for (u32 i = 0; i < 4; i++)
		if (want->dr[i] != got->dr[i])
			return "a debug register";
	for (u32 i = 0; i < 4; i++)
		if (want->xmm[i][0] != got->xmm[i][0] || want->xmm[i][1] != got->xmm[i][1])
			return "an XMM register";
	return want->fpu_control != got->fpu_control ? "the x87 control word" : NULL;
}

/* The next number in *s (skipping what precedes it), or fallback when there is none. */
static u32 next_number(const char **s, u32 fallback)
{
	u32 n = 0;

	while (**s == ' ')
		(*s)++;
	if (**s < '0' || **s > '9')
		return fallback;
	while (**s >= '0' && **s <= '9')
		n = n * 10 + (u32)(*(*s)++ - '0');
	return n;
}

int main(const struct vireo_boot_info *bi)
{
	struct state want, got;
	const char *args = bi->args;
	u32 rounds = next_number(&args, 8), work = next_number(&args, 4) * 1000000u;

	make_state(&want, bi->vm_id);
	load_state(&want);
	for (u32 r = 1; r <= rounds; r++) {
		const char *what;

		for (volatile u32 spin = 0; spin < work; spin++)
			;
		read_state(&got);
		what = changed(&want, &got);
		if (what) {
			guest_printf("round %u of %u: %s changed under me\n", r, rounds, what);
			return 1;
		}
		guest_printf("round %u of %u: state intact\n", r, rounds);
	}
	return 0;
}
