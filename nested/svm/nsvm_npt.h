/* nsvm_npt: one walk of L1's nested page table for an L2 guest-physical address (APM 15.25). */
#ifndef NESTOR_NESTED_SVM_NSVM_NPT_H
#define NESTOR_NESTED_SVM_NSVM_NPT_H

#include <stdbool.h>
#include <stdint.h>

/* The access that faulted or is being translated, as NPF's EXITINFO1 bits say it. */
#define NSVM_NPF_P (1ull << 0)		/* the entry was present: a protection/reserved fault */
#define NSVM_NPF_W (1ull << 1)		/* a write */
#define NSVM_NPF_U (1ull << 2)		/* a user access: every nested access is one */
#define NSVM_NPF_RSVD (1ull << 3)	/* a reserved bit was set in an entry */
#define NSVM_NPF_ID (1ull << 4)		/* an instruction fetch */
#define NSVM_NPF_FINAL (1ull << 32)	/* on the final guest-physical translation */
#define NSVM_NPF_GPT (1ull << 33)	/* on a guest page-table access */

/*
 * Reads the 8-byte entry at L1 guest-physical gpa (false: not L1 RAM); sets the bits in
 * `set` atomically first when set is non-zero (the A and D bits a walk updates).
 */
typedef bool (*nsvm_npt_read)(void *ctx, uint64_t gpa, uint64_t set, uint64_t *entry);

/*
 * What L1's nested paging is, as VMRUN latched it: the long-mode format with 4 levels, or
 * 5 with L1's CR4.LA57 (the nested table has the host's paging format, APM 15.25.5; the
 * legacy and PAE formats are refused by the check table, nestor.npt_l1_not_long_mode).
 */
struct nsvm_npt_mode {
	uint64_t ncr3;
	uint8_t levels;		/* 4 or 5 */
	uint8_t maxphyaddr;	/* bits maxphyaddr..51 of an entry are reserved */
	bool nxe;		/* L1's EFER.NXE: without it bit 63 is reserved */
};

struct nsvm_npt_result {
	bool ok;		/* translated: l1_gpa and the rights below are valid */
	bool bad_table;		/* an entry could not be read: it is not L1 RAM */
	uint64_t l1_gpa;	/* the translation of the L2 address */
	uint64_t page_size;	/* the size of L1's leaf: 4 KiB, 2 MiB or 1 GiB */
	bool writable;		/* W at every level */
	bool executable;	/* no NX at any level (or NX not enabled) */
	bool dirty;		/* the leaf's D bit (after this walk's update) */
	uint64_t error;		/* !ok: EXITINFO1 bits 4:0 of the NPF L1 must see */
	unsigned level;		/* where the walk ended: 1 PTE .. 4 PML4E, 5 PML5E */
};

/*
 * Walks L1's table for l2_gpa and an access described by NSVM_NPF_W/ID (U is implied):
 * present and user at every level, write needs W everywhere, fetch needs no NX, and no
 * reserved bit (APM Vol. 2, 5.3 and 15.25.5: the long-mode formats, with every access a
 * user access). Accessed bits are set on the way and the leaf's dirty bit on a write, as
 * the processor does. A reserved bit faults even where the entry is not needed for the
 * rights (the processor checks each entry it reads).
 */
void nsvm_npt_walk(nsvm_npt_read read, void *ctx, const struct nsvm_npt_mode *m,
		   uint64_t l2_gpa, uint64_t access, struct nsvm_npt_result *r);

/* The reserved-bit mask of an entry at `level` (large: a 2 MiB or 1 GiB leaf). */
uint64_t nsvm_npt_reserved(const struct nsvm_npt_mode *m, unsigned level, bool large);

#endif
