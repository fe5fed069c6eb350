/* nvmx_bench_entry: VMLAUNCH/VMRESUME of the benchmark's L2, which keeps its counter in R15. */
	.text
	.code64
/*
 * int nvmx_bench_run(int resume): 0 after a VM exit, 1 VMfailInvalid, 2 VMfailValid.
 * L2's R15 lives in nvmx_bench_l2_r15 between exits (R15 is callee-saved here).
 */
	.globl nvmx_bench_run
nvmx_bench_run:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov $0x6c14, %rax		/* HOST_RSP */
	vmwrite %rsp, %rax
	mov nvmx_bench_l2_r15(%rip), %r15
	test %edi, %edi
	jnz 1f
	vmlaunch
	jmp 2f
1:	vmresume
2:	mov $1, %eax
	jc 3f
	mov $2, %eax
3:	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

	.globl nvmx_bench_exit
nvmx_bench_exit:
	mov %r15, nvmx_bench_l2_r15(%rip)
	xor %eax, %eax
	jmp 3b

/* L2: CPUID R15 times (each one exits to L1, 25.1.2), then VMCALL. */
	.section .data.l2, "aw"
	.balign 4096
	.globl nvmx_bench_l2
nvmx_bench_l2:
1:	xor %eax, %eax
	cpuid
	dec %r15
	jnz 1b
	vmcall
2:	hlt
	jmp 2b
	.balign 4096
