/* safe: lookup in the exception table that the linker gathers from every EX_TABLE_ENTRY. */
#include "safe.h"

struct ex_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct ex_entry __ex_table_start[], __ex_table_end[];

uint64_t ex_table_lookup(uint64_t rip)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
