; SPDX-License-Identifier: MIT
; The VT-x world switch: load the guest's registers and VMLAUNCH or VMRESUME; a VM exit lands
; at vmx_exit (the VMCS host RIP) on the stack recorded in the host RSP field, where the
; guest's registers are saved and vmx_enter returns as if from a call.

bits 64
section .text

%include "vmm/vcpu_regs.inc"		; RSP, RIP and RFLAGS travel in the VMCS

%define VMCS_HOST_RSP 0x6c14

; int vmx_enter(struct vcpu_regs *regs, int launched)
; Returns 0 after a VM exit, 1 when VMLAUNCH/VMRESUME itself failed (the VMCS says why).
global vmx_enter, vmx_exit
vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi                        ; [rsp + 8]: regs, found again at the exit
	push rsi                        ; [rsp]: launched

	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp                ; the exit comes back to this very stack

	mov rax, rdi
	LOAD_GUEST_GPRS rax
	mov rsi, [rax + REG_RSI]
	mov rax, [rax + REG_RAX]

	cmp qword [rsp], 0
	jne .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
.failed:                                ; VMfailInvalid (CF) or VMfailValid (ZF): still the host
	add rsp, 16
	mov eax, 1
	jmp restore_host

; VM exit: RSP is the host RSP written above; every other register is the guest's.
vmx_exit:
	push rax                        ; the guest's RAX, while RAX finds regs
	mov rax, [rsp + 16]
	pop qword [rax + REG_RAX]
	mov [rax + REG_RSI], rsi
	SAVE_GUEST_GPRS rax
	add rsp, 16
	xor eax, eax

restore_host:
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
