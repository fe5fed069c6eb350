/* vcpu_arch: the per-vendor accessors the shared exit path and run loop work through. */
#ifndef NESTOR_VM_VCPU_ARCH_H
#define NESTOR_VM_VCPU_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct apic_decision;
struct apic_intr_state;
struct vcpu;
struct vlapic;
struct x86_emul_cpu;

/* Guest registers kept in the VMCB/VMCS (or, for VMX's CR2/DR6, in the CPU itself). */
enum vcpu_reg {
	VCPU_RIP,
	VCPU_RFLAGS,
	VCPU_CR0,	/* as the guest sees it (VMX: the read shadow for the bits nestor owns) */
	VCPU_CR2,
	VCPU_CR3,
	VCPU_CR4,	/* as the guest sees it */
	VCPU_EFER,	/* as the guest sees it (SVM: without the SVME nestor keeps set) */
	VCPU_PAT,
	VCPU_DR6,
	VCPU_DR7,
	VCPU_TSC_OFFSET,
	VCPU_REG_COUNT
};

/*
 * An event in the vendor-neutral form of VMX's interruption information (SDM 24.8.3):
 * the backends translate EVENTINJ / EXITINTINFO and the VM-entry / IDT-vectoring fields
 * to and from it.
 */
enum vcpu_event_type {
	VCPU_EVENT_EXTINT = 0,		/* external interrupt (from the vLAPIC or the 8259) */
	VCPU_EVENT_NMI = 2,
	VCPU_EVENT_EXCEPTION = 3,	/* hardware exception */
	VCPU_EVENT_SOFT_INT = 4,	/* INTn */
	VCPU_EVENT_PRIV_SOFT_EXC = 5,	/* INT1 (ICEBP) */
	VCPU_EVENT_SOFT_EXC = 6,	/* INT3, INTO */
};

struct vcpu_event {
	bool valid;
	uint8_t type;		/* enum vcpu_event_type */
	uint8_t vector;
	bool has_error;
	uint32_t error;
	uint8_t insn_len;	/* software events: the length of the INTn/INT3/INTO/INT1 */
};

struct vcpu_arch_ops {
	/* Decode flags for this vendor's instruction rules (X86_DECODE_AMD or 0). */
	unsigned decode_flags;

	/* ---- the pre-entry sequence (vm/vcpu_entry.c) ---- */
	/* INIT: the architectural reset state (SDM Vol. 3A 9.1.1), no pending injection. */
	void (*init)(struct vcpu *v);
	/* STARTUP: real mode at vector << 12 (CS = vector << 8, IP = 0; SDM 9.4.4). */
	void (*sipi)(struct vcpu *v, uint8_t vector);
	/* The guest's interruptibility as apic/ needs it. */
	void (*intr_state)(struct vcpu *v, struct apic_intr_state *st);
	/* Programs injection, windows and TPR virtualization from the decision. */
	void (*apply_decision)(struct vcpu *v, struct vlapic *l, const struct apic_decision *d);

	/* ---- the run loop (vm/vcpu_run.c) ---- */
	/* Once, on the vCPU's own CPU, before its first entry; false stops the vCPU. */
	bool (*start)(struct vcpu *v);
	/* VMRUN / VMLAUNCH / VMRESUME with v->gprs; false when the entry itself failed (the
	 * backend has reported it and stopped the VM). */
	bool (*enter)(struct vcpu *v);
	/* The exit was a physical interrupt: the loop takes it before anything else. */
	bool (*exit_is_host_interrupt)(struct vcpu *v);
	/* The guest's TPR as it left it (V_TPR / VTPR) back into the vLAPIC if it changed. */
	void (*sync_tpr)(struct vcpu *v, struct vlapic *l);
	/* The event the exit interrupted on its way into the guest (EXITINTINFO / IDT-vectoring
	 * information), or !valid. */
	void (*undelivered_event)(struct vcpu *v, struct vcpu_event *ev);
	/* Handles the exit (decoding it and calling the shared handlers); false stops. */
	bool (*handle_exit)(struct vcpu *v);

	/* ---- guest state for the shared handlers (vm/exit_*.c) ---- */
	uint64_t (*get_reg)(struct vcpu *v, enum vcpu_reg r);
	/*
	 * Loads a value the shared handler has already checked against the architecture.
	 * CR0/CR4/EFER carry the backend's side effects (VMX: fixed bits, read shadows, the
	 * IA-32e entry control and PAE PDPTEs; SVM: EFER.SVME) and drop the guest's cached
	 * translations. False only when the hardware cannot hold a value the architecture
	 * allows: the guest then gets #GP.
	 */
	bool (*set_reg)(struct vcpu *v, enum vcpu_reg r, uint64_t value);
	/* The guest state the decoder and emulator work on. */
	void (*emul_cpu)(struct vcpu *v, struct x86_emul_cpu *cpu);
	/* The CPL and whether the guest runs 64-bit code (EFER.LMA and CS.L). */
	unsigned (*cpl)(struct vcpu *v);
	bool (*long_mode_code)(struct vcpu *v);
	/* The length of the instruction that caused this exit when the CPU reported it (VMX,
	 * SVM with NRIPS, SVM IOIO's EXITINFO2), else 0: the shared code decodes it. */
	unsigned (*exit_insn_len)(struct vcpu *v);
	/* Ends blocking by STI / MOV SS (the instruction it covered is done). */
	void (*clear_interrupt_shadow)(struct vcpu *v);
	/* Queues the event for the next entry. */
	void (*inject)(struct vcpu *v, const struct vcpu_event *ev);
	/*
	 * An MSR the CPU switches or leaves alone at entry and exit (vcpu_msr's
	 * MSR_GUEST_STATE: SYSENTER, FS/GS base, the SYSCALL MSRs, KERNEL_GS_BASE, TSC_AUX),
	 * read or written where the guest's copy lives: the VMCB/VMCS field, else the register
	 * itself. A write arrives already checked (canonical addresses).
	 */
	void (*switched_msr)(struct vcpu *v, uint32_t msr, uint64_t *value, bool write);
};

#endif
