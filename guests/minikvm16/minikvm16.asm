; SPDX-License-Identifier: MIT
; minikvm16: a real-mode guest written for mini-kvm's port-0x500 hypercalls, which Vireo also
; speaks: it prints a line, asks for a key, and exits with code 7 when none was waiting, else 0
; (guests/lib/real16.inc has the calls).

bits 16
org 0x7c00

start:
	xor ax, ax
	mov ds, ax
	mov si, message
	call minikvm_print
	call minikvm_getchar            ; EAX now holds a character, or all ones
	cmp eax, 0xffffffff
	mov bl, 7                       ; exit code 7: the console had nothing for us
	je .exit
	mov bl, 0
.exit:
	call minikvm_exit

%include "guests/lib/real16.inc"

message: db "hello through port 0x500", 10, 0
