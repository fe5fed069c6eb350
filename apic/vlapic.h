/* vlapic: one vCPU's virtual local APIC, xAPIC (MMIO) and x2APIC (MSR) views of one state. */
#ifndef NESTOR_APIC_VLAPIC_H
#define NESTOR_APIC_VLAPIC_H

#include "apic/tpr_rule.h"
#include <stdbool.h>
#include <stdint.h>

#include "apic/vec256.h"
#include "lib/mmio_bus.h"

struct apic_vm;

enum vlapic_mode {
	VLAPIC_MODE_DISABLED,	/* IA32_APIC_BASE.EN = 0: the INTR pin goes straight to the CPU */
	VLAPIC_MODE_XAPIC,
	VLAPIC_MODE_X2APIC,
};

/* What a register access means for the guest: the backend turns GP into #GP(0). */
enum apic_access {
	APIC_ACCESS_OK = 0,
	APIC_ACCESS_GP = 1,
};

enum vlapic_lvt {
	LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_CMCI,
	LVT_COUNT,
};

/* Where the next injected event comes from. */
enum apic_source {
	APIC_SRC_NONE,
	APIC_SRC_NMI,
	APIC_SRC_EXTINT,	/* an 8259 vector fetched by an INTA cycle (LINT0 or an ExtINT message) */
	APIC_SRC_LAPIC,		/* a vector from the IRR */
};

/*
 * The timer counts down at the APIC bus clock divided by DCR; nestor's bus clock is one
 * tick per virtual nanosecond, so all timer arithmetic stays in integers.
 */
struct vlapic_timer {
	uint64_t deadline_ns;	/* next expiry; 0 = not armed */
	uint64_t period_ns;	/* length of one full count */
	uint64_t tsc_deadline;	/* IA32_TSC_DEADLINE as the guest wrote it */
	uint64_t tsc_offset;	/* this vCPU's TSC minus the VM clock's (after IA32_TSC writes) */
	bool armed;
	uint32_t initial_count;
	uint32_t dcr;
	uint32_t divide;	/* 1, 2, 4, ... 128 */
};

/* An event the backend could not deliver, kept for re-injection before anything else. */
struct vlapic_requeued {
	bool valid;
	enum apic_source source;
	uint8_t vector;
};

struct vlapic {
	struct apic_vm *vm;
	unsigned vcpu_id;

	/* Architectural state, written only by the owning vCPU (read by senders with relaxed loads). */
	uint64_t apic_base;
	uint32_t xapic_id;	/* ID register in xAPIC mode: APIC ID in bits 31:24 */
	uint32_t tpr, ppr;
	uint32_t ldr, dfr, spiv;
	uint32_t esr, esr_pending;
	uint32_t icr_lo, icr_hi;
	uint32_t lvt[LVT_COUNT];
	struct vec256 irr, isr, tmr;
	struct vlapic_timer timer;
	bool lint_level[2];
	uint64_t now_ns;	/* the backend's clock at the current exit */

	/* Signals from other CPUs (atomics). */
	uint32_t event_request;	/* something changed: the next decision must look */
	uint32_t nmi_pending;
	uint32_t init_pending;
	uint32_t sipi_pending;	/* vector + 0x100 when valid */
	uint32_t extint_msg_pending;

	/* Owner-only bookkeeping of the arbiter. */
	bool wait_for_sipi;
	bool reevaluate;	/* a window or re-injection is outstanding: no fast path */
	bool irqwin_inhibit_held;
	struct vlapic_requeued requeued;
	uint8_t tpr_threshold;	/* VMX TPR_THRESHOLD, kept valid by every PPR change (seed 000) */
	bool cr8_intercept;	/* SVM: intercept CR8 writes */
};

/* Creation and reset (vlapic_init.c). */
void vlapic_create(struct vlapic *v, struct apic_vm *vm, unsigned vcpu_id, bool bsp);
void vlapic_reset(struct vlapic *v);		/* power-on / RESET */
void vlapic_init_reset(struct vlapic *v);	/* INIT: keeps APIC base and ID */
enum vlapic_mode vlapic_mode(const struct vlapic *v);
bool vlapic_sw_enabled(const struct vlapic *v);
uint32_t vlapic_id(const struct vlapic *v);	/* the APIC ID in the current mode */
void vlapic_set_clock(struct vlapic *v, uint64_t now_ns);
/* The next decision must evaluate; vlapic_notify also kicks the vCPU (for other CPUs). */
void vlapic_request_event(struct vlapic *v);
void vlapic_notify(struct vlapic *v);
/* A guest access nestor refuses: counted, logged (warn for the first few, then debug). */
void apic_note_bad_access(struct apic_vm *vm, const char *what, uint64_t a, uint64_t b);

