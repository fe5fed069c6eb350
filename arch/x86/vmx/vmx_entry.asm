; vmx_entry: VMLAUNCH/VMRESUME and the VM-exit landing point, with the guest's GPRs.
bits 64
default rel
section .text

%include "arch/x86/regs.inc"

%define VMCS_HOST_RSP 0x6c14

; enum vmx_status vmx_enter(struct x86_gprs *gprs, uint64_t launched)
;
; SDM Vol. 3C 26.3.2 / 27.5: VM entry loads the guest's RSP, RIP and RFLAGS from the VMCS
; and VM exit loads the host's from HOST_RSP and HOST_RIP (= vmx_exit_stub) with
; RFLAGS = 2, so interrupts are off on return, exactly as the C caller left them. The
; other GPRs are not in the VMCS: they are loaded here and saved in vmx_exit_stub.
; HOST_RSP points at the saved `gprs` argument, which is how the exit path finds it.
; Returns VMX_OK (0) after a VM exit, or VMX_FAIL_INVALID (1) / VMX_FAIL_VALID (2)
; when the instruction itself failed (SDM 30.2) and the guest never ran.
global vmx_enter
vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdi			; [rsp] guest GPRs

	mov rax, VMCS_HOST_RSP
	vmwrite rax, rsp
	jbe .failed			; CF or ZF: no current VMCS or a bad field

	test rsi, rsi			; MOVs below keep these flags for the jump
	mov rax, rdi
	LOAD_GUEST_GPRS_BUT_RAX_RSP
	mov rax, [rax + G_RAX]
	jnz .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
	; Falling through means VMfailInvalid (CF) or VMfailValid (ZF); MOV keeps the flags.
.failed:
	mov eax, 1
	jc vmx_return
	mov eax, 2
vmx_return:				; also the exit path's
	add rsp, 8
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; VM exit: RSP = HOST_RSP, every GPR but RSP still the guest's.
global vmx_exit_stub
vmx_exit_stub:
	push rdi			; guest RDI; [rsp + 8] is now the gprs pointer
	mov rdi, [rsp + 8]
	mov [rdi + G_RAX], rax
	mov [rdi + G_RCX], rcx
	mov [rdi + G_RDX], rdx
	mov [rdi + G_RBX], rbx
	mov [rdi + G_RBP], rbp
	mov [rdi + G_RSI], rsi
	mov [rdi + G_R8],  r8
	mov [rdi + G_R9],  r9
	mov [rdi + G_R10], r10
	mov [rdi + G_R11], r11
	mov [rdi + G_R12], r12
	mov [rdi + G_R13], r13
	mov [rdi + G_R14], r14
	mov [rdi + G_R15], r15
	pop rax
	mov [rdi + G_RDI], rax
	xor eax, eax			; VMX_OK
	jmp vmx_return
