// SPDX-License-Identifier: MIT
/*
 * tpr: a 64-bit guest that checks CR8 and its local APIC's task priority are one register, as
 * on a CPU (SDM Vol. 3A 11.8.6.5): CR8 reads TPR[7:4], a MOV to CR8 sets TPR[7:4] and clears
 * TPR[3:0], and either masks the interrupts of its class and below. It enables its x2APIC,
 * writes CR8 and reads the TPR MSR, writes the TPR and reads CR8, then sends itself an IPI of
 * class 5 with CR8 = 5 (it must wait, interrupts on, until CR8 drops to 4) and with the TPR at
 * 0x50 (until the TPR drops). Give it the "lapic" device.
 */
#include "guests/lib/guest.h"

#define MSR_APIC_BASE 0x1b
#define X2APIC_TPR 0x808
#define X2APIC_EOI 0x80b
#define X2APIC_SVR 0x80f
#define X2APIC_SELF_IPI 0x83f
#define IPI_VECTOR 0x55		/* priority class 5 */
#define WAIT_SPINS 20000

static volatile u32 ipis;
static u32 failures;

static void ipi_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	ipis++;
	guest_wrmsr(X2APIC_EOI, 0);
}

static u64 read_cr8(void)
{
	u64 v;

	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static void write_cr8(u64 v)
{
	__asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

static void check(const char *what, u64 got, u64 want)
{
	guest_printf("tpr: %s = %#llx%s\n", what, (unsigned long long)got,
		     got == want ? "" : " (WRONG)");
	failures += got != want;
}

/*
 * Interrupts on for a while: the IPIs that the priority lets through arrive. STI's shadow
 * covers the PAUSE (SDM Vol. 2B, STI), so each turn had one boundary with interrupts taken;
 * in one CI run under QEMU 7.2 no IPI came in all 20,000 turns (cause not pinned down). The
 * NOP gives each turn a second boundary, well past the shadow.
 */
static u32 ipis_after_waiting(void)
{
	for (u32 i = 0; i < WAIT_SPINS; i++)
		__asm__ volatile("sti; pause; nop; cli");
	return ipis;
}

int main(const struct vireo_boot_info *bi)
{
	(void)bi;
	guest_idt_install();
	guest_idt_set(IPI_VECTOR, ipi_interrupt);
	guest_wrmsr(MSR_APIC_BASE, guest_rdmsr(MSR_APIC_BASE) | (3u << 10));	/* x2APIC on */
	guest_wrmsr(X2APIC_SVR, 0x1ff);
	write_cr8(5);
	check("TPR after CR8 = 5", guest_rdmsr(X2APIC_TPR), 0x50);
	guest_wrmsr(X2APIC_TPR, 0x3a);
	check("CR8 after TPR = 0x3a", read_cr8(), 3);
	check("TPR read back", guest_rdmsr(X2APIC_TPR), 0x3a);
	write_cr8(5);
	guest_wrmsr(X2APIC_SELF_IPI, IPI_VECTOR);
	check("IPIs of class 5 taken with CR8 = 5", ipis_after_waiting(), 0);
	write_cr8(4);
	check("IPIs once CR8 = 4", ipis_after_waiting(), 1);
	guest_wrmsr(X2APIC_TPR, 0x50);
	check("CR8 after TPR = 0x50", read_cr8(), 5);
	guest_wrmsr(X2APIC_SELF_IPI, IPI_VECTOR);
	check("IPIs of class 5 taken with TPR = 0x50", ipis_after_waiting(), 1);
	guest_wrmsr(X2APIC_TPR, 0x4f);
	check("IPIs once TPR = 0x4f", ipis_after_waiting(), 2);
	guest_printf("tpr: %u check(s) failed\n", failures);
	return (int)failures;
}
