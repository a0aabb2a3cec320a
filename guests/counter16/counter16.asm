; SPDX-License-Identifier: MIT
; counter16: mini-kvm's counter demo. A real-mode guest that counts from 0 to 9, one line a
; step, through mini-kvm's port-0x500 PUTCHAR (one VM exit a character), and exits with
; mini-kvm's EXIT.

bits 16
org 0x7c00

%include "guests/lib/real16_start.inc"

%define LAST 9

start:
	enter_flat_real_mode

	mov si, starting
	call minikvm_print
	xor ax, ax                      ; the count
.step:
	mov si, count
	call minikvm_print
	call minikvm_print_number
	mov si, newline
	call minikvm_print
	inc ax
	cmp ax, LAST
	jbe .step

	mov si, done
	call minikvm_print
	xor bl, bl                      ; exit code 0
	call minikvm_exit

%include "guests/lib/real16.inc"

starting:       db "counting from 0 to 9", 10, 0
count:          db "count ", 0
newline:        db 10, 0
done:           db "done", 10, 0
