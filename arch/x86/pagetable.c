/* pagetable: one 4-level table builder for nestor's own map, NPT and EPT. */
#include "arch/x86/pagetable.h"

#include "lib/page_alloc.h"

#define SIZE_2M (2ull << 20)
#define SIZE_4K 4096ull

uint64_t pt_alloc_root(void)
{
	return page_alloc(&nestor_pages, 1, 1);
}

static uint64_t *pt_table(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PT_ADDR_MASK);
}

/* The table below *entry, allocated on first use; NULL if out of pages or a leaf is there. */
static uint64_t *pt_next(uint64_t *entry, const struct pt_format *f)
{
	if (!(*entry & 1)) {
		uint64_t t = page_alloc(&nestor_pages, 1, 1);
		if (!t)
			return 0;
		*entry = t | f->table;
	} else if (*entry & PT_LARGE) {
		return 0;
	}
	return pt_table(*entry);
}

/* The entry at `level` (1 = PTE, 2 = PDE) for va, building tables above it. */
static uint64_t *pt_entry(uint64_t root, const struct pt_format *f, uint64_t va, int level)
{
	uint64_t *table = (uint64_t *)(uintptr_t)root;
	for (int l = 4; l > level; l--) {
		table = pt_next(&table[(va >> (12 + 9 * (l - 1))) & 511], f);
		if (!table)
			return 0;
	}
	return &table[(va >> (12 + 9 * (level - 1))) & 511];
}

bool pt_map(uint64_t root, const struct pt_format *f, uint64_t va, uint64_t pa, uint64_t len)
{
	uint64_t end = va + len;
	while (va < end) {
		bool big = !(va & (SIZE_2M - 1)) && !(pa & (SIZE_2M - 1)) && end - va >= SIZE_2M;
		uint64_t *e = pt_entry(root, f, va, big ? 2 : 1);
		if (!e)
			return false;
		*e = pa | (big ? f->leaf_2m : f->leaf_4k);
		va += big ? SIZE_2M : SIZE_4K;
		pa += big ? SIZE_2M : SIZE_4K;
	}
	return true;
}

uint64_t pt_lookup(uint64_t root, uint64_t va, unsigned *level)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)root;
	for (unsigned l = 4; l >= 1; l--) {
		uint64_t e = table[(va >> (12 + 9 * (l - 1))) & 511];
		if (!(e & 1))
			return 0;
		if (l == 1 || (l <= 3 && (e & PT_LARGE))) {
			if (level)
				*level = l;
			return e;
		}
		table = pt_table(e);
	}
	return 0;
}
