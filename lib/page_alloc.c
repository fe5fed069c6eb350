/* page_alloc: nestor's own 4 KiB pages, handed out from a pool taken before ExitBootServices. */
#include "lib/page_alloc.h"

#include "lib/log.h"
#include "lib/string.h"

struct page_pool nestor_pages;

static bool page_used(const struct page_pool *pool, size_t i)
{
	return pool->used[i / 64] & (1ull << (i % 64));
}

static void page_mark(struct page_pool *pool, size_t first, size_t count, bool used)
{
	for (size_t i = first; i < first + count; i++) {
		if (used)
			pool->used[i / 64] |= 1ull << (i % 64);
		else
			pool->used[i / 64] &= ~(1ull << (i % 64));
	}
}

bool page_pool_init(struct page_pool *pool, uintptr_t base, size_t npages)
{
	memset(pool, 0, sizeof(*pool));
	if ((base & (PAGE_SIZE - 1)) || npages == 0 || npages > PAGE_POOL_MAX_PAGES)
		return false;
	pool->base = base;
	pool->npages = npages;
	pool->nfree = npages;
	pool->low_water = npages;
	return true;
}

bool page_pool_contains(const struct page_pool *pool, uintptr_t addr)
{
	return addr >= pool->base && (addr - pool->base) / PAGE_SIZE < pool->npages;
}

uintptr_t page_alloc(struct page_pool *pool, size_t count, size_t align_pages)
{
	if (align_pages == 0)
		align_pages = 1;
	if (count == 0 || (align_pages & (align_pages - 1)))
		return 0;

	spin_lock(&pool->lock);
	/* First fit over page indexes whose physical address has the requested alignment. */
	size_t align_mask = align_pages * PAGE_SIZE - 1;
	size_t first = (((pool->base + align_mask) & ~align_mask) - pool->base) / PAGE_SIZE;
	for (size_t i = first; i + count <= pool->npages; i += align_pages) {
		size_t run = 0;
		while (run < count && !page_used(pool, i + run))
			run++;
		if (run < count)
			continue;
		page_mark(pool, i, count, true);
		pool->nfree -= count;
		if (pool->nfree < pool->low_water)
			pool->low_water = pool->nfree;
		spin_unlock(&pool->lock);
		uintptr_t addr = pool->base + i * PAGE_SIZE;
		memset((void *)addr, 0, count * PAGE_SIZE);
		return addr;
	}
	spin_unlock(&pool->lock);
	log_warn("page_alloc: no run of %zu pages aligned to %zu (%zu of %zu free)", count,
		 align_pages, pool->nfree, pool->npages);
	return 0;
}

bool page_free(struct page_pool *pool, uintptr_t addr, size_t count)
{
	if ((addr & (PAGE_SIZE - 1)) || !page_pool_contains(pool, addr) ||
	    count > pool->npages - (addr - pool->base) / PAGE_SIZE) {
		log_error("page_free: %#lx (+%zu pages) is not in the pool", (unsigned long)addr,
			  count);
		return false;
	}
	size_t first = (addr - pool->base) / PAGE_SIZE;
	spin_lock(&pool->lock);
	for (size_t i = first; i < first + count; i++) {
		if (!page_used(pool, i)) {
			spin_unlock(&pool->lock);
			log_error("page_free: page %#lx was not allocated (double free?)",
				  (unsigned long)(pool->base + i * PAGE_SIZE));
			return false;
		}
	}
	page_mark(pool, first, count, false);
	pool->nfree += count;
	spin_unlock(&pool->lock);
	return true;
}
