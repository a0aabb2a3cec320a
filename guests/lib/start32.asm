; SPDX-License-Identifier: MIT
; Start code of 32-bit C guests: Vireo enters at _start in protected mode, paging off, with
; EBX pointing at the boot information and ESP just below it.
bits 32
section .text
extern main, guest_exit, boot_info, fault_vector, fault_skip
global _start, guest_ud_handler, guest_gp_handler

_start:
	mov [boot_info], ebx
	and esp, -16
	sub esp, 12
	push ebx
	call main
	push eax
	call guest_exit

guest_ud_handler:
	mov byte [fault_vector], 6
	jmp resume
guest_gp_handler:
	mov byte [fault_vector], 13
	add esp, 4                      ; the error code
resume:
	push eax
	mov eax, [fault_skip]
	add [esp + 4], eax              ; the interrupted EIP
	pop eax
	iretd

section .note.GNU-stack noalloc noexec nowrite progbits
