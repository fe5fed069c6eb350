/* vlapic_accept: a local APIC accepting interrupt messages, from any CPU (SDM 11.6, 11.8.4). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/*
 * Fixed and lowest-priority messages: TMR records the trigger mode, IRR the request
 * (SDM 11.8.4: "cleared for edge, set for level" on acceptance). A second request for a
 * vector already in IRR merges with it. Vectors 0-15 are illegal (SDM 11.5.3).
 * Returns true when the vector was newly requested.
 */
bool vlapic_accept_fixed(struct vlapic *v, uint8_t vector, bool level)
{
	bool coalesced;

	if (!vlapic_sw_enabled(v))
		return false;	/* a disabled APIC accepts no fixed interrupts */
	if (vector < 16) {
		apic_stat_inc(&v->vm->stats.illegal_vector);
		vlapic_set_error(v, APIC_ESR_RECV_ILLEGAL_VECTOR);
		return false;
	}
	if (level)
		vec256_set_atomic(&v->tmr, vector);
	else
		vec256_clear_atomic(&v->tmr, vector);
	coalesced = vec256_set_atomic(&v->irr, vector);
	if (coalesced)
		apic_stat_inc(&v->vm->stats.coalesced);
	vlapic_notify(v);
	return !coalesced;
}

/* NMI, INIT and SIPI are accepted even by a software-disabled APIC (SDM 11.4.7.2). */
void vlapic_accept_nmi(struct vlapic *v)
{
	__atomic_store_n(&v->nmi_pending, 1, __ATOMIC_RELEASE);
	vlapic_notify(v);
}

void vlapic_accept_init(struct vlapic *v)
{
	__atomic_store_n(&v->init_pending, 1, __ATOMIC_RELEASE);
	vlapic_notify(v);
}

void vlapic_accept_sipi(struct vlapic *v, uint8_t vector)
{
	__atomic_store_n(&v->sipi_pending, 0x100u | vector, __ATOMIC_RELEASE);
	vlapic_notify(v);
}

/* An ExtINT message: this CPU will run an INTA cycle on the 8259 (like LINT0 ExtINT). */
void vlapic_accept_extint(struct vlapic *v)
{
	__atomic_store_n(&v->extint_msg_pending, 1, __ATOMIC_RELEASE);
	vlapic_notify(v);
}

/* Interrupt acknowledge on the owning vCPU: IRR -> ISR, PPR rises (SDM 11.8.4). */
uint8_t vlapic_ack_interrupt(struct vlapic *v, uint8_t vector)
{
	vec256_clear_atomic(&v->irr, vector);
	vec256_set_atomic(&v->isr, vector);
	vlapic_update_ppr(v);
	return vector;
}
