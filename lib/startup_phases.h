/* startup_phases: how long nestor's start-up steps took, from TSC stamps taken along the way. */
#ifndef NESTOR_LIB_STARTUP_PHASES_H
#define NESTOR_LIB_STARTUP_PHASES_H

#include <stddef.h>
#include <stdint.h>

#define STARTUP_PHASES_MAX 12u

/*
 * A stamp ends the phase it names: the first stamp is the start ("entry"), each later one
 * says what ran since the previous stamp. The TSC is read before it is calibrated, so the
 * stamps stay raw counts until the report converts them with the rate found.
 */
struct startup_phases {
	const char *name[STARTUP_PHASES_MAX];
	uint64_t tsc[STARTUP_PHASES_MAX];
	unsigned n;
};

/* nestor's own, stamped by boot/ and core/ (one CPU, before any other runs). */
extern struct startup_phases startup_phases;

/* Records that `name` ended at `tsc`; stamps beyond STARTUP_PHASES_MAX are dropped. */
void startup_phase_mark(struct startup_phases *p, const char *name, uint64_t tsc);
/*
 * "name ms, name ms, ..., total ms" (milliseconds to a tenth, the first stamp the origin)
 * for a TSC of hz; returns the length as fmt_snprintf does. Empty with fewer than 2 stamps
 * or hz 0.
 */
int startup_phases_format(const struct startup_phases *p, uint64_t hz, char *buf, size_t size);

#endif
