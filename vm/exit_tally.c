/* exit_tally: exits counted by source (port, MMIO page, MSR), cheaply, for the run report. */
#include "vm/exit_tally.h"

#include "lib/format.h"

#define KIND_SHIFT 56
#define ID_MASK ((1ull << KIND_SHIFT) - 1)

static unsigned slot_of(uint64_t key)
{
	/* Fibonacci hashing: the top bits of key * 2^64/phi spread ports, pages and MSRs. */
	return (unsigned)((key * 0x9e3779b97f4a7c15ull) >> 56) % EXIT_TALLY_SLOTS;
}

void exit_tally_add(struct exit_tally *t, enum exit_source_kind kind, uint64_t id, uint64_t n)
{
	uint64_t key = (uint64_t)kind << KIND_SHIFT | (id & ID_MASK);
	unsigned s = slot_of(key);

	for (unsigned i = 0; i < EXIT_TALLY_PROBE; i++, s = (s + 1) % EXIT_TALLY_SLOTS) {
		if (t->key[s] == key) {
			t->count[s] += n;
			return;
		}
		if (!t->key[s]) {
			t->key[s] = key;
			t->count[s] = n;
			return;
		}
	}
	t->untracked += n;
}

void exit_tally_merge(struct exit_tally *dst, const struct exit_tally *src)
{
	for (unsigned s = 0; s < EXIT_TALLY_SLOTS; s++)
		if (src->key[s])
			exit_tally_add(dst, (enum exit_source_kind)(src->key[s] >> KIND_SHIFT),
				       src->key[s] & ID_MASK, src->count[s]);
	dst->untracked += src->untracked;
}

/* a ranks before b: the larger count, then the smaller key (kind, then id). */
static int ranks_before(const struct exit_source_count *a, const struct exit_source_count *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->id < b->id;
}

unsigned exit_tally_top(const struct exit_tally *t, struct exit_source_count *out, unsigned max)
{
	unsigned n = 0;

	/* Insertion into the sorted prefix: max is small (the report's ten). */
	for (unsigned s = 0; s < EXIT_TALLY_SLOTS && max; s++) {
		if (!t->key[s])
			continue;
		struct exit_source_count e = {
			(enum exit_source_kind)(t->key[s] >> KIND_SHIFT), t->key[s] & ID_MASK,
			t->count[s]
		};
		unsigned at = n;
		while (at > 0 && ranks_before(&e, &out[at - 1]))
			at--;
		if (at == max)
			continue;
		for (unsigned i = (n < max ? n : max - 1); i > at; i--)
			out[i] = out[i - 1];
		out[at] = e;
		if (n < max)
			n++;
	}
	return n;
}

static const char *kind_text(enum exit_source_kind k)
{
	switch (k) {
	case EXIT_SOURCE_PORT_IN: return "port %#llx in";
	case EXIT_SOURCE_PORT_OUT: return "port %#llx out";
	case EXIT_SOURCE_MMIO: return "mmio %#llx";
	case EXIT_SOURCE_MSR_READ: return "msr %#llx read";
	case EXIT_SOURCE_MSR_WRITE: return "msr %#llx write";
	default: return "? %#llx";
	}
}

int exit_tally_format(char *buf, size_t size, unsigned rank, const struct exit_source_count *e,
		      const char *name, uint64_t total)
{
	char what[64];
	/* Tenths of a percent, rounded to nearest. */
	uint64_t permille = total ? (e->count * 1000 + total / 2) / total : 0;

	fmt_snprintf(what, sizeof(what), kind_text(e->kind), (unsigned long long)e->id);
	return fmt_snprintf(buf, size, "%2u. %s%s%s%s: %llu exits, %llu.%llu%%", rank, what,
			    name ? " (" : "", name ? name : "", name ? ")" : "",
			    (unsigned long long)e->count, (unsigned long long)(permille / 10),
			    (unsigned long long)(permille % 10));
}
