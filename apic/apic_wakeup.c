/* apic_wakeup: HLT wake-up and the INIT / SIPI protocol as the backend sees it (SDM 9.4, 11.6.1). */
#include "apic/apic_arbiter.h"
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"
#include "lib/string.h"

/*
 * HLT ends on NMI, INIT, SIPI (for a waiting AP) and, with IF=1, on a maskable interrupt
 * the APIC would deliver (SDM Vol 2 HLT). The interrupt shadow does not matter here.
 */
bool apic_has_wakeup_event(struct vlapic *v, const struct apic_intr_state *s, uint64_t now_ns)
{
	vlapic_timer_poll(v, now_ns);
	if (__atomic_load_n(&v->nmi_pending, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE) || v->requeued.valid)
		return true;
	if (v->wait_for_sipi && __atomic_load_n(&v->sipi_pending, __ATOMIC_ACQUIRE))
		return true;
	if (!s->rflags_if)
		return false;
	return (apic_extint_pending(v) && apic_extint_can_accept(v)) ||
	       vlapic_highest_deliverable(v) >= 0;
}

void apic_pending_for_nested(struct vlapic *v, uint64_t now_ns, bool *nmi, bool *intr)
{
	vlapic_timer_poll(v, now_ns);
	bool requeued = v->requeued.valid;
	*nmi = __atomic_load_n(&v->nmi_pending, __ATOMIC_ACQUIRE) ||
	       (requeued && v->requeued.source == APIC_SRC_NMI);
	*intr = (requeued && v->requeued.source != APIC_SRC_NMI) ||
		(apic_extint_pending(v) && apic_extint_can_accept(v)) ||
		vlapic_highest_deliverable(v) >= 0;
}

/*
 * INIT resets the APIC (keeping base and ID) and puts an AP into wait-for-SIPI; the
 * BSP restarts at the reset vector. A SIPI starts only a waiting AP; any other is
 * dropped. INIT is handled before a SIPI that arrived with it.
 */
bool apic_take_init_sipi(struct vlapic *v, struct apic_init_sipi *out)
{
	uint32_t sipi;

	memset(out, 0, sizeof(*out));
	if (__atomic_exchange_n(&v->init_pending, 0, __ATOMIC_ACQ_REL)) {
		vlapic_init_reset(v);
		v->wait_for_sipi = !(v->apic_base & APIC_BASE_BSP);
		out->init = true;
	}
	sipi = __atomic_exchange_n(&v->sipi_pending, 0, __ATOMIC_ACQ_REL);
	if (sipi && v->wait_for_sipi) {
		v->wait_for_sipi = false;
		out->sipi = true;
		out->sipi_vector = (uint8_t)sipi;
	}
	out->wait_for_sipi = v->wait_for_sipi;
	return out->init || out->sipi;
}
