; SPDX-License-Identifier: MIT
; hello16: the smallest guest. Vireo loads this flat binary at 0000:7C00 and starts it in real
; mode, like a BIOS starts a boot sector. It prints through the debug console port (0xE9),
; names the hypervisor from CPUID, and exits with a hypercall.

bits 16
org 0x7c00

%include "guests/lib/real16_start.inc"

%define HC_WRITE        1
%define HC_EXIT         2
%define CPUID_HV_BASE   0x40000000

start:
	enter_flat_real_mode

	mov si, greeting
	call print

	; CPUID 0x40000000 names the hypervisor in EBX:ECX:EDX.
	mov eax, CPUID_HV_BASE
	cpuid
	mov [signature], ebx
	mov [signature + 4], ecx
	mov [signature + 8], edx
	mov si, running_on
	call print

	; The same text once more, through the write hypercall (RBX = address, RCX = length).
	mov eax, HC_WRITE
	mov ebx, via_hypercall
	mov ecx, via_hypercall_end - via_hypercall
	call hypercall

	mov eax, HC_EXIT
	xor ebx, ebx
	call hypercall
	hlt                             ; not reached

%include "guests/lib/real16.inc"

greeting:       db "Hello from real mode!", 10, 0
running_on:     db "CPUID says the hypervisor is "
signature:      times 12 db 0
                db 10, 0
via_hypercall:  db "and this line came through the write hypercall.", 10
via_hypercall_end:
