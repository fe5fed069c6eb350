/* nested_watch: counting the seeds' livelock patterns in L1's entries into L2 and its exits. */
#include "nested/nested_watch.h"

#include "lib/format.h"

static const unsigned thresholds[NESTED_WATCH_PATTERNS] = {
	[NESTED_WATCH_SEED002] = NESTED_WATCH_STORM_REPEATS,
	[NESTED_WATCH_SEED003] = NESTED_WATCH_WINDOW_REPEATS,
};

static void repeat(struct nested_watch *w, enum nested_watch_pattern p, uint64_t start_ns,
		   uint64_t now_ns)
{
	struct nested_watch_pattern_state *s = &w->p[p];
	if (s->streak++ == 0)
		s->first_ns = start_ns;
	if (s->streak > s->longest)
		s->longest = s->streak;
	if (s->streak < thresholds[p])
		return;
	s->total++;
	if (!s->reported) {
		s->reported = true;
		s->named_ns = now_ns;
		s->named_vector = w->last_vector;
		s->named_rip = w->last_rip;
		w->pending_report = true;
		w->pending = p;
	}
}

static void restart(struct nested_watch *w, enum nested_watch_pattern p)
{
	w->p[p].streak = 0;
}

/* Seed 003: a window request that outlives every window it gets (see the header). */
static void window_entry(struct nested_watch *w, uint64_t now_ns, bool inject, uint8_t vector,
			 bool window_requested)
{
	if (!window_requested || (inject && w->window_have_vector && vector != w->window_vector)) {
		restart(w, NESTED_WATCH_SEED003);
		w->window_asked = false;
		w->window_have_vector = false;
	}
	if (!window_requested)
		return;
	if (!w->window_asked) {
		w->window_asked = true;
		w->window_start_ns = now_ns;
	}
	if (inject) {
		w->window_have_vector = true;
		w->window_vector = vector;
	}
}

void nested_watch_entry(struct nested_watch *w, uint64_t now_ns, bool inject, uint8_t vector,
			uint64_t l2_rip, bool window_requested)
{
	window_entry(w, now_ns, inject, vector, window_requested);
	if (!inject)
		return;
	bool same = w->have_last && vector == w->last_vector && l2_rip == w->last_rip;
	/* The same event again after interrupt exits only: L1 re-injects what the exit
	 * handed back undelivered, no new repetition and no progress. */
	if (same && !w->eoi_since && w->neutral_only_since)
		return;
	/* Seed 002: the same vector at the same place, with only an EOI in between. */
	if (same && w->eoi_since)
		repeat(w, NESTED_WATCH_SEED002, w->streak_start_ns, now_ns);
	else {
		restart(w, NESTED_WATCH_SEED002);
		w->streak_start_ns = now_ns;
	}
	w->have_last = true;
	w->last_vector = vector;
	w->last_rip = l2_rip;
	w->eoi_since = false;
	w->neutral_only_since = true;
}

void nested_watch_exit(struct nested_watch *w, uint64_t now_ns, enum nested_watch_exit kind)
{
	if (kind != NESTED_WATCH_EXIT_NEUTRAL)
		w->neutral_only_since = false;
	switch (kind) {
	case NESTED_WATCH_EXIT_EOI:
		w->eoi_since = true;
		break;
	case NESTED_WATCH_EXIT_WINDOW:
		/* The window L1 asked for opened; whether L1 asks again decides the streak. */
		if (w->window_asked)
			repeat(w, NESTED_WATCH_SEED003, w->window_start_ns, now_ns);
		break;
	case NESTED_WATCH_EXIT_NEUTRAL:
		break;
	case NESTED_WATCH_EXIT_OTHER:
		w->have_last = false;
		restart(w, NESTED_WATCH_SEED002);
		break;
	}
}

const char *nested_watch_seed_file(enum nested_watch_pattern p)
{
	return p == NESTED_WATCH_SEED002 ? "002_de1cbf97973f35a6.txt" : "003_aac2c8559ed01284.txt";
}

int nested_watch_describe(char *buf, size_t size, const struct nested_watch *w,
			  enum nested_watch_pattern p)
{
	const struct nested_watch_pattern_state *s = &w->p[p];
	uint64_t ms = s->named_ns > s->first_ns ? (s->named_ns - s->first_ns) / 1000000 : 0;
	if (p == NESTED_WATCH_SEED002)
		return fmt_snprintf(buf, size,
				    "seed 002 pattern (%s): L1 injected vector %#x into L2 at rip "
				    "%#llx %llu times in a row, L2 EOIing in between and never "
				    "getting further (%llu ms; longest streak %llu)",
				    nested_watch_seed_file(p), s->named_vector,
				    (unsigned long long)s->named_rip,
				    (unsigned long long)thresholds[p],
				    (unsigned long long)ms, (unsigned long long)s->longest);
	return fmt_snprintf(buf, size,
			    "seed 003 pattern (%s): L1 asked for an interrupt window on every "
			    "entry into L2 and L2 opened it %llu times in a row, L1 injecting "
			    "nothing new (%llu ms; longest streak %llu)",
			    nested_watch_seed_file(p), (unsigned long long)thresholds[p],
			    (unsigned long long)ms, (unsigned long long)s->longest);
}
