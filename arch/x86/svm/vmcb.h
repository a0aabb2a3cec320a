/* SPDX-License-Identifier: MIT */
/* The AMD-V virtual machine control block (APM Vol. 2, appendix B) and its exit codes (C). */
#ifndef VIREO_ARCH_X86_SVM_VMCB_H
#define VIREO_ARCH_X86_SVM_VMCB_H

#include "kernel/types.h"

struct __packed vmcb_segment {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

struct __packed vmcb_control {
	u32 intercept_cr;		/* 0x000: bits 0-15 reads, 16-31 writes */
	u32 intercept_dr;		/* 0x004 */
	u32 intercept_exceptions;	/* 0x008: one bit per vector */
	u32 intercept_misc1;		/* 0x00c: SVM_INTERCEPT_* */
	u32 intercept_misc2;		/* 0x010: SVM_INTERCEPT2_* */
	u32 intercept_misc3;		/* 0x014 */
	u8 reserved_018[0x03c - 0x018];
	u16 pause_filter_threshold;	/* 0x03c */
	u16 pause_filter_count;		/* 0x03e */
	u64 iopm_base_pa;		/* 0x040 */
	u64 msrpm_base_pa;		/* 0x048 */
	u64 tsc_offset;			/* 0x050 */
	u32 guest_asid;			/* 0x058 */
	u8 tlb_control;			/* 0x05c */
	u8 reserved_05d[3];
	u64 v_intr;			/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
	u64 interrupt_shadow;		/* 0x068 */
	u64 exit_code;			/* 0x070 */
	u64 exit_info1;			/* 0x078 */
	u64 exit_info2;			/* 0x080 */
	u64 exit_int_info;		/* 0x088 */
	u64 np_control;			/* 0x090: bit 0 enables nested paging */
	u64 avic_apic_bar;		/* 0x098 */
	u64 ghcb_pa;			/* 0x0a0 */
	u64 event_inj;			/* 0x0a8 */
	u64 n_cr3;			/* 0x0b0: the nested page table */
	u64 virt_ext;			/* 0x0b8 */
	u32 clean_bits;			/* 0x0c0 */
	u32 reserved_0c4;
	u64 next_rip;			/* 0x0c8: with NRIP-save */
	u8 insn_bytes_fetched;		/* 0x0d0: with decode assists */
	u8 insn_bytes[15];		/* 0x0d1 */
	u8 reserved_0e0[0x400 - 0x0e0];
};

struct __packed vmcb_save {
	struct vmcb_segment es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_segment gdtr, ldtr, idtr, tr;	/* 0x460 */
	u8 reserved_4a0[0x4cb - 0x4a0];
	u8 cpl;						/* 0x4cb */
	u32 reserved_4cc;
	u64 efer;					/* 0x4d0 */
	u8 reserved_4d8[0x548 - 0x4d8];
	u64 cr4;					/* 0x548 */
	u64 cr3;					/* 0x550 */
	u64 cr0;					/* 0x558 */
	u64 dr7;					/* 0x560 */
	u64 dr6;					/* 0x568 */
	u64 rflags;					/* 0x570 */
	u64 rip;					/* 0x578 */
	u8 reserved_580[0x5d8 - 0x580];
	u64 rsp;					/* 0x5d8 */
	u8 reserved_5e0[0x5f8 - 0x5e0];
	u64 rax;					/* 0x5f8 */
	u64 star, lstar, cstar, sfmask;			/* 0x600 */
	u64 kernel_gs_base;				/* 0x620 */
	u64 sysenter_cs, sysenter_esp, sysenter_eip;	/* 0x628 */
	u64 cr2;					/* 0x640 */
	u8 reserved_648[0x668 - 0x648];
	u64 g_pat;					/* 0x668 */
	u8 reserved_670[0x1000 - 0x670];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(sizeof(struct vmcb) == 4096, "the VMCB is one page");
_Static_assert(offsetof(struct vmcb, control.exit_code) == 0x070, "VMCB exit code");
_Static_assert(offsetof(struct vmcb, control.next_rip) == 0x0c8, "VMCB nRIP");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "VMCB CPL");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "VMCB EFER");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "VMCB RIP");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "VMCB RAX");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "VMCB CR2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "VMCB G_PAT");

