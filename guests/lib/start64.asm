; SPDX-License-Identifier: MIT
; Start code of 64-bit C guests: Vireo enters at _start in long mode with RDI pointing at the
; boot information and RSP at it (the stack grows down from there).
bits 64
section .text
extern main, guest_exit, boot_info, fault_vector, fault_skip
global _start, guest_ud_handler, guest_gp_handler

_start:
	mov [rel boot_info], rdi
	and rsp, -16
	call main
	movsxd rdi, eax                 ; main returns an int: -1 exits with code -1
	call guest_exit

; #UD (no error code) and #GP (error code): note the vector, resume fault_skip bytes on.
guest_ud_handler:
	mov byte [rel fault_vector], 6
	jmp resume
guest_gp_handler:
	mov byte [rel fault_vector], 13
	add rsp, 8                      ; the error code
resume:
	push rax
	mov rax, [rel fault_skip]
	add [rsp + 8], rax              ; the interrupted RIP
	pop rax
	iretq

section .note.GNU-stack noalloc noexec nowrite progbits
