/* vcpu_msr: the MSRs every backend answers the same way. */
#ifndef NESTOR_VM_VCPU_MSR_H
#define NESTOR_VM_VCPU_MSR_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

enum msr_result {
	MSR_OK,
	MSR_GP,		/* the backend injects #GP(0) */
};

/*
 * RDMSR/WRMSR of an MSR the backend does not own itself (EFER, PAT and the TSC are the
 * backends'): the APIC MSRs go to the vLAPIC, the MTRRs are kept, a few model MSRs
 * read as harmless constants, and anything else is #GP, logged once per MSR.
 */
enum msr_result vcpu_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value);
enum msr_result vcpu_msr_write(struct vcpu *v, uint32_t msr, uint64_t value);
/*
 * MSRs every backend lets the guest read and write without an exit. FS/GS base and the
 * SYSENTER MSRs are switched by the CPU (VMCS guest state, VMLOAD/VMSAVE); KERNEL_GS_BASE
 * and the SYSCALL MSRs (switched by VMLOAD/VMSAVE on SVM, not at all on VMX) and TSC_AUX
 * (switched by neither) may stay the guest's in the hardware: nestor's own code never
 * executes SWAPGS, SYSCALL, SYSENTER or RDTSCP, and a vCPU owns its physical CPU.
 */
extern const uint32_t vcpu_msr_passthrough[];
extern const unsigned vcpu_msr_passthrough_count;
/* A value the guest may write to IA32_PAT (the backends keep PAT in the VMCB/VMCS). */
bool vcpu_msr_pat_valid(uint64_t pat);
/* Reset values (MTRRs off, as after RESET: SDM Vol. 3A 12.11.5). */
void vcpu_msrs_reset(struct vcpu *v);

#endif
