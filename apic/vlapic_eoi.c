/* vlapic_eoi: end of interrupt, and whether it is broadcast to the I/O APIC (seed 002). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/*
 * Seed 002_de1cbf97973f35a6.txt: with SPIV bit 12 ("Suppress EOI Broadcasts", Directed
 * EOI, SDM 11.8.5) set, the local APIC does not send the EOI of a level-triggered vector
 * to the I/O APICs; the guest EOIs the I/O APIC itself through its EOI register. KVM's
 * split irqchip broadcast anyway, so a line still asserted was re-delivered on every
 * LAPIC EOI and Windows/Hyper-V livelocked in an interrupt storm.
 */
bool vlapic_eoi_broadcasts(const struct vlapic *v, bool level)
{
	if (!level)
		return false;	/* edge-triggered vectors never involve the I/O APIC */
#ifdef APIC_SEED002_OLD_BEHAVIOUR
	(void)v;
	return true;
#else
	return !(v->spiv & APIC_SPIV_DIRECTED_EOI);
#endif
}

/* Level LINT entries hold Remote IRR until the EOI of their vector (SDM 11.5.1). */
static void clear_lint_remote_irr(struct vlapic *v, uint8_t vector)
{
	for (unsigned i = LVT_LINT0; i <= LVT_LINT1; i++) {
		if ((v->lvt[i] & APIC_LVT_VECTOR) == vector)
			v->lvt[i] &= ~APIC_LVT_REMOTE_IRR;
	}
}

/*
 * An EOI retires the highest in-service vector (SDM 11.8.5). An EOI with nothing in
 * service is counted and otherwise ignored.
 */
void vlapic_eoi(struct vlapic *v)
{
	int vector = vec256_highest(&v->isr);
	bool level;

	if (vector < 0) {
		apic_stat_inc(&v->vm->stats.eoi_spurious);
		return;
	}
	apic_stat_inc(&v->vm->stats.eoi);
	vec256_clear_atomic(&v->isr, (unsigned)vector);
	level = vec256_test(&v->tmr, (unsigned)vector);
	vlapic_update_ppr(v);
	if (!level)
		return;
	clear_lint_remote_irr(v, (uint8_t)vector);
	if (vlapic_eoi_broadcasts(v, level)) {
		apic_stat_inc(&v->vm->stats.eoi_broadcast);
		vioapic_eoi(&v->vm->ioapic, (uint8_t)vector);
	} else {
		apic_stat_inc(&v->vm->stats.eoi_suppressed);
	}
}
