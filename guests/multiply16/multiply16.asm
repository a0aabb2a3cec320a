; SPDX-License-Identifier: MIT
; multiply16: mini-kvm's multiplication demo. A real-mode guest that prints the table from
; 2 x 1 to 9 x 9, a product a line, through mini-kvm's port-0x500 PUTCHAR, and exits with
; mini-kvm's EXIT.

bits 16
org 0x7c00

%include "guests/lib/real16_start.inc"

start:
	enter_flat_real_mode

	mov cl, 2                       ; CL x CH = CL * CH
.row:
	mov ch, 1
.column:
	movzx ax, cl
	call minikvm_print_number
	mov si, by
	call minikvm_print
	movzx ax, ch
	call minikvm_print_number
	mov si, equals
	call minikvm_print
	mov al, cl
	mul ch                          ; AX = AL * CH
	call minikvm_print_number
	mov si, newline
	call minikvm_print
	inc ch
	cmp ch, 9
	jbe .column
	inc cl
	cmp cl, 9
	jbe .row

	xor bl, bl                      ; exit code 0
	call minikvm_exit

%include "guests/lib/real16.inc"

by:             db " x ", 0
equals:         db " = ", 0
newline:        db 10, 0
