/* pit8254_counter: an 8254 counter's value and OUT pin as functions of the ticks it has counted. */
#include "devices/pit8254.h"

#include "devices/clock_ticks.h"

bool pit_mode_is_periodic(uint8_t mode)
{
	return mode == 2 || mode == 3;
}

/* Modes 1 and 5 start on a gate rising edge; in 0, 2, 3 and 4 a low gate pauses counting. */
bool pit_mode_is_gate_triggered(uint8_t mode)
{
	return mode == 1 || mode == 5;
}

uint64_t pit_channel_ticks(const struct pit_channel *ch, uint64_t now_ns)
{
	uint64_t ticks = ch->ticks_before;

	if (ch->running && (ch->gate || pit_mode_is_gate_triggered(ch->mode)) && now_ns > ch->run_ns)
		ticks += clock_ticks_at(now_ns - ch->run_ns, PIT_HZ);
	return ticks;
}

/*
 * Intel 8254 datasheet, mode definitions. t is ticks since the count was loaded (or
 * the gate triggered), n the count. Modes 0/1/4/5 count down once and wrap through
 * 0xffff; mode 2 counts n..1 and reloads; mode 3 counts down by two through each half
 * period (odd n: high for (n+1)/2 ticks, low for (n-1)/2).
 */
static uint16_t pit_count_after(const struct pit_channel *ch, uint64_t t)
{
	uint64_t n = ch->reload, p, high;

	switch (ch->mode) {
	case 2:
		return (uint16_t)(n - t % n);
	case 3:
		p = t % n;
		high = (n + 1) / 2;
		return (uint16_t)(p < high ? n - 2 * p : (n & ~1ull) - 2 * (p - high));
	default:
		return (uint16_t)(n - t);
	}
}

uint16_t pit_channel_count(const struct pit_channel *ch, uint64_t now_ns)
{
	if (!ch->running)
		return ch->frozen_count;
	return pit_count_after(ch, pit_channel_ticks(ch, now_ns));
}

/*
 * OUT: modes 0/1 go high at terminal count and stay; mode 2 is low for the one tick
 * at count 1; mode 3 is high for the first half period; modes 4/5 strobe low for the
 * tick at count 0. A low gate forces OUT high in modes 2 and 3.
 */
bool pit_channel_out(const struct pit_channel *ch, uint64_t now_ns)
{
	uint64_t n = ch->reload, t;

	if (!ch->running)
		return ch->out_idle;
	if (pit_mode_is_periodic(ch->mode) && !ch->gate)
		return true;
	t = pit_channel_ticks(ch, now_ns);
	switch (ch->mode) {
	case 0:
	case 1:
		return t >= n;
	case 2:
		return t % n != n - 1;
	case 3:
		return t % n < (n + 1) / 2;
	default:
		return t != n;
	}
}

/* Rising edges of OUT after t ticks: what an edge-triggered IRQ0 would have seen. */
uint64_t pit_channel_edges(const struct pit_channel *ch, uint64_t t)
{
	uint64_t n = ch->reload;

	switch (ch->mode) {
	case 0:
	case 1:
		return t >= n;
	case 2:
	case 3:
		return t / n;
	default:
		return t > n;	/* strobe: low at n, rising again at n + 1 */
	}
}

/* The tick of the first rising edge not yet turned into an interrupt; false if none. */
bool pit_channel_next_edge_tick(const struct pit_channel *ch, uint64_t *tick)
{
	uint64_t n = ch->reload;

	if (pit_mode_is_periodic(ch->mode)) {
		*tick = (ch->edges_done + 1) * n;
		return true;
	}
	if (ch->edges_done)
		return false;
	*tick = (ch->mode == 0 || ch->mode == 1) ? n : n + 1;
	return true;
}
