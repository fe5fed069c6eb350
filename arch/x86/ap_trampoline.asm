; ap_trampoline: where an application processor starts (real mode) on its way to nestor.
;
; arch/x86/smp.c copies [ap_trampoline_start, ap_trampoline_end) to a page below 1 MiB,
; fills the data fields at the end, and sends STARTUP with vector = page >> 12; the AP
; begins at page:0 in real mode (SDM Vol. 3A 9.4.4). Everything here is addressed
; relative to the copy: EBX holds the page's linear address from 16-bit code onwards.
bits 16
section .text

global ap_trampoline_start
global ap_trampoline_end
global ap_trampoline_cr3
global ap_trampoline_stack
global ap_trampoline_arg
global ap_trampoline_entry

%define OFF(label) ((label) - ap_trampoline_start)

ap_trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	movzx ebx, ax
	shl ebx, 4			; linear address of this page
	; The GDT pointer and the far-jump targets hold linear addresses: patch them here,
	; since only now is the page known to this code.
	lea eax, [ebx + OFF(tramp_gdt)]
	mov [OFF(tramp_gdtr) + 2], eax
	lea eax, [ebx + OFF(tramp_protected)]
	mov [OFF(tramp_far32)], eax
	lea eax, [ebx + OFF(tramp_long)]
	mov [OFF(tramp_far64)], eax
	lgdt [OFF(tramp_gdtr)]
	mov eax, cr0
	or eax, 1			; PE
	mov cr0, eax
	jmp dword far [OFF(tramp_far32)]

bits 32
tramp_protected:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, cr4
	or eax, 1 << 5			; PAE, required for long mode
	mov cr4, eax
	mov eax, [ebx + OFF(ap_trampoline_cr3)]
	mov cr3, eax			; nestor's PML4 lies below 4 GiB
	mov ecx, 0xc0000080		; EFER
	rdmsr
	or eax, 1 << 8			; LME
	wrmsr
	mov eax, cr0
	or eax, 1 << 31			; PG: with LME this activates long mode (LMA)
	mov cr0, eax
	jmp far [ebx + OFF(tramp_far64)]

bits 64
tramp_long:
	mov rsp, [rbx + OFF(ap_trampoline_stack)]
	mov rdi, [rbx + OFF(ap_trampoline_arg)]
	mov rax, [rbx + OFF(ap_trampoline_entry)]
	xor ebp, ebp
	call rax
	ud2

align 8
tramp_gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08: 32-bit flat code
	dq 0x00cf92000000ffff		; 0x10: flat data
	dq 0x00209a0000000000		; 0x18: 64-bit code
tramp_gdtr:
	dw 31
	dd 0
tramp_far32:
	dd 0
	dw 0x08
tramp_far64:
	dd 0
	dw 0x18
align 8
ap_trampoline_cr3:	dq 0
ap_trampoline_stack:	dq 0
ap_trampoline_arg:	dq 0
ap_trampoline_entry:	dq 0
ap_trampoline_end:
