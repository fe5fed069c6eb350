/* symbols_image: looks up addresses of the running image in its embedded symbol table. */
#include "lib/symbols.h"

/*
 * Provided by the generated build/gen/symtab.c (second link) or lib/symtab_empty.c
 * (first link, which only exists to learn the function addresses).
 */
extern const struct symbol_table nestor_symbols;
/* The GNU-EFI linker script puts ImageBase at link address 0; its runtime address is
 * therefore where the loader placed the image. */
extern const char ImageBase[];

const char *symbols_lookup(uintptr_t addr, uint64_t *within)
{
	uintptr_t base = (uintptr_t)ImageBase;
	if (addr < base)
		return 0;
	return symbols_find(&nestor_symbols, addr - base, within);
}
