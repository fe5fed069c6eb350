/* nvmx_diff_entry: VMLAUNCH with the host RSP it returns on, and the host RIP of every exit. */
	.text
	.code64
/*
 * int nvmx_diff_launch(void): 0 after a VM exit (or VM-entry failure exit), 1 VMfailInvalid,
 * 2 VMfailValid. HOST_RSP is the stack pointer at VMLAUNCH, so the exit stub finds the
 * callee-saved registers right there.
 */
	.globl nvmx_diff_launch
nvmx_diff_launch:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov $0x6c14, %rax		/* HOST_RSP */
	vmwrite %rsp, %rax
	vmlaunch
	mov $1, %eax
	jc 1f
	mov $2, %eax
1:	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

	.globl nvmx_diff_exit
nvmx_diff_exit:
	xor %eax, %eax
	jmp 1b

/* L2: VMCALL exits to L1 at once (SDM 25.1.3); the rest is never reached. */
	.section .data.l2, "aw"
	.balign 4096
	.globl nvmx_diff_l2
nvmx_diff_l2:
	vmcall
2:	hlt
	jmp 2b
	.balign 4096
