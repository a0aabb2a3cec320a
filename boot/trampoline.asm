; SPDX-License-Identifier: MIT
; The application-processor trampoline. The boot CPU copies it to TRAMPOLINE_BASE (below 1 MiB,
; page aligned: a Start-up IPI names a page) and fills in its parameters; an AP woken by
; INIT-SIPI-SIPI starts at its first byte in real mode, CS:IP = 0800:0000 (SDM Vol. 3A 9.4.4).
; It goes real -> protected -> long mode on the boot page tables, jumps to the higher half,
; switches to the kernel's page tables and its own stack, and calls ap_main(percpu).

%include "boot/x86_bits.inc"

%define TRAMPOLINE_BASE     0x8000
%define T(x)                (TRAMPOLINE_BASE + (x) - trampoline_start)

; Offsets of struct trampoline_params (arch/x86/smp.c), which follows the first jump.
%define P_BOOT_CR3          8
%define P_KERNEL_CR3        16
%define P_STACK_TOP         24
%define P_PERCPU            32
%define P_APIC_ID           40
%define P_EFER_NXE          44

section .rodata
align 16
global trampoline_start, trampoline_end
trampoline_start:
bits 16
	jmp short ap_real_mode
	align 8
	times 40 db 0                   ; struct trampoline_params, filled in per AP

ap_real_mode:
	cli
	cld
	xor ax, ax
	mov ds, ax
	lgdt [T(trampoline_gdt_pointer)]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp dword 0x08:T(ap_protected_mode)

bits 32
ap_protected_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax

	; Only the CPU these parameters are meant for may go on: a CPU that answers late, after
	; the boot CPU gave up on it, must not take the stack of the next one.
	xor eax, eax
	cpuid
	cmp eax, 0xb
	jb .legacy_apic_id
	mov eax, 0xb
	xor ecx, ecx
	cpuid
	test bx, bx                     ; no processors at level 0: leaf 0xB is empty (SDM CPUID)
	jz .legacy_apic_id
	mov ebx, edx                    ; leaf 0xB: the full x2APIC ID
	jmp .check_apic_id
.legacy_apic_id:
	mov eax, 1
	cpuid
	shr ebx, 24                     ; leaf 1: the initial 8-bit APIC ID
.check_apic_id:
	cmp ebx, [T(trampoline_start) + P_APIC_ID]
	jne .not_for_me

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, [T(trampoline_start) + P_BOOT_CR3]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	cmp dword [T(trampoline_start) + P_EFER_NXE], 0
	je .no_nx
	or eax, EFER_NXE                ; the kernel's tables use NX: set before loading them
.no_nx:
	wrmsr
	mov eax, cr0
	and eax, ~(CR0_CD | CR0_NW)     ; an AP starts with caches off (CR0 reset value)
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	jmp 0x18:T(ap_long_mode)
.not_for_me:
	cli
	hlt
	jmp .not_for_me

bits 64
ap_long_mode:
	mov rax, ap_higher_half
	jmp rax

align 8
trampoline_gdt:
	dq 0
	dq 0x00cf9a000000ffff           ; 0x08: 32-bit code, 4 GiB flat
	dq 0x00cf92000000ffff           ; 0x10: 32-bit data, 4 GiB flat
	dq 0x00209a0000000000           ; 0x18: 64-bit code
trampoline_gdt_pointer:
	dw trampoline_gdt_pointer - trampoline_gdt - 1
	dd T(trampoline_gdt)
trampoline_end:

; In the kernel image, mapped by the boot tables and the kernel's alike: the switch to the
; kernel's tables (which do not map the trampoline) happens here.
section .text
bits 64
extern ap_main
ap_higher_half:
	mov rsi, TRAMPOLINE_BASE
	mov rsp, [rsi + P_STACK_TOP]
	mov rdi, [rsi + P_PERCPU]
	mov rax, [rsi + P_KERNEL_CR3]
	mov cr3, rax
	xor ebp, ebp
	push 0                          ; a null return address ends backtraces here
	jmp ap_main
