/* page_alloc: nestor's own 4 KiB pages, handed out from a pool taken before ExitBootServices. */
#ifndef NESTOR_LIB_PAGE_ALLOC_H
#define NESTOR_LIB_PAGE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spinlock.h"

#define PAGE_SIZE 4096ull
#define PAGE_POOL_MAX_PAGES 32768	/* 128 MiB: the bitmap below is static */

struct page_pool {
	uintptr_t base;		/* page-aligned; identity-mapped, so also the physical address */
	size_t npages;
	size_t nfree;
	size_t low_water;	/* fewest free pages ever seen, for the run report */
	struct spinlock lock;
	uint64_t used[PAGE_POOL_MAX_PAGES / 64];	/* bit set: page in use */
};

/* false when base is not page-aligned or npages is 0 or too large. */
bool page_pool_init(struct page_pool *pool, uintptr_t base, size_t npages);
/*
 * Returns `count` contiguous zeroed pages whose address is a multiple of
 * align_pages * 4 KiB (align_pages a power of two, 0 or 1 meaning 4 KiB), or 0 when
 * no such run is free.
 */
uintptr_t page_alloc(struct page_pool *pool, size_t count, size_t align_pages);
/* Frees pages from page_alloc; a double free or a foreign address is refused (false, logged). */
bool page_free(struct page_pool *pool, uintptr_t addr, size_t count);
bool page_pool_contains(const struct page_pool *pool, uintptr_t addr);

/* The pool nestor itself uses once it owns the machine. */
extern struct page_pool nestor_pages;

#endif
