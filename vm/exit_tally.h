/* exit_tally: exits counted by source (port, MMIO page, MSR), cheaply, for the run report. */
#ifndef NESTOR_VM_EXIT_TALLY_H
#define NESTOR_VM_EXIT_TALLY_H

#include <stddef.h>
#include <stdint.h>

/* What an exit touched; with MMIO the direction is not known before decoding. */
enum exit_source_kind {
	EXIT_SOURCE_NONE,	/* an empty slot */
	EXIT_SOURCE_PORT_IN,
	EXIT_SOURCE_PORT_OUT,
	EXIT_SOURCE_MMIO,	/* id: the guest-physical page */
	EXIT_SOURCE_MSR_READ,
	EXIT_SOURCE_MSR_WRITE,
};

/*
 * One vCPU's table: a fixed, open-addressed hash of (kind, id) -> count, written by its
 * own vCPU only, so counting is a hash, at most EXIT_TALLY_PROBE compares and an add, with
 * no lock and no allocation. A source that finds no slot within the probe is counted in
 * `untracked` (the report says how many). The report merges the vCPUs' tables.
 */
#define EXIT_TALLY_SLOTS 256u
#define EXIT_TALLY_PROBE 16u

struct exit_tally {
	uint64_t key[EXIT_TALLY_SLOTS];		/* kind << 56 | id; 0 = empty */
	uint64_t count[EXIT_TALLY_SLOTS];
	uint64_t untracked;
};

struct exit_source_count {
	enum exit_source_kind kind;
	uint64_t id;
	uint64_t count;
};

/* Adds n exits of source (kind, id); id below 2^56 (ports, MSRs, page addresses are). */
void exit_tally_add(struct exit_tally *t, enum exit_source_kind kind, uint64_t id, uint64_t n);
/* Adds every count of src to dst (what src could not track stays untracked in dst). */
void exit_tally_merge(struct exit_tally *dst, const struct exit_tally *src);
/* Writes the up to max largest sources, largest first (ties: by kind, then id); returns how many. */
unsigned exit_tally_top(const struct exit_tally *t, struct exit_source_count *out, unsigned max);
/*
 * One report line for e (without the "report: " prefix): its rank, the source with the
 * device or MSR name when there is one (name may be NULL), the count and its share of
 * total exits to a tenth of a percent, e.g. " 1. port 0xcfc in (pci): 16600 exits, 28.9%".
 * Returns the length as fmt_snprintf does.
 */
int exit_tally_format(char *buf, size_t size, unsigned rank, const struct exit_source_count *e,
		      const char *name, uint64_t total);

#endif
