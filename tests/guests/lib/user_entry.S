/* user_entry: IRETQ to CPL 3, and the landing place of the return gate. */
#include "layout.h"
#include "user.h"

	.text
	.code64
/* user_enter(fn = %rdi, rflags = %rsi, user_rsp = %rdx) */
	.globl user_enter
user_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, user_kernel_rsp(%rip)
	pushq $GDT_UDATA		/* SS */
	push %rdx			/* RSP */
	push %rsi			/* RFLAGS */
	pushq $GDT_UCODE64		/* CS */
	lea user_trampoline(%rip), %rax
	push %rax			/* RIP */
	iretq

/* At CPL 3: call fn, then back through the DPL-3 gate. */
user_trampoline:
	call *%rdi
	int $USER_RETURN_VECTOR
	ud2

	.globl user_exit
user_exit:
	mov user_kernel_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.data
	.balign 8
	.globl user_kernel_rsp
user_kernel_rsp:
	.quad 0
