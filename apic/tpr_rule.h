/* tpr_rule: SDM 26.2.1.1's TPR-threshold rule, shared by apic/, the VMX backend and nested/vmx. */
#ifndef NESTOR_APIC_TPR_RULE_H
#define NESTOR_APIC_TPR_RULE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * With "use TPR shadow" 1 and "virtualize APIC accesses" and "virtual-interrupt delivery"
 * 0, VM entry requires TPR_THRESHOLD[3:0] <= VTPR[7:4] (else VMfailValid, error 7). Whether
 * the rule applies is the caller's: apic/ always runs that configuration, nested/vmx
 * checks L1's controls first.
 */
static inline bool apic_tpr_threshold_invariant_ok(uint8_t tpr_threshold, uint8_t vtpr)
{
	return (tpr_threshold & 0xfu) <= (unsigned)(vtpr >> 4);
}

#endif
