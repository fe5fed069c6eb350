/* identity_map: page tables mapping the guest's first 4 GiB 1:1, for a 64-bit entry. */
#include "devices/loaders/identity_map.h"

#include "lib/string.h"

/* SDM Vol. 3A, 4.5 (4-level paging): entry bits. */
#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PS (1ull << 7)		/* in a PDE: maps a 2 MiB page */
#define ENTRIES 512u
#define PAGE 0x1000ull
#define SIZE_2M (1ull << 21)

/*
 * The Linux 64-bit boot protocol (Documentation/x86/boot.rst, "64-bit Boot
 * Protocol") needs the kernel, boot_params and the command line identity-mapped;
 * mapping all of the low 4 GiB with 2 MiB pages covers them wherever they are, in
 * 24 KiB, without assuming the guest CPU has 1 GiB pages.
 */
bool identity_map_build(const struct guest_mem *mem, uint64_t gpa)
{
	uint64_t *t = guest_mem_ptr(mem, gpa, IDENTITY_MAP_PAGES * PAGE);
	if (!t || (gpa & (PAGE - 1)))
		return false;
	memset(t, 0, IDENTITY_MAP_PAGES * PAGE);
	uint64_t *pml4 = t, *pdpt = t + ENTRIES, *pd = t + 2 * ENTRIES;

	pml4[0] = (gpa + PAGE) | PTE_P | PTE_RW;
	for (unsigned i = 0; i < 4; i++)
		pdpt[i] = (gpa + (2 + i) * PAGE) | PTE_P | PTE_RW;
	for (unsigned i = 0; i < 4 * ENTRIES; i++)
		pd[i] = (uint64_t)i * SIZE_2M | PTE_P | PTE_RW | PTE_PS;
	return true;
}