/* Priorities (vlapic_ppr.c), SDM 11.8.3.1. */
void vlapic_update_ppr(struct vlapic *v);
uint32_t vlapic_apr(const struct vlapic *v);
int vlapic_highest_deliverable(const struct vlapic *v);
void vlapic_set_tpr(struct vlapic *v, uint32_t tpr);
void vlapic_sync_tpr_from_vapic(struct vlapic *v, uint8_t vtpr);
void vlapic_tpr_below_threshold_exit(struct vlapic *v);

/* TPR threshold / CR8 intercept (tpr_threshold.c), seed 000. */
void vlapic_update_tpr_control(struct vlapic *v);
void vlapic_ppr_changed_without_interrupt(struct vlapic *v);

/* Register file (vlapic_read.c, vlapic_write.c): offset is an xAPIC offset. */
enum apic_access vlapic_reg_read(struct vlapic *v, unsigned offset, uint64_t *value);
enum apic_access vlapic_reg_write(struct vlapic *v, unsigned offset, uint64_t value);
uint32_t vlapic_spiv_mask(const struct vlapic *v);
bool vlapic_reg_read_only(unsigned offset);
bool vlapic_handles_msr(uint32_t msr);
extern const struct mmio_bus_ops vlapic_mmio_ops;	/* dev = struct vlapic */
enum apic_access vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t *value);
enum apic_access vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t value);
enum apic_access vlapic_set_apic_base(struct vlapic *v, uint64_t value);
uint64_t vlapic_get_apic_base(const struct vlapic *v);

/* Errors (vlapic_esr.c), SDM 11.5.3. */
void vlapic_set_error(struct vlapic *v, uint32_t esr_bit);
void vlapic_write_esr(struct vlapic *v);

/* Local vector table (vlapic_lvt.c). */
uint32_t vlapic_lvt_write_mask(enum vlapic_lvt which);
void vlapic_write_lvt(struct vlapic *v, enum vlapic_lvt which, uint32_t value);
bool vlapic_deliver_lvt(struct vlapic *v, enum vlapic_lvt which);
void vlapic_set_lint(struct vlapic *v, unsigned lint, bool level);
bool vlapic_lint0_accepts_pic(const struct vlapic *v);

/* Timer (vlapic_timer.c), SDM 11.5.4. */
void vlapic_timer_write_lvt(struct vlapic *v, uint32_t old_lvt);
void vlapic_timer_write_icr(struct vlapic *v, uint32_t count);
void vlapic_timer_write_dcr(struct vlapic *v, uint32_t dcr);
uint32_t vlapic_timer_read_ccr(const struct vlapic *v);
void vlapic_timer_write_tsc_deadline(struct vlapic *v, uint64_t tsc);
/* The vCPU's TSC moved (a write to IA32_TSC): deadlines are read against the new count. */
void vlapic_timer_set_tsc_offset(struct vlapic *v, uint64_t offset);
uint64_t vlapic_timer_read_tsc_deadline(const struct vlapic *v);
void vlapic_timer_poll(struct vlapic *v, uint64_t now_ns);
uint64_t vlapic_timer_next_deadline_ns(const struct vlapic *v);

/* Accepting messages (vlapic_accept.c), SDM 11.6 / 11.8.4. */
bool vlapic_accept_fixed(struct vlapic *v, uint8_t vector, bool level);
void vlapic_accept_nmi(struct vlapic *v);
void vlapic_accept_init(struct vlapic *v);
void vlapic_accept_sipi(struct vlapic *v, uint8_t vector);
void vlapic_accept_extint(struct vlapic *v);
uint8_t vlapic_ack_interrupt(struct vlapic *v, uint8_t vector);

/* EOI (vlapic_eoi.c), seed 002. */
void vlapic_eoi(struct vlapic *v);
bool vlapic_eoi_broadcasts(const struct vlapic *v, bool level);

/* Sending IPIs (vlapic_icr.c). */
void vlapic_write_icr(struct vlapic *v, uint64_t icr);
void vlapic_self_ipi(struct vlapic *v, uint8_t vector);

#endif
