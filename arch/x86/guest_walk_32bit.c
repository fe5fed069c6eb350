/* guest_walk_32bit: 32-bit paging, 4 KiB and PSE 4 MiB pages (SDM Vol. 3, 4.3). */
#include "arch/x86/guest_walk_internal.h"

#define PDE_P (1u << 0)
#define PDE_PS (1u << 7)

/*
 * A 4 MiB PDE holds physical-address bits 39:32 in bits 20:13 (PSE-36); bit 21 and
 * the bits above MAXPHYADDR (capped at 40) are reserved (SDM Vol. 3, Table 4-4).
 */
static uint32_t pde_4m_reserved(const struct guest_paging *pg)
{
	unsigned m = pg->maxphyaddr ? pg->maxphyaddr : 52;
	uint32_t rsvd = 1u << 21;

	if (m > 40)
		m = 40;
	for (unsigned bit = m - 19; bit <= 20; bit++)
		rsvd |= 1u << bit;
	return rsvd;
}

/* Reads a 4-byte entry and folds it into the walk; false with the status in *st. */
static bool read_entry(const struct guest_mem *mem, const struct guest_paging *pg, unsigned access,
		       uint64_t gpa, uint32_t *entry, struct guest_walk_entries *used,
		       struct guest_walk_result *res, enum guest_walk_status *st)
{
	if (!guest_mem_read(mem, gpa, entry, 4)) {
		res->table_gpa = gpa;
		*st = GUEST_WALK_BAD_TABLE;
		return false;
	}
	if (!(*entry & PDE_P)) {
		*st = guest_walk_fault(pg, access, 0, res);
		return false;
	}
	guest_walk_note(used, gpa, 4, *entry, false, true);
	return true;
}

enum guest_walk_status guest_walk_32bit(const struct guest_mem *mem, const struct guest_paging *pg,
					uint64_t linear, unsigned access,
					struct guest_walk_result *res)
{
	struct guest_walk_entries used = GUEST_WALK_ENTRIES_INIT;
	uint64_t pde_gpa = (pg->cr3 & 0xfffff000ull) + ((linear >> 22) & 0x3ff) * 4;
	enum guest_walk_status st;
	uint32_t pde, pte;

	if (!read_entry(mem, pg, access, pde_gpa, &pde, &used, res, &st))
		return st;
	if ((pde & PDE_PS) && (pg->cr4 & X86_CR4_PSE)) {
		if (pde & pde_4m_reserved(pg))
			return guest_walk_fault(pg, access, X86_PF_PRESENT | X86_PF_RSVD, res);
		res->page_size = 4ull << 20;
		res->gpa = ((uint64_t)((pde >> 13) & 0xff) << 32) | (pde & 0xffc00000u) |
			   (linear & 0x3fffff);
		return guest_walk_finish(mem, pg, access, &used, res);
	}
	if (!read_entry(mem, pg, access, (pde & 0xfffff000u) + ((linear >> 12) & 0x3ff) * 4, &pte,
			&used, res, &st))
		return st;
	res->page_size = 4096;
	res->gpa = (pte & 0xfffff000u) | (linear & 0xfff);
	return guest_walk_finish(mem, pg, access, &used, res);
}
