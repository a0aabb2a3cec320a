; SPDX-License-Identifier: MIT
; gdbspin16: gdbspin (guests/gdbspin) in real mode, for gdb's i8086 layout. Vireo loads the
; flat binary at 0000:7C00; gdb reads the symbols from gdbspin16.elf, the same code linked
; there. It counts in spins until gdb sets released, calls reached (straight-line code to
; step through), and prints what reached gave before it exits.

bits 16
section .text
global start, main, reached, done, spins, released

%include "guests/lib/real16_start.inc"

%define HC_EXIT         2

start:
	enter_flat_real_mode
	mov si, spinning
	call print
main:                                   ; the spin loop
	cmp dword [released], 0
	jne .released
	add dword [spins], 1
	jmp main
.released:
	call reached
	cmp ax, 34
	jne .wrong
	mov si, says_34
	call print
	jmp done
.wrong:
	mov si, says_other
	call print
done:                                   ; where the tests put a hardware breakpoint
	mov eax, HC_EXIT
	xor ebx, ebx
	call hypercall
	hlt                             ; not reached

; 7 + 8 + 9 + 10, one instruction at a time.
reached:
	mov ax, 7
	mov cx, 8
	add ax, cx
	inc cx
	add ax, cx
	inc cx
	add ax, cx
	ret

%include "guests/lib/real16.inc"

spinning:       db "gdbspin16: spinning until released", 10, 0
says_34:        db "gdbspin16: released, reached() says 34", 10, 0
says_other:     db "gdbspin16: released, reached() says something else", 10, 0
align 4
released:       dd 0                    ; gdb sets it
spins:          dd 0
