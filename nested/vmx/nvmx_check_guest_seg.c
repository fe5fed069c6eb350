/* nvmx_check_guest_seg: predicates for the guest segment registers (SDM 26.3.1.2). */
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

/* The members in VMCS order ES CS SS DS FS GS LDTR TR (enum vmcs_seg). */
uint16_t nvmx_seg_sel(const struct vmcs12 *v, int s)
{
	const uint16_t x[8] = { v->guest_es_sel, v->guest_cs_sel, v->guest_ss_sel,
				v->guest_ds_sel, v->guest_fs_sel, v->guest_gs_sel,
				v->guest_ldtr_sel, v->guest_tr_sel };
	return x[s & 7];
}

uint64_t nvmx_seg_base(const struct vmcs12 *v, int s)
{
	const uint64_t x[8] = { v->guest_es_base, v->guest_cs_base, v->guest_ss_base,
				v->guest_ds_base, v->guest_fs_base, v->guest_gs_base,
				v->guest_ldtr_base, v->guest_tr_base };
	return x[s & 7];
}

uint32_t nvmx_seg_limit(const struct vmcs12 *v, int s)
{
	const uint32_t x[8] = { v->guest_es_limit, v->guest_cs_limit, v->guest_ss_limit,
				v->guest_ds_limit, v->guest_fs_limit, v->guest_gs_limit,
				v->guest_ldtr_limit, v->guest_tr_limit };
	return x[s & 7];
}

uint32_t nvmx_seg_ar(const struct vmcs12 *v, int s)
{
	const uint32_t x[8] = { v->guest_es_ar, v->guest_cs_ar, v->guest_ss_ar, v->guest_ds_ar,
				v->guest_fs_ar, v->guest_gs_ar, v->guest_ldtr_ar, v->guest_tr_ar };
	return x[s & 7];
}

static uint32_t ar(const struct nvmx_eval *e, int s) { return nvmx_seg_ar(e->v, s); }
static uint32_t type(const struct nvmx_eval *e, int s) { return ar(e, s) & AR_TYPE_MASK; }
static uint32_t dpl(const struct nvmx_eval *e, int s) { return (ar(e, s) >> AR_DPL_SHIFT) & 3; }
static uint32_t rpl(const struct nvmx_eval *e, int s) { return nvmx_seg_sel(e->v, s) & 3; }
static bool usable(const struct nvmx_eval *e, int s) { return !(ar(e, s) & AR_UNUSABLE); }

/* The rules "if the register is CS or if the register is usable" (non-v86 only). */
static bool applies(const struct nvmx_eval *e, int s)
{
	return !nvmx_v86(e) && (s == VMCS_SEG_CS || usable(e, s));
}

NVMX_PRED(guest_tr_ti)
{
	return !(e->v->guest_tr_sel & 4);
}

NVMX_PRED(guest_ldtr_ti)
{
	return !usable(e, VMCS_SEG_LDTR) || !(e->v->guest_ldtr_sel & 4);
}

NVMX_PRED(guest_ss_rpl)
{
	return nvmx_v86(e) || nvmx_ug(e) || rpl(e, VMCS_SEG_SS) == rpl(e, VMCS_SEG_CS);
}

NVMX_PRED(guest_v86_base)
{
	return !nvmx_v86(e) || nvmx_seg_base(e->v, arg) == (uint64_t)nvmx_seg_sel(e->v, arg) << 4;
}

/* TR, FS, GS always; LDTR when usable. */
NVMX_PRED(guest_base_canonical)
{
	if (arg == VMCS_SEG_LDTR && !usable(e, arg))
		return true;
	return nvmx_canonical(e, nvmx_seg_base(e->v, arg));
}

/* CS always; SS, DS, ES when usable. */
NVMX_PRED(guest_base_high)
{
	if (arg != VMCS_SEG_CS && !usable(e, arg))
		return true;
	return !(nvmx_seg_base(e->v, arg) >> 32);
}

NVMX_PRED(guest_v86_limit)
{
	return !nvmx_v86(e) || nvmx_seg_limit(e->v, arg) == 0xffff;
}

NVMX_PRED(guest_v86_ar)
{
	return !nvmx_v86(e) || ar(e, arg) == 0xf3;
}

NVMX_PRED(guest_cs_type)
{
	uint32_t t = type(e, VMCS_SEG_CS);

	if (nvmx_v86(e))
		return true;
	return t == 9 || t == 11 || t == 13 || t == 15 || (t == 3 && nvmx_ug(e));
}

NVMX_PRED(guest_ss_type)
{
	uint32_t t = type(e, VMCS_SEG_SS);
	return nvmx_v86(e) || !usable(e, VMCS_SEG_SS) || t == 3 || t == 7;
}

