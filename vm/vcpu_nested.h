/* vcpu_nested: where nested virtualization plugs into the run loop and the shared model. */
#ifndef NESTOR_VM_VCPU_NESTED_H
#define NESTOR_VM_VCPU_NESTED_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs;
struct vcpu;
struct vlapic;

enum vcpu_nested_exit {
	/* Not the nested code's: the exit goes down the L1 path (nestor handles it for L1). */
	NESTED_EXIT_FOR_L0,
	/* Dealt with (reflected to L1, or handled for L2): enter again. */
	NESTED_EXIT_DONE,
	/* The VM was stopped with a report. */
	NESTED_EXIT_STOP,
};

/*
 * While a vCPU runs L2 (v->guest_mode), the VMCB/VMCS in use is the one nestor built for
 * L2 from L1's (vmcb02 / vmcs02), and an exit belongs first to the nested code: it may be
 * L1's (reflected), or nestor's on L1's behalf. So the run loop (vm/vcpu_run.c) asks
 * `exit` before any L1 bookkeeping (the TPR sync and the event requeue are L1's state),
 * and the pre-entry sequence (vm/vcpu_entry.c) calls `check_events` before apic/ decides
 * an injection, so an interrupt for L1 that arrives while L2 runs can become an exit to
 * L1 (#VMEXIT(INTR), an external-interrupt exit) instead of an injection into L2.
 */
enum vcpu_nested_msr {
	NESTED_MSR_NOT_MINE,	/* the MSR model answers as without nesting */
	NESTED_MSR_OK,
	NESTED_MSR_GP,
};

struct vcpu_nested_ops {
	enum vcpu_nested_exit (*exit)(struct vcpu *v);
	void (*check_events)(struct vcpu *v, struct vlapic *l);
	/*
	 * What offering the extension adds to the shared model (each may be NULL): the MSRs
	 * it owns (capability MSRs, FEATURE_CONTROL / VM_CR ...), its CPUID bits, and the CR
	 * values its operation forbids (SDM 23.8: the fixed bits while in VMX operation). The
	 * report hook adds the extension's own lines to the run report.
	 */
	enum vcpu_nested_msr (*msr)(struct vcpu *v, uint32_t msr, uint64_t *value, bool write);
	void (*cpuid)(struct vcpu *v, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
	bool (*cr_ok)(struct vcpu *v, unsigned cr, uint64_t value);
	void (*report)(struct vcpu *v);
};

#endif
