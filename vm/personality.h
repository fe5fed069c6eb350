/* personality: what L1 is offered, one table per personality (design.md "Personalities"). */
#ifndef NESTOR_VM_PERSONALITY_H
#define NESTOR_VM_PERSONALITY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/options.h"
#include "vm/cpuid_model.h"

/* Which hypercall interface VMCALL and VMMCALL reach (anything else: #UD). */
enum hypercall_abi {
	HYPERCALL_NONE,		/* #UD, as on a CPU whose hypervisor offers none */
	HYPERCALL_KVM,		/* Documentation/virt/kvm/x86/hypercalls.rst (vm/hypercall.c) */
};

/*
 * The virtualization features L1 may see. With svm, the SVM backend offers nested SVM
 * (CPUID.80000001h:ECX[2], leaf 8000000Ah, VM_CR, VM_HSAVE_PA, EFER.SVME) as it implements
 * it; the CPUID rows stay the table's (vm/vcpu_cpuid.c adds the offer).
 */
struct personality_virt {
	uint64_t feature_control;	/* IA32_FEATURE_CONTROL as L1 reads it (Intel) */
	uint64_t vm_cr;			/* VM_CR as L1 reads it (AMD) */
	bool svm;			/* SVM for L1 on an SVM host: what the backend implements
					 * of it is offered (vm/vm_nested.h, docs/svm.md) */
	bool vmx;			/* VMX for L1 on a VMX host, in this personality's flavour
					 * (nested/vmx/nvmx_offer.c computes the capability MSRs) */
};

struct personality {
	enum personality_id id;
	const char *name;
	const char *summary;		/* one line, for the docs */
	const struct cpuid_rule *cpuid;	/* the CPUID allowlist, hypervisor leaves included */
	unsigned ncpuid;
	uint64_t misc_enable;		/* IA32_MISC_ENABLE after RESET */
	enum hypercall_abi hypercalls;
	struct personality_virt virt;
};

/* The table for an option value; NULL for one out of range. */
const struct personality *personality_get(enum personality_id id);

/* FEATURE_CONTROL locked with VMX off; VM_CR with SVM disabled and locked (APM 15.30.1). */
#define PERSONALITY_FEATURE_CONTROL_LOCKED_OFF 0x1ull
#define PERSONALITY_VM_CR_SVMDIS_LOCKED 0x18ull

#endif