/* intercept_cr: reads in bits 0-15, writes in bits 16-31 */
#define SVM_INTERCEPT_CR_READ(n) BIT(n)
#define SVM_INTERCEPT_CR_WRITE(n) BIT(16 + (n))
/* intercept_misc1 */
#define SVM_INTERCEPT_INTR BIT(0)
#define SVM_INTERCEPT_NMI BIT(1)
#define SVM_INTERCEPT_SMI BIT(2)
#define SVM_INTERCEPT_INIT BIT(3)
#define SVM_INTERCEPT_VINTR BIT(4)
#define SVM_INTERCEPT_CPUID BIT(18)
#define SVM_INTERCEPT_IRET BIT(20)
#define SVM_INTERCEPT_INTN BIT(21)
#define SVM_INTERCEPT_INVD BIT(22)
#define SVM_INTERCEPT_HLT BIT(24)
#define SVM_INTERCEPT_INVLPGA BIT(26)
#define SVM_INTERCEPT_IOIO BIT(27)
#define SVM_INTERCEPT_MSR BIT(28)
#define SVM_INTERCEPT_SHUTDOWN BIT(31)
/* intercept_misc2 */
#define SVM_INTERCEPT2_VMRUN BIT(0)
#define SVM_INTERCEPT2_VMMCALL BIT(1)
#define SVM_INTERCEPT2_VMLOAD BIT(2)
#define SVM_INTERCEPT2_VMSAVE BIT(3)
#define SVM_INTERCEPT2_STGI BIT(4)
#define SVM_INTERCEPT2_CLGI BIT(5)
#define SVM_INTERCEPT2_SKINIT BIT(6)
#define SVM_INTERCEPT2_RDTSCP BIT(7)
#define SVM_INTERCEPT2_MONITOR BIT(10)
#define SVM_INTERCEPT2_MWAIT BIT(11)
#define SVM_INTERCEPT2_XSETBV BIT(13)

/* v_intr: V_TPR in bits 3:0 (the guest's CR8), V_IRQ, its priority and V_IGN_TPR, masking */
#define SVM_V_TPR_MASK 0xfULL
#define SVM_V_IRQ BIT(8)
#define SVM_V_INTR_PRIO_SHIFT 16
#define SVM_V_IGN_TPR BIT(20)
#define SVM_V_INTR_MASKING BIT(24)	/* guest IF masks only virtual interrupts */
#define SVM_INTERRUPT_SHADOW BIT(0)	/* interrupt_shadow: after STI or MOV SS */
#define SVM_NP_ENABLE BIT(0)
#define SVM_TLB_FLUSH_ALL 1
#define SVM_TLB_FLUSH_NONE 0
#define SVM_TLB_FLUSH_ASID 3	/* this guest's entries only (flush-by-ASID) */

/* EVENTINJ and EXITINTINFO (APM 15.20): types as enum event_type numbers them */
#define SVM_EVENT_VALID BIT(31)
#define SVM_EVENT_HAS_ERROR_CODE BIT(11)
#define SVM_EVENT_TYPE_SHIFT 8
#define SVM_EVENT_TYPE(info) (((info) >> SVM_EVENT_TYPE_SHIFT) & 7)

/* Exit codes (APM appendix C). */
#define SVM_EXIT_CR_READ_BASE 0x00	/* + the CR number */
#define SVM_EXIT_CR_WRITE_BASE 0x10	/* + the CR number */
#define SVM_EXIT_DR_READ_BASE 0x20	/* + the DR number */
#define SVM_EXIT_DR_WRITE_BASE 0x30	/* + the DR number */
#define SVM_EXIT_EXCEPTION_BASE 0x40
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_SMI 0x62
#define SVM_EXIT_INIT 0x63
#define SVM_EXIT_VINTR 0x64
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_IRET 0x74
#define SVM_EXIT_SWINT 0x75
#define SVM_EXIT_INVD 0x76
#define SVM_EXIT_PAUSE 0x77
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_INVLPGA 0x7a
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_SHUTDOWN 0x7f
#define SVM_EXIT_VMRUN 0x80
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_VMLOAD 0x82
#define SVM_EXIT_VMSAVE 0x83
#define SVM_EXIT_STGI 0x84
#define SVM_EXIT_CLGI 0x85
#define SVM_EXIT_SKINIT 0x86
#define SVM_EXIT_RDTSCP 0x87
#define SVM_EXIT_MONITOR 0x8a
#define SVM_EXIT_MWAIT 0x8b
#define SVM_EXIT_XSETBV 0x8d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffu	/* -1; QEMU stores it as 0x00000000ffffffff */

/* IOIO exit_info1 (APM 15.10.2) */
#define SVM_IOIO_IN BIT(0)
#define SVM_IOIO_STRING BIT(2)
#define SVM_IOIO_REP BIT(3)
#define SVM_IOIO_SIZE8 BIT(4)
#define SVM_IOIO_SIZE16 BIT(5)
#define SVM_IOIO_SIZE32 BIT(6)
#define SVM_IOIO_PORT_SHIFT 16

/* CR-write exit_info1 with decode assists: bit 63 says MOV (not LMSW/CLTS), bits 3:0 the GPR */
#define SVM_CR_MOV BIT(63)
#define SVM_CR_GPR_MASK 0xfULL

/* intercept_dr: reads of DR0-DR7 in bits 0-7, writes in bits 16-23 */
#define SVM_INTERCEPT_DR0_7 0x00ff00ffu

/* NPF exit_info1: a #PF-style error code (APM 15.25.6) */
#define SVM_NPF_WRITE BIT(1)
#define SVM_NPF_FETCH BIT(4)
#define SVM_NPF_IN_PAGE_WALK BIT(33)	/* the access was to a guest page table */

#endif
