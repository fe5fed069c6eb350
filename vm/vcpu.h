/* vcpu: one virtual CPU, pinned to one physical CPU, whatever the backend. */
#ifndef NESTOR_VM_VCPU_H
#define NESTOR_VM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/regs.h"
#include "vm/exit_tally.h"

struct percpu;
struct vcpu_arch_ops;
struct vcpu_nested_ops;
struct vm;

enum vcpu_state {
	VCPU_RUNNABLE,
	VCPU_HALTED,		/* HLT: waits for a deliverable interrupt */
	VCPU_WAIT_FOR_SIPI,	/* an AP before its STARTUP IPI (SDM Vol. 3A 9.4) */
	VCPU_STOPPED,
};

/*
 * Why the guest left, in vendor-neutral terms: each backend maps its own exit codes
 * onto these for the run report (a vendor's raw codes stay in arch/x86/vmx|svm).
 */
enum vcpu_exit_reason {
	EXIT_REASON_IO,
	EXIT_REASON_STRING_IO,		/* INS/OUTS, emulated */
	EXIT_REASON_MMIO,
	EXIT_REASON_MSR_READ,
	EXIT_REASON_MSR_WRITE,
	EXIT_REASON_CPUID,
	EXIT_REASON_HLT,
	EXIT_REASON_EXTERNAL_INTERRUPT,
	EXIT_REASON_IRQ_WINDOW,
	EXIT_REASON_NMI_WINDOW,
	EXIT_REASON_CR_ACCESS,
	EXIT_REASON_TPR_BELOW_THRESHOLD,
	EXIT_REASON_EXCEPTION,
	EXIT_REASON_TRIPLE_FAULT,
	EXIT_REASON_HYPERCALL,
	EXIT_REASON_VIRT_INSN,		/* VMX/SVM instructions executed by the guest */
	EXIT_REASON_INIT_SIPI,
	EXIT_REASON_OTHER,
	EXIT_REASON_COUNT
};

/* Interrupt sources for the report's "injected by source". */
enum vcpu_inject_source {
	INJECT_LAPIC,
	INJECT_EXTINT,
	INJECT_NMI,
	INJECT_EXCEPTION,
	INJECT_SOURCE_COUNT
};

struct vcpu_stats {
	uint64_t exits;
	uint64_t by_reason[EXIT_REASON_COUNT];
	uint64_t injected[INJECT_SOURCE_COUNT];
	uint64_t irq_windows;
	/* Entry rules nestor checked itself before a VM entry and found broken (the backend
	 * logs each with its SDM section; the entry still happens so the CPU's verdict shows). */
	uint64_t invariant_violations;
	/* Entries whose injected interrupt the backend had followed by an exit at once (a
	 * self-IPI), where the CPU below needs it (SVM on QEMU 7.2: docs/reliability.md). */
	uint64_t exits_after_injection;
	/* `sti; hlt` exits inside the shadow with an interrupt pending: HLT completed, the
	 * interrupt injected after it (vm/vcpu_entry.c). */
	uint64_t shadowed_hlts;
	/* Nested virtualization: exits while L2 ran, those L1 got, L1's VM entries, and the
	 * entries nestor's checks refused (each logged with its rule). */
	uint64_t l2_exits, l2_reflected, l1_vmentries, l1_vmentry_fails;
	/* Port, MMIO and MSR exits by source (the report merges the vCPUs' tables). */
	struct exit_tally sources;
};

/* MSR state nestor keeps for the guest (the rest lives in the VMCB/VMCS). */
struct vcpu_msrs {
	uint64_t mtrr_def_type;
	uint64_t mtrr_fixed[11];	/* 0x250, 0x258, 0x259, 0x268-0x26f */
	uint64_t mtrr_var[16];		/* 0x200-0x20f: base/mask pairs */
	uint64_t amd_de_cfg;
	uint64_t misc_enable;		/* IA32_MISC_ENABLE (vcpu_msr_misc.c) */
	uint64_t vm_cr;			/* AMD VM_CR when SVM is offered (APM 15.30.1) */
	uint64_t vm_hsave_pa;		/* AMD VM_HSAVE_PA (APM 15.30.4) */
};

struct vcpu {
	struct vm *vm;
	unsigned id;			/* also its initial APIC ID */
	struct percpu *cpu;		/* the physical CPU it runs on */
	volatile enum vcpu_state state;
	bool halted_irqs_off;		/* halted with RFLAGS.IF = 0: only NMI/INIT wake it */
	struct x86_gprs gprs;
	const struct vcpu_arch_ops *ops;	/* the backend's accessors (vm/vcpu_arch.h) */
	void *arch;			/* the backend's state (VMCB or VMCS and friends) */
	/* The source of the last interrupt injected (enum apic_source), to requeue it if the
	 * exit says it was not delivered. */
	uint8_t last_source;
	/* Nested virtualization (vm/vcpu_nested.h): whether the vCPU runs L2 now, and the
	 * code that owns its exits then (NULL: nothing nested is offered). */
	bool guest_mode;
	const struct vcpu_nested_ops *nested;
	struct vcpu_stats stats;
	struct vcpu_msrs msrs;
};

const char *vcpu_exit_reason_name(enum vcpu_exit_reason r);
const char *vcpu_inject_source_name(enum vcpu_inject_source s);

#endif
