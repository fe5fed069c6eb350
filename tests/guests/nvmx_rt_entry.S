/* nvmx_rt_entry: enter L2 with its GPRs from nvmx_rt_gpr[], store them back at the exit. */
	.text
	.code64
/*
 * int nvmx_rt_run(int resume): 0 after a VM exit, 1 VMfailInvalid, 2 VMfailValid. L2's
 * GPRs (RSP excluded: the VMCS has it) come from and go back to nvmx_rt_gpr[16], in the
 * usual order (rax rcx rdx rbx rsp rbp rsi rdi r8-r15): a VM exit does not switch them.
 */
	.globl nvmx_rt_run
nvmx_rt_run:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov $0x6c14, %rax		/* HOST_RSP */
	vmwrite %rsp, %rax
	mov %edi, %eax
	lea nvmx_rt_gpr(%rip), %rdi
	push %rax
	mov 8*1(%rdi), %rcx
	mov 8*2(%rdi), %rdx
	mov 8*3(%rdi), %rbx
	mov 8*5(%rdi), %rbp
	mov 8*6(%rdi), %rsi
	mov 8*8(%rdi), %r8
	mov 8*9(%rdi), %r9
	mov 8*10(%rdi), %r10
	mov 8*11(%rdi), %r11
	mov 8*12(%rdi), %r12
	mov 8*13(%rdi), %r13
	mov 8*14(%rdi), %r14
	mov 8*15(%rdi), %r15
	pop %rax
	test %eax, %eax
	mov nvmx_rt_gpr(%rip), %rax
	mov nvmx_rt_gpr+8*7(%rip), %rdi
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

/* The host RIP: the host RSP points at the pushed callee-saved registers again. */
	.globl nvmx_rt_exit
nvmx_rt_exit:
	mov %rax, nvmx_rt_gpr(%rip)
	lea nvmx_rt_gpr(%rip), %rax
	mov %rcx, 8*1(%rax)
	mov %rdx, 8*2(%rax)
	mov %rbx, 8*3(%rax)
	mov %rbp, 8*5(%rax)
	mov %rsi, 8*6(%rax)
	mov %rdi, 8*7(%rax)
	mov %r8, 8*8(%rax)
	mov %r9, 8*9(%rax)
	mov %r10, 8*10(%rax)
	mov %r11, 8*11(%rax)
	mov %r12, 8*12(%rax)
	mov %r13, 8*13(%rax)
	mov %r14, 8*14(%rax)
	mov %r15, 8*15(%rax)
	xor %eax, %eax
	jmp 3b

/* L2 programs, each in the R/X EPT mapping; they end in VMCALL. */
	.section .data.l2, "aw"
	.balign 4096
	.globl rt_l2_cpuid, rt_l2_io, rt_l2_rdmsr, rt_l2_hlt, rt_l2_ud, rt_l2_store
	.globl rt_l2_spin, rt_l2_cr8, rt_l2_cr0, rt_l2_vmcall, rt_l2_db, rt_l2_db_handler
rt_l2_cpuid:
	mov $0x1234, %r8
	xor %eax, %eax
	cpuid
	vmcall
rt_l2_io:
	mov $0x5a, %al
	out %al, $0x80
	vmcall
rt_l2_rdmsr:
	mov $0x277, %ecx
	rdmsr
	vmcall
rt_l2_hlt:
	hlt
	vmcall
rt_l2_ud:
	ud2
	vmcall
rt_l2_store:			/* write to [rdi]: the L2 EPT maps it read/execute only */
	movq $7, (%rdi)
	vmcall
rt_l2_spin:			/* runs until an interrupt for L1 makes it exit; IF=1: Bochs
				 * 2.7 does not exit on one when IF was already 0 at VM entry */
	sti
1:	jmp 1b
rt_l2_cr8:			/* TPR shadow: CR8 to 1, below a threshold of 2 */
	mov $1, %eax
	mov %rax, %cr8
	vmcall
rt_l2_cr0:			/* MOV to CR0 changing an owned bit (TS) */
	mov %cr0, %rax
	xor $8, %rax
	mov %rax, %cr0
	vmcall
rt_l2_db:			/* a single step of L2's own: POPF sets TF, the trap follows
				 * the NOP (SDM 18.3.1.4); L2's handler below takes it */
	pushfq
	orq $0x100, (%rsp)
	popfq
	nop
	vmcall
rt_l2_db_handler:		/* R9 = DR6, R10 counts, TF cleared in the frame */
	mov %dr6, %r9
	inc %r10
	andq $~0x100, 16(%rsp)
	iretq
rt_l2_vmcall:
	vmcall
	.balign 4096
