/* timer: the LAPIC timer in its three modes and PIT channel 0 one-shots through the 8259. */
#include "stress.h"
#include "pic.h"
#include "pit.h"

/*
 * One-shot and TSC-deadline arms are owed exactly one delivery each: they are never
 * cancelled (a cancel racing the expiry has no exact answer), only re-armed from their
 * own handler or from the main loop once they fired.
 *
 * Periodic: expirations while the vector waits in IRR merge (SDM 10.8.4), so a periodic
 * delivery is owed only once it arrives. The handler stops the timer after 4-12 of them
 * (initial count 0, SDM 10.5.4); if another expiration is then already in IRR, that one
 * is owed too, and any delivery after it is a duplicate. Upward the count is bounded by
 * the architecture: no more deliveries than periods elapsed between arming and stopping
 * (TSC time, with 10% and two periods of slack for the TSC's calibration).
 */
#define DIVIDE_CODES	5
static const uint8_t divide_code[DIVIDE_CODES] = { 0xb, 0x0, 0x1, 0x2, 0x3 };	/* 1,2,4,8,16 */

struct periodic_arm {
	uint64_t start_tsc, period_ns, stop_tsc;
	unsigned delivered;
	bool tail;
};
static struct periodic_arm parm[NCPU];

/* 2 us to ~260 us, spread over powers of two. */
static uint64_t random_ns(struct stress_cpu *c)
{
	return (2000ull << rng_below(c, 8)) + rng_below(c, 2000);
}

/* Arms the count for about `ns` with a random divider; returns the exact period in ns. */
static uint64_t count_ns(struct stress_cpu *c, uint64_t ns)
{
	unsigned d = rng_below(c, DIVIDE_CODES);
	uint64_t count = ns >> d ? ns >> d : 1;

	lapic_write(APIC_TIMER_DIVIDE, divide_code[d]);
	lapic_write(APIC_TIMER_INIT, (uint32_t)count);
	return count << d;
}

bool timer_arm(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];
	enum timer_mode modes[5];
	unsigned n = 0;

	/* One-shot and deadline twice as often as periodic, which brings several deliveries. */
	for (unsigned k = 0; k < 2; k++) {
		if (source_on(SRC_TIMER_ONESHOT))
			modes[n++] = TIMER_ONESHOT;
		if (source_on(SRC_TIMER_DEADLINE) && st.has_deadline)
			modes[n++] = TIMER_DEADLINE;
	}
	if (source_on(SRC_TIMER_PERIODIC))
		modes[n++] = TIMER_PERIODIC;
	if (!n || st.phase != PHASE_RUN || c->timer != TIMER_NONE)
		return false;
	for (enum timer_mode m = TIMER_ONESHOT; m <= TIMER_DEADLINE; m++)
		if (!chan_idle(chan_timer(cpu, m)))
			return false;

	enum timer_mode mode = modes[rng_below(c, n)];
	struct channel *ch = chan_timer(cpu, mode);
	uint64_t ns = random_ns(c);

	switch (mode) {
	case TIMER_ONESHOT:
		lapic_write(APIC_LVT_TIMER, ch->vector);
		c->timer = mode;
		chan_owe(ch);
		count_ns(c, ns);
		break;
	case TIMER_PERIODIC:
		lapic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | ch->vector);
		c->timer = mode;
		c->periodic_left = 4 + rng_below(c, 9);
		parm[cpu].delivered = 0;
		parm[cpu].start_tsc = rdtsc();
		parm[cpu].period_ns = count_ns(c, ns);
		break;
	default: {
		lapic_write(APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | ch->vector);
		c->timer = mode;
		chan_owe(ch);
		uint64_t now = rdtsc();
		/* One in eight deadlines is already past: it fires at once (SDM 10.5.4.1). */
		if (!rng_below(c, 8))
			wrmsr(MSR_TSC_DEADLINE, now - 1 - rng_below(c, 1000));
		else
			wrmsr(MSR_TSC_DEADLINE, now + ns * tsc_per_ms() / 1000000 + 1);
		break;
	}
	}
	return true;
}

static void periodic_stop(unsigned cpu, struct channel *ch)
{
	struct stress_cpu *c = &st.cpu[cpu];
	struct periodic_arm *a = &parm[cpu];

	lapic_write(APIC_TIMER_INIT, 0);
	c->timer = TIMER_NONE;
	unsigned total = a->delivered;
	a->stop_tsc = rdtsc();
	a->tail = lapic_vector_bit(APIC_IRR, ch->vector);
	if (a->tail) {
		chan_owe(ch);	/* expired before the stop: still to come */
		total++;
	}
	uint64_t elapsed_ns = (rdtsc() - a->start_tsc) * 1000000 / tsc_per_ms();
	uint64_t bound = elapsed_ns / a->period_ns * 11 / 10 + 2;
	if (total > bound)	/* more than the periods allow: duplicates, none of them owed */
		__atomic_add_fetch(&ch->excess, total - bound, __ATOMIC_SEQ_CST);
}

/* Called first in the handler of a timer vector, with the vector in service. */
void timer_on_delivery(struct channel *ch, unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];

	if (ch->src == SRC_TIMER_PERIODIC) {
		bool armed = c->timer == TIMER_PERIODIC;
		if (armed) {
			chan_owe(ch);
			parm[cpu].delivered++;
		} else if (!chan_owed(ch) && !st.periodic_dup[0]) {
			struct periodic_arm *a = &parm[cpu];
			fmt_snprintf(st.periodic_dup, sizeof(st.periodic_dup), "cpu %u: periodic "
				     "delivery %lu ns after the stop (period %lu ns, %u delivered, "
				     "IRR %s at the stop, x2APIC %u)", cpu,
				     (unsigned long)((rdtsc() - a->stop_tsc) * 1000000 / tsc_per_ms()),
				     (unsigned long)a->period_ns, a->delivered, a->tail ? "set" : "clear",
				     this_cpu()->x2apic);
		}
		chan_receive(ch, cpu);
		if (armed && (--c->periodic_left == 0 || st.phase != PHASE_RUN))
			periodic_stop(cpu, ch);
		return;
	}
	chan_receive(ch, cpu);
	if ((ch->src == SRC_TIMER_ONESHOT && c->timer == TIMER_ONESHOT) ||
	    (ch->src == SRC_TIMER_DEADLINE && c->timer == TIMER_DEADLINE))
		c->timer = TIMER_NONE;
}

/* HLT is safe when this CPU's own one-shot or deadline timer is sure to end it. */
bool timer_wakes_hlt(unsigned cpu)
{
	enum timer_mode m = st.cpu[cpu].timer;
	return m == TIMER_ONESHOT || m == TIMER_DEADLINE;
}

/*
 * PIT channel 0, mode 0: the control word drops OUT0, the count raises it once at
 * terminal count, one IRQ0 edge into the 8259 (8254 datasheet, mode 0). Only the CPU
 * whose LINT0 takes the 8259 this epoch touches the PIT and the 8259, always with IF = 0.
 */
bool pit_arm(unsigned cpu)
{
	struct channel *ch = chan_pit();
	struct stress_cpu *c = &st.cpu[cpu];

	if (!source_on(SRC_PIT) || st.phase != PHASE_RUN || cpu != st.cfg.ext_cpu ||
	    !chan_try_claim(ch))
		return false;
	if (!chan_idle(ch)) {
		chan_release(ch);
		return false;
	}
	chan_owe(ch);
	pit_ch0_oneshot((uint16_t)(2 + (2u << rng_below(c, 11)) + rng_below(c, 64)));
	chan_release(ch);
	return true;
}
