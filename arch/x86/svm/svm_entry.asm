; svm_entry: the VMRUN round trip, with the state VMRUN itself does not switch.
bits 64
default rel
section .text

%include "arch/x86/regs.inc"

; void svm_vmrun(uint64_t vmcb_pa, struct x86_gprs *gprs, uint64_t host_vmcb_pa)
;
; APM Vol. 2 15.5.1: VMRUN saves and restores only part of the host state (segments
; CS/SS/DS/ES, GDTR/IDTR, CR0/3/4, EFER, RFLAGS, RIP, RSP, RAX); FS, GS, TR, LDTR,
; KernelGSBase and the SYSCALL/SYSENTER MSRs are switched with VMSAVE/VMLOAD, and the
; guest's RAX and RSP live in the VMCB. Other GPRs are loaded and saved here.
; GIF is cleared around the switch (15.17) and host IF is set, so that a physical
; interrupt arriving while the guest runs causes an INTR #VMEXIT (V_INTR_MASKING makes
; host IF the physical mask); on return IF is cleared again before GIF is set, so the
; pending interrupt is taken only where C code chooses to.
global svm_vmrun
svm_vmrun:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rdx			; [rsp+16] host save VMCB
	push rsi			; [rsp+8]  guest GPRs
	push rdi			; [rsp]    guest VMCB

	clgi
	mov rax, rdx
	vmsave				; host FS/GS/TR/LDTR/... -> host save VMCB

	mov rax, rsi
	LOAD_GUEST_GPRS_BUT_RAX_RSP

	mov rax, [rsp]
	vmload				; guest FS/GS/TR/LDTR/... from its VMCB
	sti				; no effect while GIF = 0 (see above)
	; The STI's own one-instruction shadow must end before VMRUN: QEMU 7.2's TCG carries
	; a shadow the host is in into the guest's first instruction (it neither loads the
	; guest's int_state nor clears the host's), so a guest that resumes at its own STI
	; loses the shadow that STI starts (SDM/APM: STI inside a shadow starts none) and an
	; interrupt lands between its STI and HLT (docs/reliability.md, "Open, in the SVM
	; backend"). With GIF = 0 the NOP lets no interrupt in either.
	nop
	vmrun
	; #VMEXIT: RAX, RSP and RIP are the host's again; the other GPRs are the guest's.
global svm_vmexit_rip
svm_vmexit_rip:				; arch/x86/trap.c: a stray #DB here is the guest's
	vmsave				; guest FS/GS/... -> guest VMCB (RAX = its address)

	mov rax, [rsp + 8]
	mov [rax + G_RCX], rcx
	mov [rax + G_RDX], rdx
	mov [rax + G_RBX], rbx
	mov [rax + G_RBP], rbp
	mov [rax + G_RSI], rsi
	mov [rax + G_RDI], rdi
	mov [rax + G_R8],  r8
	mov [rax + G_R9],  r9
	mov [rax + G_R10], r10
	mov [rax + G_R11], r11
	mov [rax + G_R12], r12
	mov [rax + G_R13], r13
	mov [rax + G_R14], r14
	mov [rax + G_R15], r15

	mov rax, [rsp + 16]
	vmload				; host FS/GS/TR/... back
	cli
	stgi

	add rsp, 24
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
