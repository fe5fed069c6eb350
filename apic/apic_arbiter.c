/* apic_arbiter: the next event for a vCPU (NMI, ExtINT, LAPIC), windows, and acknowledgement. */
#include "apic/apic_arbiter.h"
#include "apic/apic_vm.h"
#include "lib/log.h"
#include "lib/string.h"

#define NMI_VECTOR 2

/* Maskable interrupts need IF=1, no STI/MOV-SS shadow and no other event this entry. */
bool apic_interrupt_allowed(const struct apic_intr_state *s)
{
	return s->rflags_if && !s->interrupt_shadow && !s->event_pending;
}

/* NMIs ignore IF but not NMI blocking; the shadow blocks them too (SDM 26.3.1.5 allows it). */
bool apic_nmi_allowed(const struct apic_intr_state *s)
{
	return !s->nmi_blocked && !s->interrupt_shadow && !s->event_pending;
}

static void choose_requeued(struct vlapic *v, const struct apic_intr_state *s,
			    struct apic_decision *d)
{
	/* The event was already accepted by the guest CPU: it goes first, whatever IF says. */
	if (s->event_pending) {
		v->reevaluate = true;
		return;
	}
	d->inject = true;
	d->source = v->requeued.source;
	d->vector = v->requeued.vector;
}

static void choose_nmi(struct vlapic *v, const struct apic_intr_state *s, struct apic_decision *d)
{
	if (!__atomic_load_n(&v->nmi_pending, __ATOMIC_ACQUIRE))
		return;
	if (!d->inject && apic_nmi_allowed(s)) {
		d->inject = true;
		d->source = APIC_SRC_NMI;
		d->vector = NMI_VECTOR;
	} else {
		d->nmi_window = true;
	}
}

/*
 * Maskable interrupts. An ExtINT the vCPU can accept comes first (it bypasses IRR and
 * PPR); while it waits for its window no LAPIC vector is injected ahead of it. The
 * window is requested on exactly the condition under which the window counts as open
 * (seed 003), so window exits never loop.
 */
static void choose_maskable(struct vlapic *v, const struct apic_intr_state *s,
			    struct apic_decision *d)
{
	bool extint = !(v->requeued.valid && v->requeued.source == APIC_SRC_EXTINT) &&
		      apic_extint_pending(v) && apic_extint_can_accept(v);
	int vector;

	if (extint) {
		if (!d->inject && apic_ready_for_extint_injection(v, s)) {
			d->inject = true;
			d->source = APIC_SRC_EXTINT;
			d->vector = vpic_peek_vector(&v->vm->pic);
		} else {
			d->irq_window = APIC_WINDOW_EXTINT;
		}
		return;
	}
	vector = vlapic_highest_deliverable(v);
	if (vector < 0)
		return;
	if (!d->inject && apic_interrupt_allowed(s)) {
		d->inject = true;
		d->source = APIC_SRC_LAPIC;
		d->vector = (uint8_t)vector;
	} else {
		d->irq_window = APIC_WINDOW_LAPIC;
	}
}

static void count_windows(struct vlapic *v, const struct apic_decision *d)
{
	struct apic_stats *st = &v->vm->stats;
	if (d->irq_window == APIC_WINDOW_EXTINT)
		apic_stat_inc(&st->window_extint);
	else if (d->irq_window == APIC_WINDOW_LAPIC)
		apic_stat_inc(&st->window_lapic);
	if (d->nmi_window)
		apic_stat_inc(&st->window_nmi);
}

