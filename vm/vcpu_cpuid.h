/* vcpu_cpuid: what CPUID tells a guest: the host's answer, filtered to nestor's platform. */
#ifndef NESTOR_VM_VCPU_CPUID_H
#define NESTOR_VM_VCPU_CPUID_H

#include <stdint.h>

#include "arch/x86/cpu.h"

struct vcpu;

/*
 * The host's CPUID for (leaf, subleaf), rewritten for the guest: its own APIC ID and
 * CPU count, the hypervisor bit and leaves, OSXSAVE from the guest's CR4, and every
 * feature nestor does not virtualize hidden (VMX, SVM, MONITOR/MWAIT, perfmon, thermal,
 * speculation-control MSRs, IA32_TSC_ADJUST, topology extensions, XSAVES and IA32_XSS). `host` is the raw host answer, so
 * the same rules are unit-tested on recorded values.
 */
void cpuid_filter(unsigned vcpu_id, unsigned nvcpus, uint64_t guest_cr4, uint32_t leaf,
		  uint32_t subleaf, struct cpuid_regs *regs);
/*
 * Size of a compacted XSAVE area (XSAVEC/XSAVES) holding the components in xfeatures,
 * from their CPUID.(0Dh,i) descriptions components[i] (EAX size, ECX[1] 64-byte alignment),
 * i < count (SDM Vol. 1, 13.4.3).
 */
uint32_t xsave_compacted_size(uint64_t xfeatures, const struct cpuid_regs *components,
			      unsigned count);
void vcpu_cpuid(struct vcpu *v, uint64_t guest_cr4, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *out);

#endif
