/* symbols: nestor's own function names, embedded at link time for backtraces. */
#ifndef NESTOR_LIB_SYMBOLS_H
#define NESTOR_LIB_SYMBOLS_H

#include <stdint.h>

/* One function: its offset from the image base and its name's offset in the names blob. */
struct symbol_entry {
	uint32_t offset;
	uint32_t name;
};

struct symbol_table {
	const struct symbol_entry *entries;	/* sorted by offset */
	uint32_t count;
	const char *names;
	uint32_t text_end;			/* offset where the last function ends */
};

/*
 * Name of the function containing image offset `off` and the distance into it, or NULL
 * when `off` is outside every function.
 */
const char *symbols_find(const struct symbol_table *t, uint64_t off, uint64_t *within);

/* The same for a runtime address in the running image (not in host tests). */
const char *symbols_lookup(uintptr_t addr, uint64_t *within);

#endif
