/* svm_nested: nested SVM's runtime: L1's SVM instructions, VMRUN and #VMEXIT, L2's exits. */
#ifndef NESTOR_ARCH_X86_SVM_SVM_NESTED_H
#define NESTOR_ARCH_X86_SVM_SVM_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/svm/vmcb.h"
#include "lib/guest_mem.h"
#include "nested/nested_watch.h"
#include "nested/svm/nsvm.h"
#include "nested/svm/nsvm_npt.h"

struct vcpu;
struct vlapic;
struct vm;
struct svm_vcpu;

/* nestor's shadow of L1's nested page table for one L2 (svm_npt_shadow.c). */
struct svm_npt_shadow {
	uint64_t root;		/* PML4 of the shadow (0: none built yet) */
	unsigned pages;		/* table pages it holds */
	uint64_t fills, drops;	/* entries installed, whole-shadow drops */
};

/* Per-vCPU counters for the run report (core/vcpu_report.c prints them). */
struct svm_nested_stats {
	uint64_t vmrun, vmrun_invalid, vmrun_fault;
	uint64_t vmload, vmsave, stgi, clgi, invlpga;
	uint64_t reflected;		/* #VMEXITs to L1 */
	uint64_t reflected_by[8];	/* by class, enum svm_nested_class */
	uint64_t l0_exits;		/* L2 exits nestor handled for L1 */
	uint64_t npf_filled, npf_reflected, npf_mmio;
	uint64_t intr_exits, nmi_exits;	/* #VMEXIT(INTR/NMI) nestor made for L1's events */
	uint64_t exits_after_injection;	/* of those, entries first to deliver L1's EVENTINJ */
	uint64_t cr8_writes;		/* L2's CR8 writes nestor carried out */
	uint64_t exc_converted;		/* exceptions for L2 that L1 intercepts: #VMEXIT */
	uint64_t l2_db, l2_ac;		/* L2's #DB / #AC L1 does not intercept, given back */
	uint64_t first_check_logged;	/* check failures logged (capped) */
};

enum svm_nested_class {
	SVM_NCLASS_INTR, SVM_NCLASS_IO, SVM_NCLASS_MSR, SVM_NCLASS_CPUID, SVM_NCLASS_NPF,
	SVM_NCLASS_EXCEPTION, SVM_NCLASS_VINTR, SVM_NCLASS_OTHER,
};

/*
 * L1's hypervisor state that the processor keeps and nestor emulates, and L2's while it
 * runs. L1's own processor state stays in vmcb01 (the host-save semantics of APM 15.5.1:
 * VMRUN saves it, #VMEXIT reloads it): vmcb01 is untouched while L2 runs.
 */
struct svm_nested {
	bool gif;			/* L1's global interrupt flag (APM 15.17), without vgif_hw */
	/* L1's GIF is the hardware's virtual GIF in vmcb01 (15.33.2): STGI and CLGI run in L1
	 * without an exit, V_GIF holds V_IRQ, nestor holds its own injections. */
	bool vgif_hw;
	bool efer_svme;			/* L1's EFER.SVME (vmcb01's is always set for VMRUN) */
	struct nsvm_features feat;	/* what L1 is offered, from the CPUID it sees */
	struct nsvm_range ram_range;
	struct nsvm_ram ram;

	/* The L2 that runs (v->guest_mode) or ran last. */
	uint64_t vmcb12_pa;
	struct vmcb *vmcb12;		/* nestor's copy as checked at VMRUN */
	struct vmcb *vmcb02;
	uint64_t vmcb02_pa;
	uint8_t *msrpm02;		/* nestor's MSRPM with L1's bits of the pass-through MSRs */
	bool l1_npt;			/* L1's nested paging is honoured for this L2 */
	bool l1_if;			/* L1's RFLAGS.IF at VMRUN (V_INTR_MASKING's physical mask) */
	struct nsvm_npt_mode npt;	/* L1's nested paging as VMRUN latched it */
	uint32_t last_asid;		/* L1's ASID and nCR3 of the previous VMRUN */
	uint64_t last_ncr3;		/* (another nCR3 drops the shadow) */
	uint64_t asids_seen;		/* L1's ASIDs run since the last flush (bit per ASID) */
	uint32_t l2_asid;		/* the host ASID L2 runs with */
	struct svm_npt_shadow shadow;
	struct guest_mem l2_mem;	/* L2-physical memory for the emulator (through L1's NPT) */

	struct svm_nested_stats stats;
	struct nested_watch watch;	/* the seeds' livelock detectors (nested/nested_watch.h) */
};

/* L1's GIF (15.17): the virtual GIF in vmcb01 where the host has VGIF, else nestor's. */
bool svm_nested_gif(const struct svm_vcpu *s);
void svm_nested_set_gif(struct svm_vcpu *s, bool gif);

/* svm_nested_init.c: per vCPU, when the VM offers nested SVM; false when out of pages. */
bool svm_nested_vcpu_init(struct vcpu *v, struct svm_vcpu *s);
/* CPUID 8000_000Ah for the VM, from what nestor implements and the options (svm_vm.c). */
void svm_nested_offer(struct vm *vm);
/* The features L1 sees, filled on first use from its CPUID. */
const struct nsvm_features *svm_nested_features(struct vcpu *v);

/* svm_nested_insn.c: L1's SVM instructions (exits from vmcb01). */
bool svm_nested_l1_insn(struct vcpu *v, uint64_t exit_code);

/* svm_nested_vmrun.c: VMRUN from L1. */
bool svm_nested_vmrun(struct vcpu *v);

/* svm_nested_vmexit.c: #VMEXIT to L1 with vmcb02's exit code and information. */
void svm_nested_vmexit(struct vcpu *v);
/* A #VMEXIT nestor makes (INTR, NMI, an exception L1 intercepts), not one vmcb02 holds. */
void svm_nested_synthetic_vmexit(struct vcpu *v, uint64_t code, uint64_t info1, uint64_t info2);

/* svm_nested_exit.c, svm_nested_events.c: the hooks of vm/vcpu_nested.h. */
extern const struct vcpu_nested_ops svm_nested_ops;

/* svm_npt_shadow.c */
enum svm_npt_fault {
	SVM_NPT_FILLED,		/* the shadow now maps it: run L2 again */
	SVM_NPT_L1_FAULT,	/* L1's own table faults: reflect the NPF (error in *error) */
	SVM_NPT_MMIO,		/* L1 maps it outside its RAM: emulate the access at *l1_gpa */
	SVM_NPT_STOP,		/* nestor cannot go on (logged, VM stopped) */
};
enum svm_npt_fault svm_npt_shadow_fault(struct vcpu *v, uint64_t l2_gpa, uint64_t exit_info1,
					uint64_t *error, uint64_t *l1_gpa);
void svm_npt_shadow_drop(struct svm_nested *n);
/* The shadow's root for vmcb02's nCR3, built empty on first use; 0 when out of pages. */
uint64_t svm_npt_shadow_root(struct svm_nested *n);
bool svm_npt_translate(const struct guest_mem *m, uint64_t gpa, uint64_t *ram_gpa);

/* svm_nested_report.c */
void svm_nested_report(struct vcpu *v);

#endif
