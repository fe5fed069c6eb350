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

const char *fault_name(int vector)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
		"#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM",
		"#VE", "#CP", "vector 22", "vector 23", "vector 24", "vector 25", "vector 26",
		"vector 27", "#HV", "#VC", "#SX", "vector 31",
	};

	if (vector < 0)
		return "no exception";
	return vector < 32 ? names[vector] : "an interrupt vector";
}
