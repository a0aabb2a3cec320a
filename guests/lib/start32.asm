; SPDX-License-Identifier: MIT
; Start code of 32-bit C guests: Vireo enters at _start in protected mode, paging off, with
; EBX pointing at the boot information and ESP at it (the stack grows down from there).
bits 32
section .text
extern main, guest_exit, boot_info
global _start

_start:
	mov [boot_info], ebx
	and esp, -16
	sub esp, 12
	push ebx
	call main
	push eax
	call guest_exit

section .note.GNU-stack noalloc noexec nowrite progbits