/* DS ES FS GS: accessed; a code segment must be readable. */
NVMX_PRED(guest_data_type)
{
	uint32_t t = type(e, arg);

	if (nvmx_v86(e) || !usable(e, arg))
		return true;
	return (t & 1) && (!(t & 8) || (t & 2));
}

NVMX_PRED(guest_seg_s)
{
	return !applies(e, arg) || (ar(e, arg) & AR_S);
}

NVMX_PRED(guest_cs_dpl)
{
	uint32_t t = type(e, VMCS_SEG_CS), d = dpl(e, VMCS_SEG_CS), ss = dpl(e, VMCS_SEG_SS);

	if (nvmx_v86(e))
		return true;
	if (t == 3)
		return d == 0;
	if (t == 9 || t == 11)
		return d == ss;
	if (t == 13 || t == 15)
		return d <= ss;
	return true;
}

NVMX_PRED(guest_ss_dpl_rpl)
{
	return nvmx_v86(e) || nvmx_ug(e) || dpl(e, VMCS_SEG_SS) == rpl(e, VMCS_SEG_SS);
}

NVMX_PRED(guest_ss_dpl_zero)
{
	if (nvmx_v86(e))
		return true;
	if (type(e, VMCS_SEG_CS) == 3 || !(e->v->guest_cr0 & 1))
		return dpl(e, VMCS_SEG_SS) == 0;
	return true;
}

NVMX_PRED(guest_data_dpl)
{
	if (nvmx_v86(e) || nvmx_ug(e) || !usable(e, arg) || type(e, arg) > 11)
		return true;
	return dpl(e, arg) >= rpl(e, arg);
}

NVMX_PRED(guest_seg_p)
{
	return !applies(e, arg) || (ar(e, arg) & AR_P);
}

/* Bits 11:8 and 31:17 reserved. */
#define AR_RESERVED 0xfffe0f00u

NVMX_PRED(guest_seg_ar_reserved)
{
	return !applies(e, arg) || !(ar(e, arg) & AR_RESERVED);
}

NVMX_PRED(guest_cs_l_db)
{
	uint32_t a = ar(e, VMCS_SEG_CS);
	return nvmx_v86(e) || !nvmx_ia32e_guest(e) || !(a & AR_L) || !(a & AR_DB);
}

/* Limit 11:0 not all ones -> G = 0; limit 31:20 not all zero -> G = 1. */
static bool granularity_ok(const struct nvmx_eval *e, int s)
{
	uint32_t lim = nvmx_seg_limit(e->v, s);
	bool g = ar(e, s) & AR_G;

	if ((lim & 0xfff) != 0xfff && g)
		return false;
	if ((lim & 0xfff00000u) && !g)
		return false;
	return true;
}

NVMX_PRED(guest_seg_g)
{
	return !applies(e, arg) || granularity_ok(e, arg);
}

NVMX_PRED(guest_tr_type)
{
	uint32_t t = type(e, VMCS_SEG_TR);
	return nvmx_ia32e_guest(e) ? t == 11 : (t == 3 || t == 11);
}

NVMX_PRED(guest_tr_s)
{
	return !(ar(e, VMCS_SEG_TR) & AR_S);
}

NVMX_PRED(guest_tr_p)
{
	return ar(e, VMCS_SEG_TR) & AR_P;
}

NVMX_PRED(guest_tr_ar_reserved)
{
	return !(ar(e, VMCS_SEG_TR) & AR_RESERVED);
}

NVMX_PRED(guest_tr_g)
{
	return granularity_ok(e, VMCS_SEG_TR);
}

NVMX_PRED(guest_tr_usable)
{
	return usable(e, VMCS_SEG_TR);
}

NVMX_PRED(guest_ldtr_type)
{
	return !usable(e, VMCS_SEG_LDTR) || type(e, VMCS_SEG_LDTR) == 2;
}

NVMX_PRED(guest_ldtr_s)
{
	return !usable(e, VMCS_SEG_LDTR) || !(ar(e, VMCS_SEG_LDTR) & AR_S);
}

NVMX_PRED(guest_ldtr_p)
{
	return !usable(e, VMCS_SEG_LDTR) || (ar(e, VMCS_SEG_LDTR) & AR_P);
}

NVMX_PRED(guest_ldtr_ar_reserved)
{
	return !usable(e, VMCS_SEG_LDTR) || !(ar(e, VMCS_SEG_LDTR) & AR_RESERVED);
}

NVMX_PRED(guest_ldtr_g)
{
	return !usable(e, VMCS_SEG_LDTR) || granularity_ok(e, VMCS_SEG_LDTR);
}
