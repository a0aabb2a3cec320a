; SPDX-License-Identifier: MIT
; The Multiboot2 header and the 32-bit entry: check that the CPU can run Vireo, build the early
; page tables, switch to long mode and jump to the kernel in the higher half.
;
; GRUB enters here in 32-bit protected mode, paging off, EAX = Multiboot2 magic,
; EBX = physical address of the boot information (Multiboot2 spec 3.3).

%include "boot/x86_bits.inc"

%define KERNEL_VMA          0xffffffff80000000
%define MB2_HEADER_MAGIC    0xe85250d6
%define MB2_ARCH_I386       0
%define MB2_BOOT_MAGIC      0x36d76289
%define COM1                0x3f8
%define VGA_TEXT            0xb8000

%define PTE_PRESENT         (1 << 0)
%define PTE_WRITE           (1 << 1)
%define PTE_LARGE           (1 << 7)

section .multiboot2 progbits alloc noexec nowrite align=8
mb2_header:
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; Module alignment tag: modules start on page boundaries, so guests can be mapped in place.
	align 8
	dw 6, 0
	dd 8
	; End tag.
	align 8
	dw 0, 0
	dd 8
mb2_header_end:

section .boot.text progbits alloc exec nowrite align=16
bits 32
global _start
_start:
	cli
	cld
	mov esp, boot_stack_top
	mov [boot_magic], eax
	mov [boot_info_phys], ebx
	call serial_init

	cmp dword [boot_magic], MB2_BOOT_MAGIC
	jne .not_multiboot2
	call has_long_mode
	test eax, eax
	jz .no_long_mode

	call build_early_page_tables
	call enter_long_mode
	lgdt [boot_gdt_pointer]
	jmp 0x08:long_mode_low

.not_multiboot2:
	mov esi, msg_not_multiboot2
	jmp fatal
.no_long_mode:
	mov esi, msg_no_long_mode
	jmp fatal

; Returns EAX != 0 when CPUID exists and reports long mode (CPUID 0x80000001 EDX bit 29).
; Also records NX support (EDX bit 20) for enter_long_mode.
has_long_mode:
	pushfd
	pop eax
	mov ecx, eax
	xor eax, 1 << 21                ; EFLAGS.ID can be toggled only when CPUID exists
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	xor eax, ecx
	jz .no
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no
	mov eax, 0x80000001
	cpuid
	mov eax, edx
	and edx, 1 << 20
	mov [cpu_has_nx], edx
	and eax, 1 << 29
	ret
.no:
	xor eax, eax
	ret

; Identity-map the first 4 GiB with 2 MiB pages, alias them at the direct map base
; (0xffff800000000000) and map the first GiB again at KERNEL_VMA, where the kernel is linked.
build_early_page_tables:
	mov edi, early_pd
	mov eax, PTE_PRESENT | PTE_WRITE | PTE_LARGE
	xor edx, edx                    ; high half of each entry
	mov ecx, 4 * 512
.fill_pd:
	mov [edi], eax
	mov [edi + 4], edx
	add eax, 0x200000
	adc edx, 0
	add edi, 8
	loop .fill_pd

	mov edi, early_pdpt_low
	mov eax, early_pd + (PTE_PRESENT | PTE_WRITE)
	mov ecx, 4
.fill_pdpt:
	mov [edi], eax
	add eax, 4096
	add edi, 8
	loop .fill_pdpt

	mov dword [early_pdpt_high + 510 * 8], early_pd + (PTE_PRESENT | PTE_WRITE)
	mov dword [early_pml4 + 0 * 8], early_pdpt_low + (PTE_PRESENT | PTE_WRITE)
	mov dword [early_pml4 + 256 * 8], early_pdpt_low + (PTE_PRESENT | PTE_WRITE)
	mov dword [early_pml4 + 511 * 8], early_pdpt_high + (PTE_PRESENT | PTE_WRITE)
	ret

; SDM Vol. 3A, "Initializing IA-32e Mode": PAE on, CR3, EFER.LME, then paging on activates it.
enter_long_mode:
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, early_pml4
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	cmp dword [cpu_has_nx], 0
	je .no_nx
	or eax, EFER_NXE
