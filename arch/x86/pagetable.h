/* pagetable: one 4-level table builder for nestor's own map, NPT and EPT. */
#ifndef NESTOR_ARCH_X86_PAGETABLE_H
#define NESTOR_ARCH_X86_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * x86 paging, AMD nested paging and Intel EPT share the radix layout (9 bits per level,
 * 4 KiB tables, the physical address in bits 51:12, bit 7 marking a large leaf); only
 * the permission and type bits differ, so a format is just the bits to set. Bit 0 is
 * P in x86/NPT entries and R in EPT entries; nestor always sets it, so it doubles as
 * "this entry is in use" for the walk.
 */
struct pt_format {
	uint64_t table;		/* bits of a non-leaf entry */
	uint64_t leaf_4k;	/* bits of a 4 KiB leaf */
	uint64_t leaf_2m;	/* bits of a 2 MiB leaf (including bit 7) */
};

#define PT_ADDR_MASK 0x000ffffffffff000ull
#define PT_LARGE (1ull << 7)

/* A zeroed root table from nestor's pages, 0 when out of pages. */
uint64_t pt_alloc_root(void);
/*
 * Maps [va, va+len) to [pa, pa+len), with 2 MiB leaves wherever both sides are aligned
 * and 4 KiB leaves elsewhere. False when out of pages or when a 4 KiB mapping would
 * have to split an existing 2 MiB leaf (nestor never remaps).
 */
bool pt_map(uint64_t root, const struct pt_format *f, uint64_t va, uint64_t pa, uint64_t len);
/* The leaf entry for va (0 when unmapped), for tests and reports. */
uint64_t pt_lookup(uint64_t root, uint64_t va, unsigned *level);

#endif
