/* vlapic_lvt: the local vector table, local interrupts and the LINT pins (SDM 11.5.1). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/* Writable bits per entry (Figure 11-8): the timer has a mode, LINTs polarity and trigger. */
uint32_t vlapic_lvt_write_mask(enum vlapic_lvt which)
{
	switch (which) {
	case LVT_TIMER:
		return APIC_LVT_VECTOR | APIC_LVT_MASKED | APIC_LVT_TIMER_MODE;
	case LVT_LINT0:
	case LVT_LINT1:
		return APIC_LVT_VECTOR | APIC_LVT_DM_MASK | APIC_LVT_POLARITY | APIC_LVT_LEVEL |
		       APIC_LVT_MASKED;
	case LVT_ERROR:
		return APIC_LVT_VECTOR | APIC_LVT_MASKED;
	default:	/* thermal, performance counters, CMCI */
		return APIC_LVT_VECTOR | APIC_LVT_DM_MASK | APIC_LVT_MASKED;
	}
}

void vlapic_write_lvt(struct vlapic *v, enum vlapic_lvt which, uint32_t value)
{
	uint32_t old = v->lvt[which];

	value &= vlapic_lvt_write_mask(which);
	/* A software-disabled APIC keeps every entry masked (SDM 11.4.7.2). */
	if (!(v->spiv & APIC_SPIV_ENABLE))
		value |= APIC_LVT_MASKED;
	if (which == LVT_LINT0 || which == LVT_LINT1)
		value |= old & APIC_LVT_REMOTE_IRR;
	__atomic_store_n(&v->lvt[which], value, __ATOMIC_RELAXED);	/* the vPIC reads LINT0 */
	if (which == LVT_TIMER)
		vlapic_timer_write_lvt(v, old);
	if (which == LVT_LINT0)
		vlapic_request_event(v);	/* ExtINT acceptance may have changed */
}

static unsigned lvt_delivery_mode(enum vlapic_lvt which, uint32_t lvt)
{
	/* The timer and error entries have no delivery-mode field: always fixed. */
	if (which == LVT_TIMER || which == LVT_ERROR)
		return APIC_DM_FIXED;
	return (lvt & APIC_LVT_DM_MASK) >> 8;
}

/* Raises the entry's interrupt; false when masked or not deliverable. */
bool vlapic_deliver_lvt(struct vlapic *v, enum vlapic_lvt which)
{
	uint32_t lvt = v->lvt[which];
	uint8_t vector = lvt & APIC_LVT_VECTOR;
	bool lint = which == LVT_LINT0 || which == LVT_LINT1;
	bool level;

	if (lvt & APIC_LVT_MASKED)
		return false;
	switch (lvt_delivery_mode(which, lvt)) {
	case APIC_DM_FIXED:
		if (vector < 16) {
			vlapic_set_error(v, APIC_ESR_RECV_ILLEGAL_VECTOR);
			return false;
		}
		/* Only LINT entries can be level-triggered; they hold Remote IRR until EOI. */
		level = lint && (lvt & APIC_LVT_LEVEL);
		if (level)
			v->lvt[which] |= APIC_LVT_REMOTE_IRR;
		vlapic_accept_fixed(v, vector, level);
		return true;
	case APIC_DM_NMI:
		vlapic_accept_nmi(v);
		return true;
	case APIC_DM_INIT:
		vlapic_accept_init(v);
		return true;
	case APIC_DM_SMI:
		apic_stat_inc(&v->vm->stats.smi_dropped);
		return false;
	case APIC_DM_EXTINT:
		/* LINT0 in ExtINT mode is sampled by the arbiter from the vPIC's output. */
		return false;
	default:
		apic_note_bad_access(v->vm, "LVT with reserved delivery mode", which, lvt);
		return false;
	}
}

/*
 * A platform device drives LINT0/LINT1. Edge entries fire on the rising edge; a
 * level-triggered fixed entry fires while the pin is high and Remote IRR is clear. With
 * the APIC hardware-disabled the pins are the CPU's INTR and NMI (SDM 11.4.3).
 */
void vlapic_set_lint(struct vlapic *v, unsigned lint, bool level)
{
	enum vlapic_lvt which = lint ? LVT_LINT1 : LVT_LINT0;
	bool rising = level && !v->lint_level[lint & 1];
	uint32_t lvt = v->lvt[which];

	v->lint_level[lint & 1] = level;
	if (vlapic_mode(v) == VLAPIC_MODE_DISABLED) {
		if (lint && rising)
			vlapic_accept_nmi(v);
		return;
	}
	if ((lvt & APIC_LVT_LEVEL) && lvt_delivery_mode(which, lvt) == APIC_DM_FIXED) {
		if (level && !(lvt & APIC_LVT_REMOTE_IRR))
			vlapic_deliver_lvt(v, which);
	} else if (rising) {
		vlapic_deliver_lvt(v, which);
	}
}

/*
 * The 8259's INTR reaches this CPU when the APIC is hardware-disabled (INTR pin) or
 * LINT0 is unmasked in ExtINT mode (virtual-wire mode, SDM 11.5.1 / MP spec 3.6.2).
 */
bool vlapic_lint0_accepts_pic(const struct vlapic *v)
{
	uint32_t lvt0 = __atomic_load_n(&v->lvt[LVT_LINT0], __ATOMIC_RELAXED);

	if (vlapic_mode(v) == VLAPIC_MODE_DISABLED)
		return true;
	return !(lvt0 & APIC_LVT_MASKED) && ((lvt0 & APIC_LVT_DM_MASK) >> 8) == APIC_DM_EXTINT;
}
