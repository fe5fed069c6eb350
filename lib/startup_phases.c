/* startup_phases: how long nestor's start-up steps took, from TSC stamps taken along the way. */
#include "lib/startup_phases.h"

#include "lib/format.h"

struct startup_phases startup_phases;

void startup_phase_mark(struct startup_phases *p, const char *name, uint64_t tsc)
{
	if (p->n >= STARTUP_PHASES_MAX)
		return;
	p->name[p->n] = name;
	p->tsc[p->n] = tsc;
	p->n++;
}

/* Tenths of a millisecond in `ticks` of a hz clock, rounded; whole seconds apart so that no
 * product overflows (and no 128-bit division is needed: nestor links no libgcc). */
static uint64_t tenth_ms(uint64_t ticks, uint64_t hz)
{
	return ticks / hz * 10000 + ((ticks % hz) * 10000 + hz / 2) / hz;
}

static int put_ms(char *buf, size_t size, size_t at, const char *sep, const char *name,
		  uint64_t t)
{
	return fmt_snprintf(buf + (at < size ? at : size), at < size ? size - at : 0,
			    "%s%s %llu.%llu ms", sep, name, (unsigned long long)(t / 10),
			    (unsigned long long)(t % 10));
}

int startup_phases_format(const struct startup_phases *p, uint64_t hz, char *buf, size_t size)
{
	size_t at = 0;

	if (size)
		buf[0] = 0;
	if (p->n < 2 || !hz)
		return 0;
	for (unsigned i = 1; i < p->n; i++)
		at += (size_t)put_ms(buf, size, at, i > 1 ? ", " : "", p->name[i],
				     tenth_ms(p->tsc[i] - p->tsc[i - 1], hz));
	at += (size_t)put_ms(buf, size, at, "; ", "total", tenth_ms(p->tsc[p->n - 1] - p->tsc[0], hz));
	return (int)at;
}