static void evaluate(struct vlapic *v, const struct apic_intr_state *s, struct apic_decision *d)
{
	v->reevaluate = false;
	if (s->events_held) {
		/* Held, not lost: look again at every entry until the hold ends. */
		v->reevaluate = true;
		vlapic_update_tpr_control(v);
		return;
	}
	if (v->requeued.valid)
		choose_requeued(v, s, d);
	choose_nmi(v, s, d);
	choose_maskable(v, s, d);
	if (d->irq_window != APIC_WINDOW_NONE || d->nmi_window || d->inject)
		v->reevaluate = true;
	/* Seed 001: count this vCPU among those waiting for an ExtINT window, once. */
	if (d->irq_window == APIC_WINDOW_EXTINT)
		apic_irq_window_inhibit_get(v);
	else if (v->irqwin_inhibit_held && !apic_extint_pending(v))
		apic_irq_window_inhibit_put(v);
	count_windows(v, d);
	vlapic_update_tpr_control(v);
}

/*
 * Fast path: nothing changed since the last decision (no event request, no window or
 * re-injection outstanding) means the same "nothing" again, with the TPR controls as
 * the last PPR change left them.
 */
void apic_decide(struct vlapic *v, const struct apic_intr_state *s, uint64_t now_ns,
		 struct apic_decision *d)
{
	memset(d, 0, sizeof(*d));
	vlapic_timer_poll(v, now_ns);
	if (__atomic_exchange_n(&v->event_request, 0, __ATOMIC_ACQ_REL) || v->reevaluate)
		evaluate(v, s, d);
	d->tpr = (uint8_t)v->tpr;
	d->v_tpr = (uint8_t)(v->tpr >> 4);
	d->tpr_threshold = v->tpr_threshold;
	d->cr8_write_intercept = v->cr8_intercept;
}

bool apic_event_requested(const struct vlapic *v)
{
	return __atomic_load_n(&v->event_request, __ATOMIC_ACQUIRE) != 0;
}

static uint8_t ack_source(struct vlapic *v, const struct apic_decision *d)
{
	struct apic_stats *st = &v->vm->stats;
	int best;

	switch (d->source) {
	case APIC_SRC_NMI:
		__atomic_store_n(&v->nmi_pending, 0, __ATOMIC_RELEASE);
		apic_stat_inc(&st->inject_nmi);
		return NMI_VECTOR;
	case APIC_SRC_EXTINT:
		__atomic_store_n(&v->extint_msg_pending, 0, __ATOMIC_RELEASE);
		apic_stat_inc(&st->inject_extint);
		return vpic_intack(&v->vm->pic);
	case APIC_SRC_LAPIC:
		/* A higher vector may have arrived since the decision: the APIC gives that one. */
		best = vlapic_highest_deliverable(v);
		apic_stat_inc(&st->inject_lapic);
		return vlapic_ack_interrupt(v, best >= 0 ? (uint8_t)best : d->vector);
	default:
		return d->vector;
	}
}

/*
 * Commits the injection: NMI pending cleared, ExtINT INTA on the vPIC, LAPIC IRR->ISR.
 * A re-injected event was acknowledged before and is only taken out of its slot.
 */
uint8_t apic_ack(struct vlapic *v, const struct apic_decision *d)
{
	uint8_t vector;

	if (!d->inject)
		return 0;
	if (v->requeued.valid && v->requeued.source == d->source &&
	    v->requeued.vector == d->vector) {
		v->requeued.valid = false;
		vector = d->vector;
	} else {
		vector = ack_source(v, d);
	}
	/* Seed 001: an injection that leaves no ExtINT behind ends this vCPU's wait. */
	if (d->source != APIC_SRC_NMI && !apic_extint_pending(v))
		apic_irq_window_inhibit_put(v);
	return vector;
}

void apic_requeue(struct vlapic *v, enum apic_source source, uint8_t vector)
{
	if (v->requeued.valid)
		log_error("apic: vcpu %u requeue of vector 0x%x over unsent 0x%x", v->vcpu_id,
			  vector, v->requeued.vector);
	v->requeued = (struct vlapic_requeued){ .valid = true, .source = source, .vector = vector };
	v->reevaluate = true;
	apic_stat_inc(&v->vm->stats.requeued);
}
