/* paging: nestor's own identity-mapped page tables. */
#include "arch/x86/paging.h"

#include "arch/x86/pagetable.h"
#include "lib/boot_info.h"

#define SIZE_2M (2ull << 20)
#define SIZE_4G (4ull << 30)

/* Present and writable; supervisor only; write-back through PAT entry 0. */
static const struct pt_format host_format = {
	.table = 0x3,
	.leaf_4k = 0x3,
	.leaf_2m = 0x3 | PT_LARGE,
};

uint64_t paging_build_identity(const struct boot_info *bi)
{
	uint64_t root = pt_alloc_root();
	if (!root)
		return 0;
	/* Page 0 stays unmapped: a NULL dereference in nestor faults. */
	if (!pt_map(root, &host_format, 0x1000, 0x1000, SIZE_2M - 0x1000))
		return 0;
	/* Everything below 4 GiB: RAM, the firmware, LAPIC/IOAPIC/PCI MMIO. */
	if (!pt_map(root, &host_format, SIZE_2M, SIZE_2M, SIZE_4G - SIZE_2M))
		return 0;
	/* RAM above 4 GiB, if any; MMIO up there is not nestor's business. */
	for (unsigned i = 0; i < bi->nram; i++) {
		uint64_t s = bi->ram[i].base, e = s + bi->ram[i].size;
		if (e <= SIZE_4G)
			continue;
		if (s < SIZE_4G)
			s = SIZE_4G;
		s &= ~(SIZE_2M - 1);
		e = (e + SIZE_2M - 1) & ~(SIZE_2M - 1);
		if (!pt_map(root, &host_format, s, s, e - s))
			return 0;
	}
	return root;
}
