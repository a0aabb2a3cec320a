; SPDX-License-Identifier: MIT
; Interrupt entry stubs: one per vector, so the common path knows which vector fired and every
; frame looks alike (vectors without a CPU error code push a zero).

bits 64
section .text

extern trap_entry

; Vectors whose exceptions push an error code (SDM Vol. 3A 7.3, table 7-1).
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro ISR_STUB 1
isr_stub_%1:
%if !HAS_ERROR_CODE(%1)
	push 0
%endif
	push %1
	jmp isr_common
%endmacro

%assign v 0
%rep 256
ISR_STUB v
%assign v v + 1
%endrep

; The CPU pushed SS, RSP, RFLAGS, CS, RIP on a 16-byte aligned stack; with the error code, the
; vector and 15 registers the frame is 176 bytes, so RSP is 16-byte aligned again at the call.
isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	call trap_entry
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16                     ; vector and error code
	iretq

section .rodata
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
	dq isr_stub_ %+ v
%assign v v + 1
%endrep

; void trap_capture_registers(struct trap_frame *f): fill f with the caller's registers, as if
; an interrupt had arrived at the return address; panic() uses it for its register dump.
section .text
global trap_capture_registers
trap_capture_registers:
	mov [rdi + 0 * 8], r15
	mov [rdi + 1 * 8], r14
	mov [rdi + 2 * 8], r13
	mov [rdi + 3 * 8], r12
	mov [rdi + 4 * 8], r11
	mov [rdi + 5 * 8], r10
	mov [rdi + 6 * 8], r9
	mov [rdi + 7 * 8], r8
	mov [rdi + 8 * 8], rbp
	mov [rdi + 9 * 8], rdi
	mov [rdi + 10 * 8], rsi
	mov [rdi + 11 * 8], rdx
	mov [rdi + 12 * 8], rcx
	mov [rdi + 13 * 8], rbx
	mov [rdi + 14 * 8], rax
	mov qword [rdi + 15 * 8], -1    ; vector: none
	mov qword [rdi + 16 * 8], 0     ; error code
	mov rax, [rsp]
	mov [rdi + 17 * 8], rax         ; rip: the return address
	mov [rdi + 18 * 8], cs
	pushfq
	pop rax
	mov [rdi + 19 * 8], rax
	lea rax, [rsp + 8]
	mov [rdi + 20 * 8], rax         ; rsp as the caller sees it
	mov [rdi + 21 * 8], ss
	mov rax, [rdi + 14 * 8]
	ret