.no_nx:
	wrmsr
	mov eax, cr0
	and eax, ~(CR0_CD | CR0_NW)     ; caches on, whatever the firmware left (Bochs: off)
	or eax, CR0_PE | CR0_PG | CR0_WP
	mov cr0, eax
	ret

; Print "Vireo: <message at ESI>" on COM1 and on the VGA text screen, then stop.
fatal:
	push esi
	mov esi, msg_prefix
	call print
	pop esi
	call print
	mov esi, msg_halted
	call print
.halt:
	hlt
	jmp .halt

; Print the NUL-terminated string at ESI; VGA output goes on from vga_cursor.
print:
	mov edi, [vga_cursor]
.next:
	lodsb
	test al, al
	jz .done
	mov ah, al
	mov dx, COM1 + 5
.wait:
	in al, dx                       ; LSR bit 5: transmit holding register empty
	test al, 0x20
	jz .wait
	mov al, ah
	mov dx, COM1
	out dx, al
	cmp al, 10
	je .newline
	mov byte [edi], al
	mov byte [edi + 1], 0x4f        ; white on red
	add edi, 2
	jmp .next
.newline:
	sub edi, VGA_TEXT
	mov eax, edi
	xor edx, edx
	mov ecx, 160
	div ecx
	inc eax
	mul ecx
	lea edi, [eax + VGA_TEXT]
	jmp .next
.done:
	mov [vga_cursor], edi
	ret

; COM1: 115200 baud, 8N1, FIFOs on (the C driver programs it again later).
serial_init:
	mov dx, COM1 + 1
	xor al, al
	out dx, al                      ; IER: no interrupts
	mov dx, COM1 + 3
	mov al, 0x80
	out dx, al                      ; LCR: divisor latch
	mov dx, COM1
	mov al, 1
	out dx, al                      ; divisor 1 = 115200 baud
	mov dx, COM1 + 1
	xor al, al
	out dx, al
	mov dx, COM1 + 3
	mov al, 0x03
	out dx, al                      ; 8N1
	mov dx, COM1 + 2
	mov al, 0xc7
	out dx, al                      ; FIFO on, cleared
	ret

bits 64
long_mode_low:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, kernel_entry64
	jmp rax

section .boot.rodata progbits alloc noexec nowrite align=8
boot_gdt:
	dq 0
	dq 0x00209a0000000000           ; 0x08: 64-bit code, present, ring 0
	dq 0x0000920000000000           ; 0x10: data, present, writable
boot_gdt_end:
boot_gdt_pointer:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

msg_prefix:          db 10, "Vireo: ", 0
msg_not_multiboot2:  db "not started by a Multiboot2 boot loader (use GRUB's multiboot2 command).", 10, 0
msg_no_long_mode:    db "this CPU cannot run Vireo: it has no 64-bit long mode (x86-64 is required).", 10, 0
msg_halted:          db "Vireo: halted.", 10, 0

section .boot.data progbits alloc noexec write align=8
global boot_magic, boot_info_phys
boot_magic:      dd 0
boot_info_phys:  dd 0
cpu_has_nx:      dd 0
vga_cursor:      dd VGA_TEXT

section .boot.bss nobits alloc noexec write align=4096
global early_pml4
early_pml4:      resb 4096
early_pdpt_low:  resb 4096
early_pdpt_high: resb 4096
early_pd:        resb 4 * 4096
boot_stack:      resb 4096
boot_stack_top:

; The boot CPU's kernel stack (KERNEL_STACK_SIZE in kernel/percpu.h).
section .bss nobits alloc noexec write align=16
global bsp_stack, bsp_stack_top
bsp_stack:       resb 32768
bsp_stack_top:

; The higher-half kernel entry: a real stack, a clean .bss, then C.
section .text
bits 64
extern kmain
extern __bss_start, __bss_end
kernel_entry64:
	mov rsp, bsp_stack_top
	xor ebp, ebp
	mov rdi, __bss_start
	mov rcx, __bss_end
	sub rcx, rdi
	xor eax, eax
	rep stosb
	mov edi, [boot_magic]
	mov esi, [boot_info_phys]
	call kmain
.hang:
	cli
	hlt
	jmp .hang
