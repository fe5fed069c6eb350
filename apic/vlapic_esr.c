/* vlapic_esr: the error status register and the error LVT (SDM 11.5.3). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/*
 * Errors accumulate until software writes the ESR; each newly detected error raises
 * the error LVT. Senders on other CPUs report "received illegal vector" here too, so
 * the accumulator is atomic. The recursion through an illegal error vector stops
 * because the second report finds its bit already set.
 */
void vlapic_set_error(struct vlapic *v, uint32_t esr_bit)
{
	uint32_t old = __atomic_fetch_or(&v->esr_pending, esr_bit, __ATOMIC_ACQ_REL);
	if (!(old & esr_bit))
		vlapic_deliver_lvt(v, LVT_ERROR);
}

/* A write (of any value in xAPIC mode, of 0 in x2APIC mode) latches the errors seen since the last. */
void vlapic_write_esr(struct vlapic *v)
{
	v->esr = __atomic_exchange_n(&v->esr_pending, 0, __ATOMIC_ACQ_REL);
}
