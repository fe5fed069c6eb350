/* guest_walk: PAE, 4-level and 5-level walks, permissions and A/D bits (SDM Vol. 3, 4.4-4.8). */
#include "arch/x86/guest_walk.h"

#include "arch/x86/guest_walk_internal.h"
#include "lib/string.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

/* Bits [51:MAXPHYADDR] of an entry: physical-address bits the CPU does not have. */
static uint64_t above_maxphyaddr(const struct guest_paging *pg)
{
	unsigned m = pg->maxphyaddr ? pg->maxphyaddr : 52;
	return m >= 52 ? 0 : ((1ull << 52) - 1) & ~((1ull << m) - 1);
}

/* Reserved bits of an 8-byte entry at a level (SDM Vol. 3, Tables 4-11 and 4-20). */
static uint64_t reserved_bits(const struct guest_paging *pg, unsigned level, uint64_t e,
			      bool pae_pdpte)
{
	uint64_t rsvd = above_maxphyaddr(pg);

	if (pae_pdpte) /* PAE PDPTE: bits 2:1, 8:5 and 63 (SDM Vol. 3, Table 4-8) */
		return rsvd | 0x1e6ull | PTE_XD;
	if (!(pg->efer & X86_EFER_NXE))
		rsvd |= PTE_XD;
	if (level >= 4)
		rsvd |= PTE_PS; /* no PML4E/PML5E maps a page */
	else if (level == 3 && (e & PTE_PS))
		rsvd |= 0x3fffe000ull; /* 1 GiB page: bits 29:13 */
	else if (level == 2 && (e & PTE_PS))
		rsvd |= 0x1fe000ull; /* 2 MiB page: bits 20:13 */
	return rsvd;
}

static bool is_canonical(uint64_t linear, unsigned bits)
{
	int64_t s = (int64_t)(linear << (64 - bits)) >> (64 - bits);
	return (uint64_t)s == linear;
}

/*
 * One walk over 8-byte entries: top_level 5 or 4 (long mode) or 3 (PAE, whose
 * PDPTEs carry no permissions).
 */
static enum guest_walk_status walk_8byte(const struct guest_mem *mem, const struct guest_paging *pg,
					 uint64_t linear, unsigned access, unsigned top_level,
					 struct guest_walk_result *res)
{
	struct guest_walk_entries used = GUEST_WALK_ENTRIES_INIT;
	bool pae = top_level == 3;
	uint64_t table = pae ? (pg->cr3 & 0xffffffe0ull) : (pg->cr3 & 0x000ffffffffff000ull);
	uint64_t addr_mask = 0x000ffffffffff000ull;

	for (unsigned level = top_level; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t index = (linear >> shift) & (pae && level == 3 ? 3 : 511);
		uint64_t entry_gpa = table + index * 8;
		bool pdpte = pae && level == 3;
		uint64_t e;

		if (!guest_mem_read(mem, entry_gpa, &e, 8)) {
			res->table_gpa = entry_gpa;
			return GUEST_WALK_BAD_TABLE;
		}
		if (!(e & PTE_P))
			return guest_walk_fault(pg, access, 0, res);
		if (e & reserved_bits(pg, level, e, pdpte))
			return guest_walk_fault(pg, access, X86_PF_PRESENT | X86_PF_RSVD, res);
		guest_walk_note(&used, entry_gpa, 8, pdpte ? PTE_RW | PTE_US : e,
				(pg->efer & X86_EFER_NXE) && (e & PTE_XD), !pdpte);
		if (level == 1 || (level <= 3 && !pdpte && (e & PTE_PS))) {
			res->page_size = 1ull << shift;
			res->gpa = (e & addr_mask & ~(res->page_size - 1)) | (linear & (res->page_size - 1));
			return guest_walk_finish(mem, pg, access, &used, res);
		}
		table = e & addr_mask;
	}
	return GUEST_WALK_BAD_TABLE; /* not reached: level 1 always ends the walk */
}

enum guest_walk_status guest_walk(const struct guest_mem *mem, const struct guest_paging *pg,
				  uint64_t linear, unsigned access, struct guest_walk_result *res)
{
	memset(res, 0, sizeof(*res));
	if (!(pg->cr0 & X86_CR0_PG)) {
		res->gpa = linear & 0xffffffffull;
		res->page_size = 4096;
		return GUEST_WALK_OK;
	}
	if (!(pg->cr4 & X86_CR4_PAE))
		return guest_walk_32bit(mem, pg, linear & 0xffffffffull, access, res);
	if (!(pg->efer & X86_EFER_LMA))
		return walk_8byte(mem, pg, linear & 0xffffffffull, access, 3, res);
	if (pg->cr4 & X86_CR4_LA57) {
		if (!is_canonical(linear, 57))
			return GUEST_WALK_NONCANONICAL;
		return walk_8byte(mem, pg, linear, access, 5, res);
	}
	if (!is_canonical(linear, 48))
		return GUEST_WALK_NONCANONICAL;
	return walk_8byte(mem, pg, linear, access, 4, res);
}

const char *guest_walk_status_name(enum guest_walk_status status)
{
	switch (status) {
	case GUEST_WALK_OK: return "ok";
	case GUEST_WALK_PAGE_FAULT: return "page fault";
	case GUEST_WALK_NONCANONICAL: return "non-canonical address";
	case GUEST_WALK_BAD_TABLE: return "paging structure outside guest RAM";
	case GUEST_WALK_NOT_RAM: return "not guest RAM";
	}
	return "?";
}
