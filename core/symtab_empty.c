/* symtab_empty: the empty symbol table of the first link (see mk/efi.mk). */
#include "core/symbols.h"

const struct symbol_table nestor_symbols = { 0, 0, "", 0 };
