/* paging: nestor's own identity-mapped page tables. */
#include "arch/x86/paging.h"

#include "boot/boot_info.h"
#include "core/log.h"
#include "core/page_alloc.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PS (1ull << 7)	/* 2 MiB page in a PDE */
#define PTE_ADDR 0x000ffffffffff000ull
#define SIZE_2M (2ull << 20)
#define SIZE_4G (4ull << 30)

/* Returns the table the entry points to, allocating a zeroed one if it is empty. */
static uint64_t *paging_next_table(uint64_t *entry)
{
	if (!(*entry & PTE_P)) {
		uintptr_t t = page_alloc(&nestor_pages, 1, 1);
		if (!t)
			return 0;
		*entry = t | PTE_P | PTE_W;
	}
	return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
}

static uint64_t *paging_pde(uint64_t *pml4, uint64_t addr)
{
	uint64_t *pdpt = paging_next_table(&pml4[(addr >> 39) & 511]);
	if (!pdpt)
		return 0;
	uint64_t *pd = paging_next_table(&pdpt[(addr >> 30) & 511]);
	if (!pd)
		return 0;
	return &pd[(addr >> 21) & 511];
}

static int paging_map_2m_range(uint64_t *pml4, uint64_t start, uint64_t end)
{
	for (uint64_t a = start & ~(SIZE_2M - 1); a < end; a += SIZE_2M) {
		uint64_t *pde = paging_pde(pml4, a);
		if (!pde)
			return 0;
		if (!(*pde & PTE_P))
			*pde = a | PTE_P | PTE_W | PTE_PS;
	}
	return 1;
}

uint64_t paging_build_identity(const struct boot_info *bi)
{
	uint64_t *pml4 = (uint64_t *)page_alloc(&nestor_pages, 1, 1);
	if (!pml4)
		return 0;

	/* The first 2 MiB in 4 KiB pages, all but page 0. */
	uint64_t *pde0 = paging_pde(pml4, 0);
	uint64_t *pt = pde0 ? paging_next_table(pde0) : 0;
	if (!pt)
		return 0;
	for (unsigned i = 1; i < 512; i++)
		pt[i] = ((uint64_t)i << 12) | PTE_P | PTE_W;

	/* Everything below 4 GiB: RAM, the firmware, LAPIC/IOAPIC/PCI MMIO. */
	if (!paging_map_2m_range(pml4, SIZE_2M, SIZE_4G))
		return 0;
	/* RAM above 4 GiB, if any; MMIO up there is not nestor's business. */
	for (unsigned i = 0; i < bi->nram; i++) {
		uint64_t s = bi->ram[i].base, e = s + bi->ram[i].size;
		if (e > SIZE_4G && !paging_map_2m_range(pml4, s < SIZE_4G ? SIZE_4G : s, e))
			return 0;
	}
	return (uint64_t)(uintptr_t)pml4;
}
