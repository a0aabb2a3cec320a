; SPDX-License-Identifier: MIT
; The entry of every interrupt vector tinyos uses: 0-31 the CPU's exceptions, 32-47 the IRQs
; of the two 8259As. The CPU pushes EFLAGS, CS and EIP (no stack switch: we are always in
; ring 0) and, for some exceptions only, an error code (SDM vol. 3A, 6.13 "Error Code"). Each
; stub evens that out with a 0 where the CPU pushes none, adds its vector number, and jumps
; to one common path that saves the registers and calls trap_entry(frame) in idt.c. The
; stack then is struct trap_frame in tinyos.h, lowest address first.

bits 32
section .text
extern trap_entry
global isr_stubs

; Exceptions that push an error code: #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17,
; #CP 21, #VC 29, #SX 30 (SDM vol. 3A, table 6-1).
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro STUB 1
stub_%1:
%if !HAS_ERROR_CODE(%1)
	push 0
%endif
	push %1
	jmp trap_common
%endmacro

%assign v 0
%rep 48
	STUB v
%assign v v + 1
%endrep

trap_common:
	pusha			; EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI
	cld			; the C ABI wants the direction flag clear on entry to a function
	push esp		; the argument: a pointer to the frame just built
	call trap_entry
	add esp, 4
	popa
	add esp, 8		; the vector and the error code
	iret

section .rodata
align 4
; The address of each stub, for the IDT's gates (idt.c).
isr_stubs:
%assign v 0
%rep 48
	dd stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
