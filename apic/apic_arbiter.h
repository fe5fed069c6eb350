/* apic_arbiter: what the VMX/SVM backends ask before each VM entry; all policy lives here. */
#ifndef NESTOR_APIC_APIC_ARBITER_H
#define NESTOR_APIC_APIC_ARBITER_H

#include <stdbool.h>
#include <stdint.h>

#include "apic/vlapic.h"

/* The guest's interruptibility as the backend read it from the VMCS/VMCB. */
struct apic_intr_state {
	bool rflags_if;
	bool interrupt_shadow;	/* blocking by STI or by MOV SS / POP SS */
	bool event_pending;	/* the backend already injects an event (e.g. an exception) */
	bool nmi_blocked;	/* NMI blocking: the guest is inside its NMI handler */
	/*
	 * Nothing may be injected now, whatever IF says: SVM's GIF is clear (APM 15.17: every
	 * interrupt and NMI is held), or the vCPU runs a nested guest and L1's events reach
	 * L1 as exits (vm/vcpu_nested.h). No window is opened either: the backend tells the
	 * vLAPIC when this ends (vlapic_request_event).
	 */
	bool events_held;
};

enum apic_window {
	APIC_WINDOW_NONE,
	APIC_WINDOW_EXTINT,	/* an 8259 interrupt waits for IF=1 (needs the AVIC inhibit) */
	APIC_WINDOW_LAPIC,	/* a LAPIC interrupt waits for IF=1 */
};

struct apic_decision {
	bool inject;		/* inject `vector` from `source` in this entry, after apic_ack() */
	enum apic_source source;
	uint8_t vector;		/* provisional for EXTINT: apic_ack() returns the real one */
	enum apic_window irq_window;	/* VMX interrupt-window exiting / SVM V_IRQ + VINTR */
	bool nmi_window;	/* VMX NMI-window exiting / SVM IRET intercept */
	/* TPR virtualization, valid in every decision. */
	uint8_t tpr;		/* the guest TPR: virtual-APIC page byte 0x80 (VMX) */
	uint8_t v_tpr;		/* TPR[7:4]: SVM V_TPR and CR8 */
	uint8_t tpr_threshold;	/* VMX TPR_THRESHOLD (0 with VID or without TPR shadow) */
	bool cr8_write_intercept;	/* SVM: intercept CR8 writes */
};

/* INIT / SIPI news for the backend (SDM 9.4.3: INIT, then SIPIs to a waiting AP). */
struct apic_init_sipi {
	bool init;		/* reset the vCPU and let it wait for SIPI */
	bool sipi;		/* start at vector << 12 (CS = vector << 8, IP = 0) */
	uint8_t sipi_vector;
	bool wait_for_sipi;	/* after this: the vCPU must not run until a SIPI */
};

bool apic_interrupt_allowed(const struct apic_intr_state *s);
bool apic_nmi_allowed(const struct apic_intr_state *s);

/* The decision for the next VM entry; the backend calls it before every entry. */
void apic_decide(struct vlapic *v, const struct apic_intr_state *s, uint64_t now_ns,
		 struct apic_decision *d);
/* Commits an injection the decision asked for; returns the vector to inject. */
uint8_t apic_ack(struct vlapic *v, const struct apic_decision *d);
/* The backend could not deliver an injected event (IDT-vectoring info): keep it. */
void apic_requeue(struct vlapic *v, enum apic_source source, uint8_t vector);
/*
 * While the vCPU runs a nested guest: whether L1 has an NMI, and a maskable interrupt it
 * would take with IF = 1, waiting (the nested code turns them into exits to L1).
 */
void apic_pending_for_nested(struct vlapic *v, uint64_t now_ns, bool *nmi, bool *intr);
/* HLT / wait: would an event wake this vCPU now? */
bool apic_has_wakeup_event(struct vlapic *v, const struct apic_intr_state *s, uint64_t now_ns);
/* Polled by the backend: pending INIT (with the LAPIC already INIT-reset) and SIPI. */
bool apic_take_init_sipi(struct vlapic *v, struct apic_init_sipi *out);
/* True when an event request is pending: check it with interrupts off right before entry. */
bool apic_event_requested(const struct vlapic *v);

/* Seed 003: ExtINT acceptance and the ExtINT IRQ window agree. */
bool apic_extint_pending(const struct vlapic *v);
bool apic_extint_can_accept(const struct vlapic *v);
bool apic_ready_for_extint_injection(const struct vlapic *v, const struct apic_intr_state *s);

#endif
