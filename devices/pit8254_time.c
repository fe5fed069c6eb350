/* pit8254_time: the 8254 against injected time: IRQ0 edges, the host deadline, gates. */
#include "devices/pit8254.h"

#include "devices/clock_ticks.h"

static bool pit_periodic_floor_applies(const struct pit8254 *p, const struct pit_channel *ch)
{
	return pit_mode_is_periodic(ch->mode) && p->irq_fired;
}

/*
 * IRQ0 is edge-triggered (PIC and the I/O APIC pin both): a rising edge of OUT0 is
 * delivered as one pulse. Several edges since the last call (a late host timer) make
 * one pulse, as they would have made one IRR bit; the rest are counted as coalesced.
 */
void pit8254_set_time(struct pit8254 *p, uint64_t now_ns)
{
	struct pit_channel *ch = &p->ch[0];
	uint64_t edges;

	if (!clock_advance(&p->now_ns, now_ns, &p->stats.time_backwards, &p->logged,
			   PIT_LOG_TIME_BACKWARDS, "pit") || !ch->running)
		return;
	edges = pit_channel_edges(ch, pit_channel_ticks(ch, now_ns));
	if (edges <= ch->edges_done)
		return;
	if (pit_periodic_floor_applies(p, ch) && now_ns - p->last_irq_ns < PIT_MIN_PERIODIC_IRQ_NS)
		return;
	p->stats.coalesced_edges += edges - ch->edges_done - 1;
	ch->edges_done = edges;
	p->last_irq_ns = now_ns;
	p->irq_fired = true;
	dev_irq_pulse(&p->irq);
}

uint64_t pit8254_next_deadline(const struct pit8254 *p)
{
	const struct pit_channel *ch = &p->ch[0];
	uint64_t tick, ns;

	if (!ch->running || (!ch->gate && !pit_mode_is_gate_triggered(ch->mode)))
		return DEVICE_NO_DEADLINE;
	if (!pit_channel_next_edge_tick(ch, &tick))
		return DEVICE_NO_DEADLINE;
	ns = tick <= ch->ticks_before ? ch->run_ns
				      : clock_ns_for_ticks(tick - ch->ticks_before, PIT_HZ);
	ns = ns > DEVICE_NO_DEADLINE - ch->run_ns ? DEVICE_NO_DEADLINE : ch->run_ns + ns;
	if (pit_periodic_floor_applies(p, ch) && ns < p->last_irq_ns + PIT_MIN_PERIODIC_IRQ_NS)
		ns = p->last_irq_ns + PIT_MIN_PERIODIC_IRQ_NS;
	return ns;
}

/*
 * Gate (8254 datasheet, "Gate pin operations summary"): in modes 0, 2, 3 and 4 a low
 * gate suspends counting; a rising gate restarts the count in modes 2 and 3 and
 * triggers modes 1 and 5.
 */
void pit8254_set_gate(struct pit8254 *p, unsigned channel, bool gate)
{
	struct pit_channel *ch;

	if (channel >= PIT_CHANNELS)
		return;
	ch = &p->ch[channel];
	if (gate == ch->gate)
		return;
	if (!gate) {
		if (ch->running && !pit_mode_is_gate_triggered(ch->mode))
			ch->ticks_before = pit_channel_ticks(ch, p->now_ns);
		ch->gate = false;
		return;
	}
	ch->gate = true;
	ch->run_ns = p->now_ns;
	if (!ch->loaded || !(pit_mode_is_gate_triggered(ch->mode) || pit_mode_is_periodic(ch->mode)))
		return;
	ch->ticks_before = 0;
	ch->edges_done = 0;
	ch->running = true;
	ch->null_count = false;
}

bool pit8254_out(const struct pit8254 *p, unsigned channel)
{
	return channel < PIT_CHANNELS && pit_channel_out(&p->ch[channel], p->now_ns);
}

uint16_t pit8254_count(const struct pit8254 *p, unsigned channel)
{
	return channel < PIT_CHANNELS ? pit_channel_count(&p->ch[channel], p->now_ns) : 0;
}
