/* vmx_tpr_check: nestor's own SDM 26.2.1.1 check of TPR_THRESHOLD against VTPR, before entry. */
#ifndef NESTOR_ARCH_X86_VMX_VMX_TPR_CHECK_H
#define NESTOR_ARCH_X86_VMX_VMX_TPR_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/*
 * With "use TPR shadow" on and "virtualize APIC accesses" and "virtual-interrupt
 * delivery" off, VM entry fails (VMfailValid, error 7) when TPR_THRESHOLD[3:0] >
 * VTPR[7:4]. nestor checks the same rule first (apic_tpr_threshold_invariant_ok); this
 * logs a broken one as one line naming the rule, the values, the vCPU and the guest RIP.
 */
void vmx_tpr_threshold_report(unsigned vcpu, uint64_t rip, uint8_t threshold, uint8_t vtpr);

#endif
