; entry: assembly stubs for traps, descriptor reloads and the stack switch.
bits 64
default rel
section .text

extern trap_dispatch

; Vectors for which the CPU pushes an error code (SDM Vol. 3A 7.3, Table 7-1).
%define HAS_ERROR_CODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

; 256 stubs of 16 bytes each: arch/x86/idt.c computes gate addresses from the size,
; which keeps the table free of relocations. Each stub makes the frame uniform by
; pushing a zero error code where the CPU did not, then the vector number.
global trap_stubs
align 16
trap_stubs:
%assign v 0
%rep 256
align 16
%if !HAS_ERROR_CODE(v)
	push qword 0
%endif
	push qword v
	jmp trap_common
%assign v v+1
%endrep

; Saves the GPRs in struct trap_frame order (r15 lowest), calls trap_dispatch(frame).
; The CPU aligned RSP to 16 before pushing its 5-word frame; with the 2 stub words and
; 15 GPRs the total is 22 words, so RSP is 16-aligned at the call as the ABI requires.
trap_common:
	push rax
	push rcx
	push rdx
	push rbx
	push rbp
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	cld
	call trap_dispatch
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rbp
	pop rbx
	pop rdx
	pop rcx
	pop rax
	add rsp, 16		; vector and error code
	iretq

; void gdt_load_and_reload(const void *gdtr, uint16_t code_sel, uint16_t data_sel)
; CS can only be reloaded by a far transfer: push the selector and target, then RETFQ.
global gdt_load_and_reload
gdt_load_and_reload:
	lgdt [rdi]
	mov ds, dx
	mov es, dx
	mov ss, dx
	xor eax, eax
	mov fs, ax
	mov gs, ax
	movzx rsi, si
	push rsi
	lea rax, [.reloaded]
	push rax
	retfq
.reloaded:
	ret

; void arch_switch_stack(uintptr_t top, void (*fn)(void *), void *arg) - never returns.
; RBP is cleared so a backtrace ends here instead of wandering into the firmware's stack.
global arch_switch_stack
arch_switch_stack:
	mov rsp, rdi
	xor ebp, ebp
	mov rdi, rdx
	call rsi		; top is page-aligned: RSP = top - 8 at fn's entry, as the ABI wants
	ud2
