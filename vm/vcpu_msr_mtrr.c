/* vcpu_msr_mtrr: the MTRRs, kept per vCPU with their types checked (SDM Vol. 3A 12.11). */
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

#define MSR_MTRR_VAR_FIRST 0x200
#define MSR_MTRR_VAR_LAST 0x20f
#define MSR_MTRR_DEF_TYPE 0x2ff

static const uint32_t mtrr_fixed_msrs[11] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a,
					      0x26b, 0x26c, 0x26d, 0x26e, 0x26f };

static int mtrr_fixed_index(uint32_t msr)
{
	for (int i = 0; i < 11; i++)
		if (mtrr_fixed_msrs[i] == msr)
			return i;
	return -1;
}

/* Memory types an MTRR may hold: UC, WC, WT, WP, WB (SDM Vol. 3A Table 12-8). */
static bool mtrr_type_ok(uint64_t t)
{
	return t == 0 || t == 1 || t == 4 || t == 5 || t == 6;
}

static bool mtrr_fixed_ok(uint64_t v)
{
	for (int i = 0; i < 8; i++)
		if (!mtrr_type_ok((v >> (i * 8)) & 0xff))
			return false;
	return true;
}

enum msr_result vcpu_msr_mtrr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	int fixed = mtrr_fixed_index(msr);
	if (fixed >= 0)
		*value = v->msrs.mtrr_fixed[fixed];
	else if (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST)
		*value = v->msrs.mtrr_var[msr - MSR_MTRR_VAR_FIRST];
	else if (msr == MSR_MTRR_DEF_TYPE)
		*value = v->msrs.mtrr_def_type;
	else
		return MSR_GP;
	return MSR_OK;
}

enum msr_result vcpu_msr_mtrr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	int fixed = mtrr_fixed_index(msr);
	if (fixed >= 0) {
		if (!mtrr_fixed_ok(value))
			return MSR_GP;
		v->msrs.mtrr_fixed[fixed] = value;
		return MSR_OK;
	}
	if (msr >= MSR_MTRR_VAR_FIRST && msr <= MSR_MTRR_VAR_LAST) {
		/* Even MSRs are PHYSBASE (type in 7:0, bits 11:8 reserved); odd are PHYSMASK
		 * (valid in bit 11, bits 10:0 reserved). */
		bool base = !(msr & 1);
		if (base ? (!mtrr_type_ok(value & 0xff) || (value & 0xf00)) : (value & 0x7ff))
			return MSR_GP;
		v->msrs.mtrr_var[msr - MSR_MTRR_VAR_FIRST] = value;
		return MSR_OK;
	}
	if (msr == MSR_MTRR_DEF_TYPE) {
		/* type 7:0, FE bit 10, E bit 11; everything else reserved. */
		if (!mtrr_type_ok(value & 0xff) || (value & ~0xcffull))
			return MSR_GP;
		v->msrs.mtrr_def_type = value;
		return MSR_OK;
	}
	return MSR_GP;
}
