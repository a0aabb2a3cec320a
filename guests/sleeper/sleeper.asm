; SPDX-License-Identifier: MIT
; sleeper: a real-mode guest that sleeps in HLT, interrupts enabled, until interrupt 0x40
; arrives (raise it with the console: "irq NAME 0x40"). While it sleeps it costs no CPU: its
; vCPU is blocked, not spinning. It then prints how many times HLT returned and exits.

bits 16
org 0x7c00

%include "guests/lib/real16_start.inc"

%define HC_EXIT         2
%define WAKE_VECTOR     0x40

start:
	enter_flat_real_mode
	mov word [WAKE_VECTOR * 4], on_interrupt    ; the real-mode IVT: offset, then segment
	mov word [WAKE_VECTOR * 4 + 2], 0

	mov si, sleeping
	call print
.sleep:
	sti                             ; STI's shadow covers HLT: no wake-up is missed in between
	hlt
	cli
	inc byte [hlt_returns]
	cmp byte [woken], 0
	je .sleep

	mov al, [hlt_returns]
	add al, '0'
	mov [count], al
	mov si, awake
	call print
	mov eax, HC_EXIT
	xor ebx, ebx
	call hypercall

on_interrupt:
	mov byte [woken], 1
	iret

%include "guests/lib/real16.inc"

woken:          db 0
hlt_returns:    db 0
sleeping:       db "sleeping in HLT until interrupt 0x40", 10, 0
awake:          db "woken by interrupt 0x40; HLT returned "
count:          db "?"
                db " time(s)", 10, 0
