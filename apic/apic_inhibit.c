/* apic_inhibit: named APIC-virtualization inhibits and the counted IRQ-window inhibit (seed 001). */
#include "apic/apic_vm.h"
#include "lib/log.h"

static const char *const inhibit_names[APIC_INHIBIT_COUNT] = {
	[APIC_INHIBIT_DISABLED] = "disabled",
	[APIC_INHIBIT_IRQWIN] = "irq-window",
	[APIC_INHIBIT_APIC_ID_MODIFIED] = "apic-id-modified",
	[APIC_INHIBIT_APIC_BASE_MODIFIED] = "apic-base-modified",
	[APIC_INHIBIT_NESTED] = "nested",
};

const char *apic_inhibit_name(enum apic_inhibit_reason reason)
{
	return (unsigned)reason < APIC_INHIBIT_COUNT ? inhibit_names[reason] : "?";
}

/* Lock held. Tells the backend when the VM as a whole flips between inhibited and not. */
static void set_locked(struct apic_vm *vm, enum apic_inhibit_reason reason, bool set)
{
	uint32_t old = vm->inhibits.reasons, bit = 1u << reason;
	uint32_t new = set ? old | bit : old & ~bit;

	if (old == new)
		return;
	__atomic_store_n(&vm->inhibits.reasons, new, __ATOMIC_RELEASE);
	if (reason == APIC_INHIBIT_IRQWIN)
		apic_stat_inc(&vm->stats.irqwin_inhibit_toggles);
	log_debug("apic: inhibit %s %s", apic_inhibit_name(reason), set ? "set" : "cleared");
	if ((old != 0) != (new != 0) && vm->cfg.apicv_update)
		vm->cfg.apicv_update(vm->cfg.ctx, new != 0);
}

void apic_inhibit_set(struct apic_vm *vm, enum apic_inhibit_reason reason, bool set)
{
	if ((unsigned)reason >= APIC_INHIBIT_COUNT) {
		log_error("apic: unknown inhibit reason %u", (unsigned)reason);
		return;
	}
	spin_lock(&vm->inhibits.lock);
	set_locked(vm, reason, set);
	spin_unlock(&vm->inhibits.lock);
}

uint32_t apic_inhibit_reasons(struct apic_vm *vm)
{
	return __atomic_load_n(&vm->inhibits.reasons, __ATOMIC_ACQUIRE);
}

bool apic_inhibit_test(struct apic_vm *vm, enum apic_inhibit_reason reason)
{
	return (apic_inhibit_reasons(vm) >> reason) & 1;
}

bool apic_inhibited(struct apic_vm *vm)
{
	return apic_inhibit_reasons(vm) != 0;
}

/*
 * Seed 001_42c9484579bcd42d.txt: the IRQ-window inhibit is VM-wide but requested per
 * vCPU (AVIC ignores V_IRQ, so an ExtINT window needs AVIC off). With a plain set/clear
 * the first vCPU served cleared it while another still waited, and AVIC toggled
 * rapidly. nestor counts waiting vCPUs (each at most once, via irqwin_inhibit_held) and
 * flips the reason only on 0->1 and 1->0, under the inhibit lock so the transition and
 * the reason bit never disagree.
 */
#ifndef APIC_SEED001_OLD_BEHAVIOUR
static void irq_window_count(struct apic_vm *vm, int delta)
{
	spin_lock(&vm->inhibits.lock);
	int n = __atomic_add_fetch(&vm->inhibits.nr_irq_window_req, delta, __ATOMIC_ACQ_REL);
	if (n == (delta > 0 ? 1 : 0))
		set_locked(vm, APIC_INHIBIT_IRQWIN, delta > 0);
	spin_unlock(&vm->inhibits.lock);
}
#endif

void apic_irq_window_inhibit_get(struct vlapic *v)
{
	if (!v->vm->cfg.apicv)
		return;
#ifdef APIC_SEED001_OLD_BEHAVIOUR
	v->irqwin_inhibit_held = true;
	apic_inhibit_set(v->vm, APIC_INHIBIT_IRQWIN, true);	/* old: plain set */
#else
	if (v->irqwin_inhibit_held)
		return;
	v->irqwin_inhibit_held = true;
	irq_window_count(v->vm, 1);
#endif
}

void apic_irq_window_inhibit_put(struct vlapic *v)
{
	if (!v->vm->cfg.apicv)
		return;
#ifdef APIC_SEED001_OLD_BEHAVIOUR
	v->irqwin_inhibit_held = false;
	apic_inhibit_set(v->vm, APIC_INHIBIT_IRQWIN, false);	/* old: cleared for everyone */
#else
	if (!v->irqwin_inhibit_held)
		return;
	v->irqwin_inhibit_held = false;
	irq_window_count(v->vm, -1);
#endif
}
