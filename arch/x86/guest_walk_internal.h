/* guest_walk_internal: what the page-walk files share: used entries, faults, permissions. */
#ifndef NESTOR_ARCH_X86_GUEST_WALK_INTERNAL_H
#define NESTOR_ARCH_X86_GUEST_WALK_INTERNAL_H

#include "arch/x86/guest_walk.h"

/* The entries a walk went through, and the rights they grant together (SDM Vol. 3, 4.6). */
struct guest_walk_entries {
	unsigned count;
	uint64_t gpa[5];
	uint8_t size[5];   /* 4 or 8 bytes */
	bool has_a[5];     /* PAE PDPTEs have no accessed bit */
	bool writable;     /* R/W set at every level */
	bool user;         /* U/S set at every level */
	bool nx;           /* XD set at some level (with EFER.NXE) */
};

#define GUEST_WALK_ENTRIES_INIT { .writable = true, .user = true }

/* Records an entry and folds its R/W, U/S and XD into the rights. */
void guest_walk_note(struct guest_walk_entries *used, uint64_t gpa, unsigned size, uint64_t entry,
		     bool nx, bool has_a);
/* A page fault with the given P/RSVD bits plus those the access implies. */
enum guest_walk_status guest_walk_fault(const struct guest_paging *pg, unsigned access,
					uint32_t bits, struct guest_walk_result *res);
/* Permission checks on the combined rights, then accessed/dirty bits if asked for. */
enum guest_walk_status guest_walk_finish(const struct guest_mem *mem, const struct guest_paging *pg,
					 unsigned access, const struct guest_walk_entries *used,
					 struct guest_walk_result *res);
/* 32-bit paging: 4-byte entries, 4 MiB pages with CR4.PSE. */
enum guest_walk_status guest_walk_32bit(const struct guest_mem *mem, const struct guest_paging *pg,
					uint64_t linear, unsigned access,
					struct guest_walk_result *res);

#endif
