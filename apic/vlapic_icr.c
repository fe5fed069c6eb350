/* vlapic_icr: sending IPIs through the interrupt command register (SDM 11.6.1). */
#include "apic/apic_msg.h"
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/*
 * Table 11-3 (SDM 11.6.1): the "self" shorthand only sends fixed interrupts. A fixed or
 * lowest-priority IPI with a vector below 16 is not sent and sets "send illegal vector"
 * (SDM 11.5.3). An INIT level de-assert only resynchronises arbitration IDs on old
 * APIC buses and has no effect on the targets.
 */
static bool icr_message_valid(struct vlapic *v, const struct apic_msg *m, bool assert)
{
	if (m->mode == APIC_DM_INIT && m->level && !assert)
		return false;
	if ((m->mode == APIC_DM_FIXED || m->mode == APIC_DM_LOWEST) && m->vector < 16) {
		vlapic_set_error(v, APIC_ESR_SEND_ILLEGAL_VECTOR);
		return false;
	}
	if (m->shorthand == APIC_SH_SELF && m->mode != APIC_DM_FIXED) {
		apic_note_bad_access(v->vm, "self-IPI with a non-fixed delivery mode", m->mode,
				     m->vector);
		return false;
	}
	if (m->mode == 3) {
		apic_note_bad_access(v->vm, "IPI with reserved delivery mode 3", m->vector, 0);
		return false;
	}
	return true;
}

/*
 * `icr` holds the destination in bits 63:32 (x2APIC: 32 bits; xAPIC: bits 63:56).
 * Delivery is immediate, so the delivery-status bit always reads idle.
 */
void vlapic_write_icr(struct vlapic *v, uint64_t icr)
{
	uint32_t lo = (uint32_t)icr & APIC_ICR_LO_WRITABLE;
	bool x2apic = vlapic_mode(v) == VLAPIC_MODE_X2APIC;
	struct apic_msg m = {
		.dest = x2apic ? (uint32_t)(icr >> 32) : (uint32_t)(icr >> 56),
		.logical = lo & APIC_ICR_LOGICAL,
		.x2apic_format = x2apic,
		.shorthand = (lo >> APIC_ICR_SHORTHAND_SHIFT) & 3,
		.mode = (lo >> APIC_ICR_DM_SHIFT) & 7,
		.vector = lo & APIC_ICR_VECTOR,
		.level = lo & APIC_ICR_LEVEL,
		.source = v,
	};

	v->icr_lo = lo;
	v->icr_hi = (uint32_t)(icr >> 32);
	if (!icr_message_valid(v, &m, lo & APIC_ICR_ASSERT))
		return;
	apic_stat_inc(&v->vm->stats.ipi);
	apic_deliver_msg(v->vm, &m);
}

/* x2APIC SELF IPI register (SDM 11.12.11): a fixed, edge-triggered IPI to this APIC. */
void vlapic_self_ipi(struct vlapic *v, uint8_t vector)
{
	apic_stat_inc(&v->vm->stats.self_ipi);
	if (vector < 16) {
		vlapic_set_error(v, APIC_ESR_SEND_ILLEGAL_VECTOR);
		return;
	}
	vlapic_accept_fixed(v, vector, false);
}
