/* symtab_empty: the empty symbol table of the first link (see mk/efi.mk). */
#include "lib/symbols.h"

/*
 * Pointer for pointer the same shape as the generated table (entries and names both
 * relocated), so both links have the same number of dynamic relocations: one more would
 * grow .rela.dyn, and when that crosses a page boundary everything after it, .text
 * included, moves by a page and the table no longer describes its image.
 */
static const struct symbol_entry no_entries[1];

const struct symbol_table nestor_symbols = { no_entries, 0, "", 0 };
