/* svm_asm: L2's code, VMRUN with its fault recorded, and VMRUN tried at CPL 3. */
#include "layout.h"
#include "svm_layout.h"

	.text
	.code64

/*
 * L2: a few instructions, then VMMCALL (intercepted: the valid case's exit). Events
 * injected into L2 that a CPU accepts arrive at l2_event through L2's own IDT and end
 * in an intercepted HLT, so every VMRUN comes back to L1.
 */
	.globl l2_entry, l2_vmmcall, l2_event
l2_entry:
	inc %rax
	inc %rax
l2_vmmcall:
	vmmcall
	ud2
	.balign 16
l2_event:
	hlt
	jmp l2_event

/*
 * void svm_vmrun_gif(uint64_t vmcb_pa): CLGI; VMRUN; STGI as a hypervisor runs a guest.
 * A fault of VMRUN resumes at the STGI (exception table); the caller reads the vector.
 * L2 touches only RAX, which #VMEXIT restores with RSP and RIP from the host save area.
 */
	.globl svm_vmrun_gif
svm_vmrun_gif:
	mov %rdi, %rax
	clgi
1:	vmrun
2:	stgi
	ret
	.pushsection .ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.popsection

/* void svm_vmrun_plain(uint64_t vmcb_pa): VMRUN alone (CLGI/STGI #UD when EFER.SVME = 0). */
	.globl svm_vmrun_plain
svm_vmrun_plain:
	mov %rdi, %rax
3:	vmrun
4:	ret
	.pushsection .ex_table, "a"
	.balign 8
	.quad 3b, 4b
	.popsection

/*
 * void svm_vmrun_ring3(uint64_t vmcb_pa, uint64_t user_rsp): IRETQ to CPL 3, VMRUN there
 * (its fault resumes at the INT), INT SVM_RING0_VECTOR back to CPL 0, whose handler
 * returns to svm_ring0_resume on the saved kernel stack.
 */
	.globl svm_vmrun_ring3, svm_ring0_resume
svm_vmrun_ring3:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, svm_ring0_rsp(%rip)
	mov %rdi, %rax
	pushq $SVM_USER_DS
	pushq %rsi
	pushq $0x2
	pushq $SVM_USER_CS
	lea ring3_code(%rip), %rcx
	push %rcx
	iretq
ring3_code:
5:	vmrun
6:	int $SVM_RING0_VECTOR
	ud2
	.pushsection .ex_table, "a"
	.balign 8
	.quad 5b, 6b
	.popsection
svm_ring0_resume:
	mov svm_ring0_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

	.section .bss
	.balign 8
	.globl svm_ring0_rsp
svm_ring0_rsp:	.skip 8
