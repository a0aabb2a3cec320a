; SPDX-License-Identifier: MIT
; The AMD-V world switch: load the guest's registers, VMLOAD + VMRUN, and on #VMEXIT save them
; and VMLOAD the host's FS, GS, TR, LDTR and syscall MSRs back (VMRUN itself switches only
; part of the state: APM Vol. 2 15.5). Runs with GIF clear (the caller did CLGI).

bits 64
section .text

%include "vmm/vcpu_regs.inc"

; void svm_enter(u64 guest_vmcb_pa, struct vcpu_regs *regs, u64 host_vmcb_pa)
; RAX, RSP, RIP and RFLAGS travel in the VMCB; the other guest registers in *regs.
global svm_enter
svm_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdx                        ; [rsp + 8]: host VMCB
	push rsi                        ; [rsp]: regs

	mov rax, rdi                    ; VMLOAD, VMRUN and VMSAVE take the VMCB in RAX
	LOAD_GUEST_GPRS rsi
	mov rsi, [rsi + REG_RSI]

	vmload
	vmrun
	vmsave

	push rsi                        ; the guest's RSI, while RSI finds regs again
	mov rsi, [rsp + 8]
	pop qword [rsi + REG_RSI]
	SAVE_GUEST_GPRS rsi

	mov rax, [rsp + 8]
	vmload                          ; the host's GS base (per-CPU data) and TR are back
	add rsp, 16
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
