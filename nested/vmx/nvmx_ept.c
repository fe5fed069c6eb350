/* nvmx_ept: L1's EPT walked for an L2 address: translation, violation or misconfiguration. */
#include "nested/vmx/nvmx_ept.h"

#include "arch/x86/vmx/vmx_caps.h"

#define EPT_CAP_EXEC_ONLY_BIT (1ull << 0)
#define EPT_CAP_1G_BIT (1ull << 17)
#define ADDR_MASK 0x000ffffffffff000ull
#define LEAF_BIT (1ull << 7)

/* 28.2.3.1: write without read, or execute-only where the CPU does not allow it. */
static bool rights_misconfigured(uint64_t e, const struct nvmx_caps *c)
{
	unsigned rwx = (unsigned)(e & 7);
	return (rwx & 3) == 2 || (rwx == 4 && !(c->msrs.ept_vpid & EPT_CAP_EXEC_ONLY_BIT));
}

/* Reserved bits of a present entry at `level` (1 = PTE .. 4 = PML4E, 5 = PML5E). */
static bool reserved_set(uint64_t e, unsigned level, const struct nvmx_caps *c)
{
	uint64_t above = ADDR_MASK & ~((1ull << c->maxphyaddr) - 1);
	bool leaf = level == 1 || (e & LEAF_BIT);

	if (e & above)
		return true;
	if (level >= 4)
		return e & 0xf8;			/* 7:3 */
	if (!leaf)
		return e & 0x78;			/* 6:3 */
	if (level == 3)
		return !(c->msrs.ept_vpid & EPT_CAP_1G_BIT) || (e & 0x3ffff000ull);
	if (level == 2)
		return e & 0x1ff000ull;			/* 20:12 */
	return false;
}

static bool memtype_bad(uint64_t e)
{
	unsigned t = (unsigned)((e >> 3) & 7);
	return t == 2 || t == 3 || t == 7;
}

enum nvmx_ept_result nvmx_ept_translate(uint64_t eptp, uint64_t l2_gpa, unsigned access,
					const struct nvmx_caps *caps,
					const struct nvmx_env *env, struct nvmx_ept_walk *w)
{
	unsigned levels = (unsigned)((eptp & EPTP_WALK_MASK) >> EPTP_WALK_SHIFT) + 1;
	uint64_t table = eptp & ADDR_MASK, e = 0;
	unsigned rights = 7;

	*w = (struct nvmx_ept_walk){ 0 };
	if (levels != 4 && levels != 5)
		return NVMX_EPT_MISCONFIG;	/* VM entry refused such an EPTP (26.2.1.1) */
	for (unsigned level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t at = table + 8 * ((l2_gpa >> shift) & 511);

		if (!env->read(env->ctx, at, &e, 8)) {
			w->table_gpa = at;
			return NVMX_EPT_BAD_TABLE;
		}
		rights &= (unsigned)(e & 7);
		if (!(e & 7)) {
			w->rights = 0;
			return NVMX_EPT_VIOLATION;
		}
		if (rights_misconfigured(e, caps) || reserved_set(e, level, caps))
			return NVMX_EPT_MISCONFIG;
		if (level == 1 || (level <= 3 && (e & LEAF_BIT))) {
			if (memtype_bad(e))
				return NVMX_EPT_MISCONFIG;
			w->page_size = 1ull << shift;
			w->page_base = e & ADDR_MASK & ~(w->page_size - 1);
			w->l1_gpa = w->page_base | (l2_gpa & (w->page_size - 1));
			w->rights = (uint8_t)rights;
			w->memtype = (uint8_t)((e >> 3) & 7);
			w->ipat = e & (1ull << 6);
			return (access & ~rights) ? NVMX_EPT_VIOLATION : NVMX_EPT_OK;
		}
		table = e & ADDR_MASK;
	}
	return NVMX_EPT_MISCONFIG;	/* not reached: level 1 is always a leaf */
}

uint64_t nvmx_ept_violation_qual(uint64_t hw_qual, const struct nvmx_ept_walk *w)
{
	return (hw_qual & (7ull | (1ull << 7) | (1ull << 8) | (1ull << 12))) |
	       ((uint64_t)w->rights << 3);
}
