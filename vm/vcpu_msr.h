/* vcpu_msr: RDMSR/WRMSR as vm/msr_table.c says, the same on every backend. */
#ifndef NESTOR_VM_VCPU_MSR_H
#define NESTOR_VM_VCPU_MSR_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

enum msr_result {
	MSR_OK,
	MSR_GP,		/* the backend injects #GP(0) */
	/*
	 * A valid access to guest state the CPU switches (FS_BASE, LSTAR, SYSENTER_*, ...):
	 * the backend reads or writes it where it lives (VMCB, VMCS, the register). Writes get
	 * here checked (canonical addresses); reads normally do not exit at all.
	 */
	MSR_GUEST_STATE,
};

/*
 * RDMSR/WRMSR of an MSR the backend does not own itself (EFER, PAT and the TSC are the
 * exit path's): msr_table's row decides (the vLAPIC, the MTRRs, IA32_MISC_ENABLE, the
 * PMUs that do not count, the personality's FEATURE_CONTROL / VM_CR, constants). An MSR
 * without a row, or whose vendor or CPUID bit the guest does not have, is #GP, logged
 * once per MSR.
 */
enum msr_result vcpu_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
enum msr_result vcpu_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);
/* A value the guest may write to IA32_PAT (the backends keep PAT in the VMCB/VMCS). */
bool vcpu_msr_pat_valid(uint64_t pat);
/* Reset values (MTRRs off, as after RESET: SDM Vol. 3A 12.11.5; IA32_MISC_ENABLE from the
 * personality). Needs v->vm->personality. */
void vcpu_msrs_reset(struct vcpu *v);

/* vcpu_msr_mtrr.c */
enum msr_result vcpu_msr_mtrr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
enum msr_result vcpu_msr_mtrr_write(struct vcpu *v, uint32_t msr, uint64_t value);
/* vcpu_msr_misc.c */
enum msr_result vcpu_msr_misc_enable_write(struct vcpu *v, uint64_t value);
/* Canonical for the guest: 57 address bits when LA57 is offered, else 48 (SDM 3.3.7.1). */
bool vcpu_msr_canonical(struct vcpu *v, uint64_t address);

#endif
