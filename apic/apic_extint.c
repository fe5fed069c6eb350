/* apic_extint: when an 8259 (ExtINT) interrupt can be accepted, and when its window opens. */
#include "apic/apic_arbiter.h"
#include "apic/apic_vm.h"

/* An ExtINT acknowledged on the PIC but not yet delivered sits in the requeue slot. */
static bool extint_held(const struct vlapic *v)
{
	return v->requeued.valid && v->requeued.source == APIC_SRC_EXTINT;
}

/* The PIC's INT reaches this vCPU through LINT0 (or INTR) or an ExtINT message. */
static bool pic_routed_here(const struct vlapic *v)
{
	return vlapic_lint0_accepts_pic(v) ||
	       __atomic_load_n(&v->extint_msg_pending, __ATOMIC_ACQUIRE);
}

bool apic_extint_pending(const struct vlapic *v)
{
	return extint_held(v) || (pic_routed_here(v) && vpic_has_output(&v->vm->pic));
}

/*
 * Seed 003_aac2c8559ed01284.txt: "can an ExtINT be accepted" means "is there a place to
 * stash it": no ExtINT is already held and the 8259 can reach the CPU (LINT0 unmasked
 * in ExtINT mode, the APIC hardware-disabled, or an ExtINT message). A LAPIC interrupt
 * in the IRR does not matter: ExtINT bypasses the IRR and is taken first.
 */
bool apic_extint_can_accept(const struct vlapic *v)
{
#ifdef APIC_SEED003_OLD_BEHAVIOUR
	return vlapic_lint0_accepts_pic(v);	/* old kvm_cpu_accept_dm_intr() */
#else
	return !extint_held(v) && pic_routed_here(v);
#endif
}

#ifdef APIC_SEED003_OLD_BEHAVIOUR
/* The old kvm_cpu_has_interrupt(): a held ExtINT or any deliverable LAPIC interrupt. */
static bool old_has_interrupt(const struct vlapic *v)
{
	return extint_held(v) || vlapic_highest_deliverable(v) >= 0;
}
#endif

/*
 * The IRQ window for an ExtINT is open when the guest takes maskable interrupts and
 * the vCPU can accept one: the same condition that decides whether to ask for the
 * window, so a window exit always makes progress. The old logic also demanded "no
 * interrupt pending" (which a LAPIC interrupt made false forever) and "no event being
 * re-injected": the window was requested but never considered open.
 */
bool apic_ready_for_extint_injection(const struct vlapic *v, const struct apic_intr_state *s)
{
#ifdef APIC_SEED003_OLD_BEHAVIOUR
	return apic_interrupt_allowed(s) && !old_has_interrupt(v) && !s->event_pending &&
	       apic_extint_can_accept(v);
#else
	return apic_interrupt_allowed(s) && apic_extint_can_accept(v);
#endif
}
