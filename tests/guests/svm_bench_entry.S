/* svm_bench_entry: the SVM benchmark's L2, a CPUID loop whose counter lives in L1's memory. */
	.text
	.code64

/*
 * L2 executes CPUID until svm_bench_left reaches 0, then VMMCALL. L1 intercepts CPUID
 * (APM Vol. 2, 15.9), so each one is a #VMEXIT to L1, which only moves RIP past it. The
 * counter is in memory (L2 shares L1's page tables and, through the identity NPT, its
 * RAM) so that L2 changes no register but RAX: VMRUN and #VMEXIT carry RAX in the VMCB
 * (15.5.1, 15.6), the other GPRs would be L1's to save and restore around every VMRUN.
 */
	.globl svm_bench_l2
svm_bench_l2:
1:	xor %eax, %eax
	cpuid
	decq svm_bench_left(%rip)
	jnz 1b
	vmmcall
	ud2
