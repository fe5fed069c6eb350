/* vlapic_timer: the APIC timer, one-shot, periodic and TSC-deadline (SDM 11.5.4). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/* One bus-clock tick per virtual nanosecond (see struct vlapic_timer). */

static uint32_t timer_mode(const struct vlapic *v)
{
	return v->lvt[LVT_TIMER] & APIC_LVT_TIMER_MODE;
}

/* DCR bits 3,1:0 (Figure 11-10): 000 -> 2, 001 -> 4, ... 110 -> 128, 111 -> 1. */
static uint32_t divide_of(uint32_t dcr)
{
	uint32_t code = ((dcr >> 1) & 4) | (dcr & 3);
	return code == 7 ? 1 : 2u << code;
}

static void disarm(struct vlapic *v)
{
	v->timer.armed = false;
	v->timer.deadline_ns = 0;
}

static void start_count(struct vlapic *v, uint64_t remaining_ticks)
{
	v->timer.period_ns = (uint64_t)v->timer.initial_count * v->timer.divide;
	v->timer.deadline_ns = v->now_ns + remaining_ticks * v->timer.divide;
	v->timer.armed = true;
}

/* Changing the timer mode disarms the timer (SDM 11.5.4.1). */
void vlapic_timer_write_lvt(struct vlapic *v, uint32_t old_lvt)
{
	if ((old_lvt & APIC_LVT_TIMER_MODE) == timer_mode(v))
		return;
	disarm(v);
	v->timer.initial_count = 0;
	v->timer.tsc_deadline = 0;
}

/* Writing the initial count (re)starts the count; 0 stops it. Ignored in TSC-deadline mode. */
void vlapic_timer_write_icr(struct vlapic *v, uint32_t count)
{
	if (timer_mode(v) == APIC_LVT_TIMER_TSCDL)
		return;
	v->timer.initial_count = count;
	if (count == 0)
		disarm(v);
	else
		start_count(v, count);
}

/* A new divider keeps the ticks already counted and runs the rest at the new rate. */
void vlapic_timer_write_dcr(struct vlapic *v, uint32_t dcr)
{
	uint32_t remaining = vlapic_timer_read_ccr(v);
	bool running = v->timer.armed && timer_mode(v) != APIC_LVT_TIMER_TSCDL;

	v->timer.dcr = dcr & APIC_DCR_MASK;
	v->timer.divide = divide_of(v->timer.dcr);
	if (running && remaining)
		start_count(v, remaining);
}

uint32_t vlapic_timer_read_ccr(const struct vlapic *v)
{
	uint64_t left;

	if (!v->timer.armed || timer_mode(v) == APIC_LVT_TIMER_TSCDL ||
	    v->now_ns >= v->timer.deadline_ns)
		return 0;
	left = (v->timer.deadline_ns - v->now_ns + v->timer.divide - 1) / v->timer.divide;
	return left > v->timer.initial_count ? v->timer.initial_count : (uint32_t)left;
}

/* IA32_TSC_DEADLINE: armed only in TSC-deadline mode, 0 disarms (SDM 11.5.4.1). */
void vlapic_timer_write_tsc_deadline(struct vlapic *v, uint64_t tsc)
{
	if (timer_mode(v) != APIC_LVT_TIMER_TSCDL)
		return;
	v->timer.tsc_deadline = tsc;
	if (tsc == 0) {
		disarm(v);
		return;
	}
	/* The guest's TSC runs tsc_offset ahead of the VM clock's (modulo 2^64). */
	v->timer.deadline_ns = apic_ns_from_tsc(&v->vm->cfg.tsc, tsc - v->timer.tsc_offset);
	v->timer.armed = true;
}

/*
 * IA32_TSC_DEADLINE compares with the TSC this CPU reads (SDM Vol. 3A 11.5.4.1), so after
 * a write to IA32_TSC an armed deadline is due when the *new* count reaches it.
 */
void vlapic_timer_set_tsc_offset(struct vlapic *v, uint64_t offset)
{
	v->timer.tsc_offset = offset;
	if (v->timer.armed && timer_mode(v) == APIC_LVT_TIMER_TSCDL)
		v->timer.deadline_ns = apic_ns_from_tsc(&v->vm->cfg.tsc,
							v->timer.tsc_deadline - offset);
}

uint64_t vlapic_timer_read_tsc_deadline(const struct vlapic *v)
{
	return timer_mode(v) == APIC_LVT_TIMER_TSCDL ? v->timer.tsc_deadline : 0;
}

/*
 * Fires an expired timer. A masked entry still counts (SDM 11.5.4). A periodic timer
 * that missed several periods fires once and resumes on its period grid: the IRR
 * holds one interrupt per vector anyway.
 */
void vlapic_timer_poll(struct vlapic *v, uint64_t now_ns)
{
	vlapic_set_clock(v, now_ns);
	if (!v->timer.armed || v->now_ns < v->timer.deadline_ns)
		return;
	apic_stat_inc(&v->vm->stats.timer_fired);
	vlapic_deliver_lvt(v, LVT_TIMER);
	if (timer_mode(v) == APIC_LVT_TIMER_PERIODIC && v->timer.period_ns) {
		uint64_t missed = (v->now_ns - v->timer.deadline_ns) / v->timer.period_ns + 1;
		v->timer.deadline_ns += missed * v->timer.period_ns;
		return;
	}
	/* One-shot ends at 0; a TSC deadline that fired reads back 0. */
	disarm(v);
	v->timer.tsc_deadline = 0;
}

/*
 * While a periodic timer's own interrupt still waits in IRR, its next expirations merge
 * into it (SDM 11.8.4) and change nothing the guest sees: no wake-up is needed for them.
 * Waking anyway lets a period shorter than an exit's round trip keep the vCPU exiting
 * for its host timer without running a single instruction (Bochs: a 2 us period whose
 * vector waited behind its own class in service; the stress guest's CPU never moved
 * again). apic_decide() polls before it acknowledges, so the expirations missed
 * meanwhile merge as on the hardware, and the deadline after that lies ahead.
 */
uint64_t vlapic_timer_next_deadline_ns(const struct vlapic *v)
{
	uint32_t lvt = v->lvt[LVT_TIMER];

	if (!v->timer.armed)
		return UINT64_MAX;
	if (timer_mode(v) == APIC_LVT_TIMER_PERIODIC && !(lvt & APIC_LVT_MASKED) &&
	    vec256_test(&v->irr, lvt & APIC_LVT_VECTOR))
		return UINT64_MAX;
	return v->timer.deadline_ns;
}
