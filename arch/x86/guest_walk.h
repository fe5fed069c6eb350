/* guest_walk: translating a guest's linear addresses through the guest's own page tables. */
#ifndef NESTOR_ARCH_X86_GUEST_WALK_H
#define NESTOR_ARCH_X86_GUEST_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/insn.h"
#include "arch/x86/regs.h"
#include "lib/guest_mem.h"

/* The guest control state that selects and drives paging (SDM Vol. 3, 4.1). */
struct guest_paging {
	uint64_t cr0;
	uint64_t cr3;
	uint64_t cr4;
	uint64_t efer;
	uint8_t maxphyaddr; /* the guest's MAXPHYADDR (CPUID 80000008h EAX[7:0]); 0 means 52 */
};

/* What the access is; GUEST_ACCESS_USER means CPL 3. */
enum {
	GUEST_ACCESS_WRITE = 1u << 0,
	GUEST_ACCESS_FETCH = 1u << 1,
	GUEST_ACCESS_USER = 1u << 2,
	GUEST_ACCESS_AC = 1u << 3,     /* EFLAGS.AC: SMAP lets supervisor data reach user pages */
	GUEST_ACCESS_SET_AD = 1u << 4, /* set accessed/dirty bits as the CPU does */
};

/* Page-fault error code (SDM Vol. 3, 4.7). */
#define X86_PF_PRESENT (1u << 0)
#define X86_PF_WRITE (1u << 1)
#define X86_PF_USER (1u << 2)
#define X86_PF_RSVD (1u << 3)
#define X86_PF_FETCH (1u << 4)

enum guest_walk_status {
	GUEST_WALK_OK,
	GUEST_WALK_PAGE_FAULT,   /* inject #PF(pf_error) with CR2 = the linear address */
	GUEST_WALK_NONCANONICAL, /* inject #GP(0) (#SS(0) for a stack access) */
	GUEST_WALK_BAD_TABLE,    /* a paging structure is outside guest RAM: stop the VM */
	GUEST_WALK_NOT_RAM,      /* translated, but the page is not guest RAM (fetch only) */
};

struct guest_walk_result {
	uint64_t gpa;
	uint64_t page_size;  /* 4 KiB, 2 MiB, 4 MiB or 1 GiB */
	uint32_t pf_error;   /* for GUEST_WALK_PAGE_FAULT */
	uint64_t table_gpa;  /* for GUEST_WALK_BAD_TABLE: the entry that could not be read */
};

/*
 * Translates linear (already segment-based) for an access. Paging off, 32-bit paging
 * (with PSE 4 MiB pages), PAE, 4-level and 5-level paging, 2 MiB and 1 GiB pages, U/S,
 * R/W with CR0.WP, NX, SMEP and SMAP are enforced. Protection keys are not. PAE PDPTEs
 * are read from memory at each walk rather than from the CPU's PDPTE registers.
 */
enum guest_walk_status guest_walk(const struct guest_mem *mem, const struct guest_paging *pg,
				  uint64_t linear, unsigned access, struct guest_walk_result *res);

const char *guest_walk_status_name(enum guest_walk_status status);

/* Instruction bytes at CS:RIP, as far as they can be fetched. */
struct guest_fetch {
	uint8_t bytes[X86_INSN_MAX_LEN];
	unsigned len;              /* bytes[0, len) were fetched */
	uint64_t fault_linear;     /* where fetching stopped, when len < X86_INSN_MAX_LEN */
	struct guest_walk_result fault;
};

/*
 * Fetches up to 15 bytes at cs_base + rip (rip wraps at 16/32 bits outside 64-bit mode),
 * crossing page boundaries. Returns GUEST_WALK_OK when all 15 bytes were fetched;
 * otherwise bytes[0, len) are valid and the status says why the next byte was not
 * (for instance a #PF on the second page). Decode what was fetched first: only when the
 * instruction needs the missing bytes does the failure apply.
 */
enum guest_walk_status guest_fetch_insn(const struct guest_mem *mem, const struct guest_paging *pg,
					enum x86_mode mode, uint64_t cs_base, uint64_t rip,
					unsigned cpl, struct guest_fetch *out);

#endif
