/* tpr_threshold: the VMX TPR threshold and SVM CR8 intercept, kept right on every PPR change. */
#include "apic/apic_vm.h"

/*
 * With TPR shadow and no virtual-interrupt delivery the CPU exits when the guest lowers
 * VTPR[7:4] below TPR_THRESHOLD[3:0] (SDM Vol 3C 30.1.2); SVM exits on CR8 writes when
 * they are intercepted. Both are wanted only while the highest pending interrupt is
 * blocked by the TPR itself: threshold = that interrupt's class, else 0. Because the
 * threshold is never above TPR[7:4], the entry check of SDM 26.2.1.1 holds.
 */
void vlapic_update_tpr_control(struct vlapic *v)
{
	uint8_t threshold = 0;
	bool intercept = false;
	int irrv = vec256_highest(&v->irr);

	if (irrv >= 0 && vlapic_sw_enabled(v) &&
	    !(v->vm->cfg.apicv && !apic_inhibited(v->vm))) {
		unsigned irr_class = (unsigned)irrv >> 4, tpr_class = v->tpr >> 4;
		if (irr_class <= tpr_class) {
			threshold = (uint8_t)irr_class;
			intercept = true;
		}
	}
	if (threshold != v->tpr_threshold)
		apic_stat_inc(&v->vm->stats.tpr_threshold_updates);
	v->tpr_threshold = threshold;
	v->cr8_intercept = intercept;
}

/*
 * Seed 000_25d95b5c761a3f83.txt: KVM's handle_tpr_below_threshold() only updated PPR,
 * which re-evaluates the threshold only when an interrupt became deliverable; with the
 * pending interrupt still blocked by the ISR the stale, high TPR_THRESHOLD stayed in the
 * VMCS and the next entry failed with VM-instruction error 7. nestor refreshes the
 * threshold / CR8 intercept on every PPR change that finds nothing deliverable (TPR and
 * CR8 writes, TPR-below-threshold exits, EOIs, INIT and state restore all get here).
 */
void vlapic_ppr_changed_without_interrupt(struct vlapic *v)
{
#ifdef APIC_SEED000_OLD_BEHAVIOUR
	(void)v;	/* the old logic: leave the threshold as the last decision set it */
#else
	vlapic_update_tpr_control(v);
#endif
}
