/* vlapic_ppr: task, processor and arbitration priorities (SDM Vol 3A 11.8.3.1, 11.6.2.4). */
#include "apic/apic_vm.h"

/* PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0 (SDM 11.8.3.1). */
static uint32_t compute_ppr(uint32_t tpr, int isrv)
{
	uint32_t isr_class = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0);
	return (tpr & 0xf0) >= isr_class ? tpr : isr_class;
}

/*
 * Every PPR change ends here. A deliverable interrupt makes the next decision evaluate
 * (it will also refresh the TPR threshold); no deliverable interrupt means nobody else
 * would look at the threshold, so it is refreshed right now (seed 000).
 */
void vlapic_update_ppr(struct vlapic *v)
{
	__atomic_store_n(&v->ppr, compute_ppr(v->tpr, vec256_highest(&v->isr)), __ATOMIC_RELAXED);
	if (vlapic_highest_deliverable(v) >= 0)
		vlapic_request_event(v);
	else
		vlapic_ppr_changed_without_interrupt(v);
}

/*
 * Arbitration priority as the P6/Pentium APIC defines it (SDM 11.6.2.4): the TPR when
 * it dominates both the highest request and the highest in-service vector, else the
 * highest of their classes. Newer APICs keep the register readable for compatibility.
 */
uint32_t vlapic_apr(const struct vlapic *v)
{
	int irrv = vec256_highest(&v->irr), isrv = vec256_highest(&v->isr);
	uint32_t tpr_class = v->tpr >> 4;
	uint32_t irr_class = irrv < 0 ? 0 : (uint32_t)irrv >> 4;
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv >> 4;
	uint32_t max = tpr_class;

	if (tpr_class >= irr_class && tpr_class > isr_class)
		return v->tpr;
	if (irr_class > max)
		max = irr_class;
	if (isr_class > max)
		max = isr_class;
	return max << 4;
}

/*
 * The vector the APIC would hand the CPU now: the highest IRR vector whose class is
 * above PPR[7:4] (SDM 11.8.4). A software-disabled APIC delivers nothing.
 */
int vlapic_highest_deliverable(const struct vlapic *v)
{
	int irrv;

	if (!vlapic_sw_enabled(v))
		return -1;
	irrv = vec256_highest(&v->irr);
	if (irrv < 0 || ((uint32_t)irrv & 0xf0) <= (__atomic_load_n(&v->ppr, __ATOMIC_RELAXED) & 0xf0))
		return -1;
	return irrv;
}

void vlapic_set_tpr(struct vlapic *v, uint32_t tpr)
{
	__atomic_store_n(&v->tpr, tpr & 0xff, __ATOMIC_RELAXED);	/* read by lowest-priority senders */
	vlapic_update_ppr(v);
}

/*
 * VMX TPR shadow / SVM V_TPR: the guest changed its TPR without an exit (CR8 or the
 * virtual-APIC page byte 0x80); the backend reports the value it found before deciding.
 */
void vlapic_sync_tpr_from_vapic(struct vlapic *v, uint8_t vtpr)
{
	if (vtpr != v->tpr)
		vlapic_set_tpr(v, vtpr);
}

/*
 * VMX exit reason 43 (SDM Vol 3C 30.1.2): VTPR[7:4] fell below TPR_THRESHOLD[3:0].
 * The backend synced the VTPR first; the PPR update refreshes the threshold even when
 * the interrupt is still blocked (by the ISR), so the next VM entry passes the check
 * of SDM 26.2.1.1 (seed 000).
 */
void vlapic_tpr_below_threshold_exit(struct vlapic *v)
{
	apic_stat_inc(&v->vm->stats.tpr_below_threshold_exits);
	vlapic_update_ppr(v);
}
