/* symbols: nestor's own function names, embedded at link time for backtraces. */
#include "lib/symbols.h"

#include <stddef.h>

const char *symbols_find(const struct symbol_table *t, uint64_t off, uint64_t *within)
{
	if (!t->count || off < t->entries[0].offset || off >= t->text_end)
		return NULL;
	/* Binary search for the last entry at or below off. */
	uint32_t lo = 0, hi = t->count;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->entries[mid].offset <= off)
			lo = mid;
		else
			hi = mid;
	}
	*within = off - t->entries[lo].offset;
	return t->names + t->entries[lo].name;
}
