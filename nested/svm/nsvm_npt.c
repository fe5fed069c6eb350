/* nsvm_npt: the walk nestor makes of L1's nested page table, as the processor would make it. */
#include "nested/svm/nsvm_npt.h"

#define E_P (1ull << 0)
#define E_RW (1ull << 1)
#define E_US (1ull << 2)
#define E_A (1ull << 5)
#define E_D (1ull << 6)
#define E_PS (1ull << 7)
#define E_NX (1ull << 63)
#define ADDR_MASK 0x000ffffffffff000ull

/*
 * APM Vol. 2, 5.3.3 (long-mode entries) and 5.2.6 (reserved bits): the physical-address
 * field's bits from MAXPHYADDR to 51, NX without EFER.NXE, PS in a PML4E or PML5E, and in a large
 * leaf the bits between its PAT bit (12) and its address (2 MiB: 20:13, 1 GiB: 29:13).
 */
uint64_t nsvm_npt_reserved(const struct nsvm_npt_mode *m, unsigned level, bool large)
{
	uint64_t rsvd = 0;
	unsigned w = m->maxphyaddr >= 52 ? 52 : m->maxphyaddr;
	if (w < 52)
		rsvd |= ((1ull << 52) - 1) & ~((1ull << w) - 1);
	if (!m->nxe)
		rsvd |= E_NX;
	if (level >= 4)
		rsvd |= E_PS;
	if (large && level == 2)
		rsvd |= ((1ull << 21) - 1) & ~((1ull << 13) - 1);
	if (large && level == 3)
		rsvd |= ((1ull << 30) - 1) & ~((1ull << 13) - 1);
	return rsvd;
}

static uint64_t level_shift(unsigned level)
{
	return 12 + 9 * (uint64_t)(level - 1);
}

static void fail(struct nsvm_npt_result *r, uint64_t error, unsigned level)
{
	r->ok = false;
	r->error = error | NSVM_NPF_U;
	r->level = level;
}

void nsvm_npt_walk(nsvm_npt_read read, void *ctx, const struct nsvm_npt_mode *m,
		   uint64_t l2_gpa, uint64_t access, struct nsvm_npt_result *r)
{
	uint64_t kind = access & (NSVM_NPF_W | NSVM_NPF_ID);
	unsigned top = m->levels == 5 ? 5 : 4, level;
	uint64_t entries[5], table = m->ncr3 & ADDR_MASK;
	bool w = true, x = true, user = true;

	*r = (struct nsvm_npt_result){ 0 };
	/* Without LA57 an address beyond 48 bits has no translation (APM 5.3.1). */
	if (top == 4 && (l2_gpa >> 48)) {
		fail(r, kind, 4);
		return;
	}
	for (level = top; level >= 1; level--) {
		uint64_t at = table + ((l2_gpa >> level_shift(level)) & 511) * 8, e;
		if (!read(ctx, at, 0, &e)) {
			r->bad_table = true;
			fail(r, kind, level);
			return;
		}
		if (!(e & E_P)) {
			fail(r, kind, level);
			return;
		}
		bool large = (level == 2 || level == 3) && (e & E_PS);
		if (e & nsvm_npt_reserved(m, level, large)) {
			fail(r, kind | NSVM_NPF_P | NSVM_NPF_RSVD, level);
			return;
		}
		entries[level - 1] = at;
		w = w && (e & E_RW);
		user = user && (e & E_US);
		x = x && !(m->nxe && (e & E_NX));
		if (level == 1 || large) {
			uint64_t size = 1ull << level_shift(level);
			r->l1_gpa = (e & ADDR_MASK & ~(size - 1)) | (l2_gpa & (size - 1));
			r->page_size = size;
			r->dirty = e & E_D;
			break;
		}
		table = e & ADDR_MASK;
	}
	r->level = level;
	/* Rights are the walk's combination (APM 5.6): every nested access is a user access. */
	if (!user || ((kind & NSVM_NPF_W) && !w) || ((kind & NSVM_NPF_ID) && !x)) {
		fail(r, kind | NSVM_NPF_P, level);
		return;
	}
	/* Accessed at every level used, dirty at the leaf on a write (APM 5.4.2). */
	for (unsigned l = top; l > level; l--) {
		uint64_t e;
		read(ctx, entries[l - 1], E_A, &e);
	}
	uint64_t leaf;
	read(ctx, entries[level - 1], E_A | ((kind & NSVM_NPF_W) ? E_D : 0), &leaf);
	r->dirty = leaf & E_D;
	r->writable = w;
	r->executable = x;
	r->ok = true;
}
