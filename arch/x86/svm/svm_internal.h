/* svm_internal: state and helpers shared by the SVM backend's files. */
#ifndef NESTOR_ARCH_X86_SVM_SVM_INTERNAL_H
#define NESTOR_ARCH_X86_SVM_SVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/svm/vmcb.h"
#include "vm/vcpu.h"

struct guest_entry;

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
	bool started;		/* has run at least once (its TLB was flushed) */
	/* The last interrupt injected through EVENTINJ, to requeue it if EXITINTINFO says
	 * it was not delivered (APM 15.7.2). */
	uint8_t last_source;	/* enum apic_source */
	uint8_t last_vector;
	/* NMI blocking, tracked by nestor (no vNMI): set when an NMI is injected, cleared
	 * one instruction after the guest's IRET, found by single-stepping it. */
	bool nmi_blocked;
	bool nmi_singlestep;
	/* V_TPR as nestor wrote it at the last entry: a different value after the exit
	 * means the guest wrote CR8 (no exit with V_INTR_MASKING). */
	uint8_t entry_v_tpr;
};

static inline struct svm_vcpu *svm_of(struct vcpu *v)
{
	return (struct svm_vcpu *)v->arch;
}

/* arch/x86/svm/svm_entry.asm */
void svm_vmrun(uint64_t vmcb_pa, struct x86_gprs *gprs, uint64_t host_vmcb_pa);

/* svm_exits.c: handles the exit in the VMCB; false when the vCPU must stop. */
bool svm_handle_exit(struct vcpu *v);
/* svm_exit_names.c */
const char *svm_exit_name(uint64_t code);
/* svm_emul.c: the guest state the decoder and emulator work on, and RIP advance. */
void svm_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu);
bool svm_finish_emulation(struct vcpu *v, enum x86_emul_status st, const struct x86_emul_cpu *cpu,
			  const struct x86_emul_outcome *out);
/* svm_string_io.c: INS/OUTS exits. */
bool svm_exit_string_io(struct vcpu *v, struct vmcb *vmcb, uint16_t port, unsigned size, bool in);
/* Skips the intercepted instruction at RIP; false if fetching it faulted (injected). */
bool svm_skip_instruction(struct vcpu *v);
#define SVM_EFER_LMA (1ull << 10)
#define SVM_EFER_SVME (1ull << 12)
#define SVM_RFLAGS_TF (1ull << 8)
#define SVM_RFLAGS_IF (1ull << 9)
#define SVM_INTERCEPT_IRET (1u << 20)
#define SVM_EXIT_IRET 0x074
#define SVM_EXIT_DB (SVM_EXIT_EXCP_BASE + 1)

/* svm_vmcb.c */
void svm_vmcb_set_entry(struct vmcb *vmcb, const struct guest_entry *entry);
void svm_vmcb_set_sipi(struct vmcb *vmcb, uint8_t vector);
void svm_log_vmcb(const struct vcpu *v);
/* svm_event.c: queues an exception for the next entry. */
void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);

#endif
