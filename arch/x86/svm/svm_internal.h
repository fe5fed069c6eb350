/* svm_internal: state and helpers shared by the SVM backend's files. */
#ifndef NESTOR_ARCH_X86_SVM_SVM_INTERNAL_H
#define NESTOR_ARCH_X86_SVM_SVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/svm/vmcb.h"
#include "core/vcpu.h"

/* Per physical CPU: where VMRUN saves host state, and the host's VMSAVE image. */
struct svm_cpu {
	uint64_t hsave_pa;
	uint64_t host_vmcb_pa;
};

/* Per VM: shared by all its vCPUs. */
struct svm_vm {
	uint64_t ncr3;		/* nested page tables */
	uint64_t iopm_pa;	/* 12 KiB, every port intercepted */
	uint64_t msrpm_pa;	/* 8 KiB */
};

/* Per vCPU. */
struct svm_vcpu {
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	uint64_t guest_efer;	/* what the guest believes EFER holds (SVME hidden) */
	uint64_t exit_code;	/* of the last exit, for reports */
	bool started;		/* has run at least once (TLB flushed) */
};

static inline struct svm_vcpu *svm_of(struct vcpu *v)
{
	return (struct svm_vcpu *)v->arch;
}

/* arch/x86/svm/svm_entry.asm */
void svm_vmrun(uint64_t vmcb_pa, struct x86_gprs *gprs, uint64_t host_vmcb_pa);

/* svm_exits.c: handles the exit in the VMCB; false when the vCPU must stop. */
bool svm_handle_exit(struct vcpu *v);
const char *svm_exit_name(uint64_t code);
/* svm_vmcb.c */
void svm_vmcb_set_entry(struct vmcb *vmcb, const struct guest_entry *entry);
void svm_vmcb_set_sipi(struct vmcb *vmcb, uint8_t vector);
void svm_log_vmcb(const struct vcpu *v);
/* svm_event.c: queues an exception for the next entry. */
void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);

#endif
