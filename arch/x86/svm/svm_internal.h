/* svm_internal: state and helpers shared by the SVM backend's files. */
#ifndef NESTOR_ARCH_X86_SVM_SVM_INTERNAL_H
#define NESTOR_ARCH_X86_SVM_SVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/svm/vmcb.h"
#include "vm/vcpu.h"
#include "vm/vcpu_arch.h"

struct guest_entry;
struct svm_nested;

/* Per physical CPU: where VMRUN saves host state, and the host's VMSAVE image. */
struct svm_cpu {
	uint64_t hsave_pa;
	uint64_t host_vmcb_pa;
};

/* Per VM: shared by all its vCPUs. */
struct svm_vm {
	uint64_t ncr3;		/* nested page tables */
	uint64_t iopm_pa;	/* 12 KiB, every port intercepted: vmcb02's (L2) */
	uint64_t iopm01_pa;	/* 12 KiB, vmcb01's: every port but those passed to L1 */
	uint64_t msrpm_pa;	/* 8 KiB */
};

/* Per vCPU. */
struct svm_vcpu {
	/* The VMCB of the level that runs: vmcb01 (L1's, nestor's own) today; with nested
	 * SVM, the vmcb02 nestor builds for L2 while v->guest_mode (vm/vcpu_nested.h). */
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	struct vmcb *vmcb01;
	bool started;		/* has run at least once (its TLB was flushed) */
	bool flush_tlb;		/* the guest's paging controls changed: flush at the next VMRUN */
	/* Where the instruction that exited ends, when the exit says so (IOIO's EXITINFO2,
	 * NRIPS's next RIP), else 0. */
	uint64_t exit_next_rip;
	/* NMI blocking, tracked by nestor (no vNMI): set when an NMI is injected, cleared
	 * one instruction after the guest's IRET, found by single-stepping it. */
	bool nmi_blocked;
	bool nmi_singlestep;
	/* The guest's RFLAGS.TF and DR6 when nestor set TF for that IRET (svm_exits.c). */
	bool nmi_step_guest_tf;
	uint64_t nmi_step_dr6;
	/* V_TPR as nestor wrote it at the last entry: a different value after the exit
	 * means the guest wrote CR8 (no exit with V_INTR_MASKING). */
	uint8_t entry_v_tpr;
	/* Nested SVM (svm_nested.h): L1's SVM state and its L2's; NULL when not offered. */
	struct svm_nested *nested;
};

static inline struct svm_vcpu *svm_of(struct vcpu *v)
{
	return (struct svm_vcpu *)v->arch;
}

/* Whether the CPU fills next_rip on intercepts (NRIPS, APM 15.7.1); set at start-up. */
extern bool svm_has_nrips;
/* The host's ASID count (CPUID 8000_000Ah.EBX); whether it has NX (EFER.NXE is set). */
extern unsigned svm_host_nasid;
extern bool svm_host_nx;
extern bool svm_host_vgif;

/* arch/x86/svm/svm_entry.asm */
void svm_vmrun(uint64_t vmcb_pa, struct x86_gprs *gprs, uint64_t host_vmcb_pa);

/* svm_run.c: the backend's accessors (vm/vcpu_arch.h). */
extern const struct vcpu_arch_ops svm_vcpu_ops;
/* svm_exits.c: decodes the exit in the VMCB and hands it to the shared handlers. */
bool svm_handle_exit(struct vcpu *v);
/* svm_exit_names.c */
const char *svm_exit_name(uint64_t code);
/* svm_state.c: the guest state in the VMCB for the shared exit handlers. */
uint64_t svm_get_reg(struct vcpu *v, enum vcpu_reg r);
bool svm_set_reg(struct vcpu *v, enum vcpu_reg r, uint64_t value);
void svm_switched_msr(struct vcpu *v, uint32_t msr, uint64_t *value, bool write);
void svm_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu);
unsigned svm_cpl(struct vcpu *v);
bool svm_long_mode_code(struct vcpu *v);
unsigned svm_exit_insn_len(struct vcpu *v);
void svm_clear_interrupt_shadow(struct vcpu *v);
void svm_inject(struct vcpu *v, const struct vcpu_event *ev);
void svm_undelivered_event(struct vcpu *v, struct vcpu_event *ev);
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

#endif
