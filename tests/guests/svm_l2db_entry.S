/* svm_l2db_entry: the svm_l2db kernel's L2, which takes two #DB of its own, and its #DB handler. */
#include "layout.h"

	.text
	.code64

/*
 * L2 touches no register but RAX outside its handler (VMRUN and #VMEXIT carry RAX in the
 * VMCB, the other GPRs are L1's). Two debug traps (SDM Vol. 3A 18.3.1.4, 18.3.1.2):
 * - a single step: POPF sets TF, the trap comes after the instruction that follows
 *   (DR6.BS);
 * - a data breakpoint: DR0 on svm_l2db_target, DR7 L0 with R/W0 = 01 (write), LEN0 = 11
 *   (4 bytes); the write traps (DR6.B0). DR7 goes back to 400h before VMMCALL.
 */
	.globl svm_l2db_l2
svm_l2db_l2:
	pushfq
	orq $0x100, (%rsp)
	popfq
	nop
	nop
	lea svm_l2db_target(%rip), %rax
	mov %rax, %dr0
	mov $0x000d0401, %eax
	mov %rax, %dr7
	movl $1, svm_l2db_target(%rip)
	nop
	mov $0x400, %eax
	mov %rax, %dr7
	vmmcall
	ud2

/*
 * L2's #DB handler: records DR6 (the first four), counts, clears DR6 as a handler does
 * (18.2.3: the processor never clears it) and TF in the frame, so one single step traps
 * once. Frame after the two pushes: RCX, RAX, RIP, CS, RFLAGS.
 */
	.balign 16
	.globl svm_l2db_handler
svm_l2db_handler:
	push %rax
	push %rcx
	mov svm_l2db_count(%rip), %rcx
	mov %dr6, %rax
	cmp $4, %rcx
	jae 1f
	push %rdx
	lea svm_l2db_dr6(%rip), %rdx
	mov %rax, (%rdx,%rcx,8)
	pop %rdx
1:	incq svm_l2db_count(%rip)
	mov $0xffff0ff0, %eax
	mov %rax, %dr6
	andq $~0x100, 32(%rsp)
	pop %rcx
	pop %rax
	iretq

/* Every other vector of L2's IDT: an intercepted HLT, which L1 reports as a failure. */
	.balign 16
	.globl svm_l2db_other
svm_l2db_other:
	hlt
	jmp svm_l2db_other
