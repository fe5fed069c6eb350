/* vcpu_cpuid: what CPUID tells a vCPU: its VM's personality over the host, with its state. */
#ifndef NESTOR_VM_VCPU_CPUID_H
#define NESTOR_VM_VCPU_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/cpuid_model.h"

struct vcpu;

/*
 * The answer for (leaf, subleaf): the VM's personality table (vm/personality.c) over the
 * host's answers, with the vCPU's identity and dynamic bits: OSXSAVE and OSPKE from
 * guest_cr4, APIC from IA32_APIC_BASE.EN, the XSAVE sizes from its XCR0, leaf 0 and NX
 * from IA32_MISC_ENABLE (docs/personalities.md).
 */
struct vm_nested_offer;
/* Shows nested SVM when the VM offers it: CPUID 8000_0001h.ECX.SVM and leaf 8000_000Ah. */
void cpuid_offer_svm(const struct vm_nested_offer *n, uint32_t leaf, struct cpuid_regs *r);
void vcpu_cpuid(struct vcpu *v, uint64_t guest_cr4, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *out);

/* One CPUID feature bit. */
struct cpuid_bit {
	uint32_t leaf, subleaf;
	uint8_t reg;			/* enum cpuid_reg */
	uint8_t bit;
};

/*
 * Whether the vCPU is offered the feature now (guest_cr4 matters for OSXSAVE/OSPKE only).
 * For rules that depend on CPUID: CR4 bits (PCID, SMEP, ...), EFER bits, MSRs.
 */
bool vcpu_cpuid_has(struct vcpu *v, uint64_t guest_cr4, struct cpuid_bit f);

#define CPUID_BIT(l, s, r, b) ((struct cpuid_bit){ (l), (s), (r), (b) })
#define CPUID_VME CPUID_BIT(1, 0, CPUID_EDX, 1)
#define CPUID_DE CPUID_BIT(1, 0, CPUID_EDX, 2)
#define CPUID_PSE CPUID_BIT(1, 0, CPUID_EDX, 3)
#define CPUID_TSC CPUID_BIT(1, 0, CPUID_EDX, 4)
#define CPUID_PAE CPUID_BIT(1, 0, CPUID_EDX, 6)
#define CPUID_MCE CPUID_BIT(1, 0, CPUID_EDX, 7)
#define CPUID_APIC CPUID_BIT(1, 0, CPUID_EDX, 9)
#define CPUID_SEP CPUID_BIT(1, 0, CPUID_EDX, 11)
#define CPUID_MTRR CPUID_BIT(1, 0, CPUID_EDX, 12)
#define CPUID_PGE CPUID_BIT(1, 0, CPUID_EDX, 13)
#define CPUID_MCA CPUID_BIT(1, 0, CPUID_EDX, 14)
#define CPUID_PAT CPUID_BIT(1, 0, CPUID_EDX, 16)
#define CPUID_FXSR CPUID_BIT(1, 0, CPUID_EDX, 24)
#define CPUID_SSE CPUID_BIT(1, 0, CPUID_EDX, 25)
#define CPUID_VMX CPUID_BIT(1, 0, CPUID_ECX, 5)
#define CPUID_SMX CPUID_BIT(1, 0, CPUID_ECX, 6)
#define CPUID_PCID CPUID_BIT(1, 0, CPUID_ECX, 17)
#define CPUID_X2APIC CPUID_BIT(1, 0, CPUID_ECX, 21)
#define CPUID_TSC_DEADLINE CPUID_BIT(1, 0, CPUID_ECX, 24)
#define CPUID_XSAVE CPUID_BIT(1, 0, CPUID_ECX, 26)
#define CPUID_OSXSAVE CPUID_BIT(1, 0, CPUID_ECX, 27)
#define CPUID_HYPERVISOR CPUID_BIT(1, 0, CPUID_ECX, 31)
#define CPUID_FSGSBASE CPUID_BIT(7, 0, CPUID_EBX, 0)
#define CPUID_SMEP CPUID_BIT(7, 0, CPUID_EBX, 7)
#define CPUID_INVPCID CPUID_BIT(7, 0, CPUID_EBX, 10)
#define CPUID_SMAP CPUID_BIT(7, 0, CPUID_EBX, 20)
#define CPUID_UMIP CPUID_BIT(7, 0, CPUID_ECX, 2)
#define CPUID_PKU CPUID_BIT(7, 0, CPUID_ECX, 3)
#define CPUID_LA57 CPUID_BIT(7, 0, CPUID_ECX, 16)
#define CPUID_RDPID CPUID_BIT(7, 0, CPUID_ECX, 22)
#define CPUID_SVM CPUID_BIT(0x80000001, 0, CPUID_ECX, 2)
#define CPUID_SYSCALL CPUID_BIT(0x80000001, 0, CPUID_EDX, 11)
#define CPUID_NX CPUID_BIT(0x80000001, 0, CPUID_EDX, 20)
#define CPUID_FFXSR CPUID_BIT(0x80000001, 0, CPUID_EDX, 25)
#define CPUID_RDTSCP CPUID_BIT(0x80000001, 0, CPUID_EDX, 27)
#define CPUID_LM CPUID_BIT(0x80000001, 0, CPUID_EDX, 29)

/* The host's vendor (the guest sees the same). */
enum cpuid_vendor vcpu_cpuid_vendor(struct vcpu *v);

#endif
