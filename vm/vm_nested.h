/* vm_nested: what a VM's L1 is offered of nested virtualization, as vm/ and the backends see it. */
#ifndef NESTOR_VM_VM_NESTED_H
#define NESTOR_VM_VM_NESTED_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Set by vm_create from the options (wanted, paging) and by the backend's vm_init (what it
 * implements); the CPUID and MSR model (vm/vcpu_cpuid.c, vm/vcpu_msr.c, vm/exit_msr.c)
 * shows L1 exactly this. All zero: nothing nested is offered, as before.
 */
struct vm_nested_offer {
	bool wanted;			/* the personality offers virtualization to L1 */
	bool paging;			/* nested paging for L1's guests (option nested-paging) */
	/* SVM (APM Vol. 2, 15.4): CPUID 8000_0001h.ECX[2], leaf 8000_000Ah below, VM_CR with
	 * SVMDIS clear, VM_HSAVE_PA, EFER.SVME. */
	bool svm;
	uint32_t svm_leaf[4];		/* CPUID 8000_000Ah EAX..EDX: revision, ASIDs, features */
};

#endif
