; SPDX-License-Identifier: MIT
; Where tinyos starts. A Multiboot1 loader (GRUB, QEMU's -kernel, Vireo) finds the header
; below in the first 8 KiB of the file, loads the ELF at its physical addresses and jumps to
; _start in 32-bit protected mode with paging off, EAX = 0x2BADB002 and EBX = the address of
; the Multiboot information, and interrupts off. Nothing else is promised (Multiboot 0.6.96,
; section 3.2): no stack, no IDT, and a GDT we must not rely on. So the first thing is a stack.

MB_MAGIC  equ 0x1BADB002
MB_MEMORY equ 1 << 1		; flag: please fill in mem_lower and mem_upper
MB_FLAGS  equ MB_MEMORY

STACK_SIZE equ 16384

bits 32

section .multiboot progbits alloc noexec nowrite align=4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)	; the checksum: the three fields add up to zero

section .bss
align 16
stack_bottom:
	resb STACK_SIZE
stack_top:

section .text
extern kmain, shell_main
global _start, kernel_restart

_start:
	mov esp, stack_top
	push ebx		; kmain(magic, info)
	push eax
	call kmain
	; kmain does not return.

; A program of the shell faulted (idt.c): forget its stack frames and start the shell again
; with an empty stack. The CPU keeps no record of being "in a handler" that we would have to
; end with IRET: only IF, off since the interrupt gate, and the shell turns it back on.
kernel_restart:
	mov esp, stack_top
	call shell_main

section .note.GNU-stack noalloc noexec nowrite progbits
