; SPDX-License-Identifier: MIT
; Start code of 64-bit C guests: Vireo enters at _start in long mode with RDI pointing at the
; boot information and RSP at it (the stack grows down from there). Also the entry stubs of
; the guest's IDT (guests/lib/idt.c): every vector, one C dispatcher.
bits 64
section .text
extern main, guest_exit, boot_info, guest_trap
global _start, guest_vector_stubs

_start:
	mov [rel boot_info], rdi
	and rsp, -16
	call main
	movsxd rdi, eax                 ; main returns an int: -1 exits with code -1
	call guest_exit

; Vector n: push a zero where the CPU pushes no error code, then n (SDM Vol. 3A 7.3).
%macro VECTOR_STUB 1
vector_%1:
%if %1 != 8 && !(%1 >= 10 && %1 <= 14) && %1 != 17 && %1 != 21 && %1 != 29 && %1 != 30
	push 0
%endif
	push %1
	jmp vector_common
%endmacro

%assign n 0
%rep 256
	VECTOR_STUB n
%assign n n + 1
%endrep

; The frame guest_trap sees: the fifteen GPRs (struct guest_trap_frame), vector, error code,
; and what the CPU pushed.
vector_common:
	push rax
	push rcx
	push rdx
	push rbx
	push rbp
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	cld
	call guest_trap
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rbp
	pop rbx
	pop rdx
	pop rcx
	pop rax
	add rsp, 16                     ; vector and error code
	iretq

section .rodata
align 8
guest_vector_stubs:
%assign n 0
%rep 256
	dq vector_ %+ n
%assign n n + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
