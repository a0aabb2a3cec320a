/* SPDX-License-Identifier: MIT */
/* Interrupt vector numbers: the CPU's exceptions and the vectors Vireo assigns. */
#ifndef VIREO_ARCH_X86_VECTORS_H
#define VIREO_ARCH_X86_VECTORS_H

/* SDM Vol. 3A 7.3, table 7-1. */
#define VECTOR_DIVIDE_ERROR 0
#define VECTOR_DEBUG 1
#define VECTOR_NMI 2
#define VECTOR_BREAKPOINT 3
#define VECTOR_OVERFLOW 4
#define VECTOR_BOUND 5
#define VECTOR_INVALID_OPCODE 6
#define VECTOR_DEVICE_NOT_AVAILABLE 7
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_INVALID_TSS 10
#define VECTOR_SEGMENT_NOT_PRESENT 11
#define VECTOR_STACK_FAULT 12
#define VECTOR_GENERAL_PROTECTION 13
#define VECTOR_PAGE_FAULT 14
#define VECTOR_X87_FPU 16
#define VECTOR_ALIGNMENT_CHECK 17
#define VECTOR_MACHINE_CHECK 18
#define VECTOR_SIMD 19
#define VECTOR_VIRTUALIZATION 20
#define VECTOR_CONTROL_PROTECTION 21
#define VECTOR_EXCEPTIONS 32

/* Vectors Vireo assigns (above the legacy PIC range 0x20-0x2f, which stays masked). */
#define VECTOR_LAPIC_TIMER 0xe0
#define VECTOR_CALL_FUNCTION 0xf0	/* cross-CPU call IPI */
#define VECTOR_RESCHEDULE 0xf1		/* kick a CPU out of a guest or out of HLT */
#define VECTOR_LAPIC_ERROR 0xfe
#define VECTOR_SPURIOUS 0xff

#endif
