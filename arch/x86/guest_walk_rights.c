/* guest_walk_rights: access rights of a finished walk, page-fault codes, A/D bits (SDM Vol. 3, 4.6-4.8). */
#include "arch/x86/guest_walk_internal.h"

#define ENTRY_RW (1ull << 1)
#define ENTRY_US (1ull << 2)
#define ENTRY_A (1u << 5)
#define ENTRY_D (1u << 6)

void guest_walk_note(struct guest_walk_entries *used, uint64_t gpa, unsigned size, uint64_t entry,
		     bool nx, bool has_a)
{
	if (used->count < 5) {
		used->gpa[used->count] = gpa;
		used->size[used->count] = (uint8_t)size;
		used->has_a[used->count] = has_a;
		used->count++;
	}
	used->writable &= (entry & ENTRY_RW) != 0;
	used->user &= (entry & ENTRY_US) != 0;
	used->nx |= nx;
}

/*
 * I/D is reported only where fetches can be refused on their own: with SMEP, or with
 * NXE under PAE/4-level paging (SDM Vol. 3, 4.7).
 */
enum guest_walk_status guest_walk_fault(const struct guest_paging *pg, unsigned access,
					uint32_t bits, struct guest_walk_result *res)
{
	bool nx_capable = (pg->cr4 & X86_CR4_PAE) && (pg->efer & X86_EFER_NXE);

	res->pf_error = bits;
	if (access & GUEST_ACCESS_WRITE)
		res->pf_error |= X86_PF_WRITE;
	if (access & GUEST_ACCESS_USER)
		res->pf_error |= X86_PF_USER;
	if ((access & GUEST_ACCESS_FETCH) && ((pg->cr4 & X86_CR4_SMEP) || nx_capable))
		res->pf_error |= X86_PF_FETCH;
	return GUEST_WALK_PAGE_FAULT;
}

/* SDM Vol. 3, 4.6.1: what user-mode and supervisor-mode accesses may do. */
static bool access_allowed(const struct guest_paging *pg, unsigned access,
			   const struct guest_walk_entries *used)
{
	bool write = access & GUEST_ACCESS_WRITE;
	bool fetch = access & GUEST_ACCESS_FETCH;

	if (access & GUEST_ACCESS_USER) {
		if (!used->user)
			return false;
		if (write && !used->writable)
			return false;
		return !(fetch && used->nx);
	}
	if (fetch)
		return !used->nx && !(used->user && (pg->cr4 & X86_CR4_SMEP));
	if (used->user && (pg->cr4 & X86_CR4_SMAP) && !(access & GUEST_ACCESS_AC))
		return false;
	return !(write && !used->writable && (pg->cr0 & X86_CR0_WP));
}

/* The CPU sets A in every entry it used and D in the page's own entry on a write (4.8). */
static void set_accessed_dirty(const struct guest_mem *mem, const struct guest_walk_entries *used,
			       bool write)
{
	for (unsigned i = 0; i < used->count; i++) {
		uint32_t bits = used->has_a[i] ? ENTRY_A : 0;
		void *p = guest_mem_ptr(mem, used->gpa[i], used->size[i]);

		if (write && i == used->count - 1)
			bits |= ENTRY_D;
		if (!p || !bits)
			continue;
		/* Another vCPU may update the same entry: a locked OR, like the CPU's. */
		if (used->size[i] == 8)
			__atomic_fetch_or((uint64_t *)p, (uint64_t)bits, __ATOMIC_SEQ_CST);
		else
			__atomic_fetch_or((uint32_t *)p, bits, __ATOMIC_SEQ_CST);
	}
}

enum guest_walk_status guest_walk_finish(const struct guest_mem *mem, const struct guest_paging *pg,
					 unsigned access, const struct guest_walk_entries *used,
					 struct guest_walk_result *res)
{
	if (!access_allowed(pg, access, used))
		return guest_walk_fault(pg, access, X86_PF_PRESENT, res);
	if (access & GUEST_ACCESS_SET_AD)
		set_accessed_dirty(mem, used, access & GUEST_ACCESS_WRITE);
	return GUEST_WALK_OK;
}
