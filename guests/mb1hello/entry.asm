; SPDX-License-Identifier: MIT
; mb1hello's entry: the Multiboot1 header, then a stack of its own and the call into C.
; Assembled twice: as it is for the ELF kernel, with -DADDRESS_FIELDS for the flat binary,
; whose header tells the boot loader where it goes (Multiboot 0.6.96, 3.1.3).
bits 32

MAGIC equ 0x1badb002
%ifdef ADDRESS_FIELDS
FLAGS equ 0x00010003	; modules page-aligned, memory information, the address fields
%else
FLAGS equ 0x00000003	; modules page-aligned, memory information
%endif

section .multiboot
global multiboot_header
align 4
multiboot_header:
	dd MAGIC, FLAGS, -(MAGIC + FLAGS)
%ifdef ADDRESS_FIELDS
extern image_start, bss_end
	dd multiboot_header	; header_addr
	dd image_start		; load_addr
	dd 0			; load_end_addr: the whole file
	dd bss_end		; bss_end_addr
	dd _start		; entry_addr
%endif

section .text
global _start
extern mb1_main

; EAX holds the boot loader's magic, EBX the information; ESP is undefined (spec 3.2).
_start:
	mov esp, stack_top
	push ebx
	push eax
	call mb1_main
.halt:
	hlt
	jmp .halt

section .bss
align 16
	resb 16384
stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
