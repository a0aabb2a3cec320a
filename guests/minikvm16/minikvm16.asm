; SPDX-License-Identifier: MIT
; minikvm16: a real-mode guest written for mini-kvm's port-0x500 hypercalls, which Vireo also
; speaks: OUT 0x500 with AL = 1 prints the character in BL, AL = 2 reads a console character
; into EAX (0xFFFFFFFF: none), AL = 0 exits with the code in BL.

bits 16
org 0x7c00

%define HC_PORT     0x500
%define HC_EXIT     0
%define HC_PUTCHAR  1
%define HC_GETCHAR  2

start:
	xor ax, ax
	mov ds, ax
	mov si, message
.next:
	mov bl, [si]
	test bl, bl
	jz .asked
	mov al, HC_PUTCHAR
	mov dx, HC_PORT
	out dx, al
	inc si
	jmp .next
.asked:
	mov al, HC_GETCHAR
	mov dx, HC_PORT
	out dx, al                      ; EAX now holds a character, or all ones
	cmp eax, 0xffffffff
	mov bl, 7                       ; exit code 7: the console had nothing for us
	je .exit
	mov bl, 0
.exit:
	mov al, HC_EXIT
	mov dx, HC_PORT
	out dx, al
	hlt

message: db "hello through port 0x500", 10, 0
