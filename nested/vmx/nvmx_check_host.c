/* nvmx_check_host: predicates for the host-state area and address-space size (SDM 26.2.2-26.2.4). */
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

static bool host64(const struct nvmx_eval *e)
{
	return e->exit & EXIT_HOST_ADDR_SPACE_SIZE;
}

static bool fixed_ok(uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
	return (v & fixed0) == fixed0 && !(v & ~fixed1);
}

NVMX_PRED(host_cr0_fixed)
{
	const struct vmx_cap_msrs *m = &e->caps->msrs;
	return fixed_ok(e->v->host_cr0, m->cr0_fixed0, m->cr0_fixed1);
}

NVMX_PRED(host_cr4_fixed)
{
	const struct vmx_cap_msrs *m = &e->caps->msrs;
	return fixed_ok(e->v->host_cr4, m->cr4_fixed0, m->cr4_fixed1);
}

/* CR3: bits 63:52 and those of 51:32 beyond MAXPHYADDR are 0. */
NVMX_PRED(host_cr3_width)
{
	return !(e->v->host_cr3 >> e->caps->maxphyaddr);
}

NVMX_PRED(host_sysenter_esp)
{
	return nvmx_canonical(e, e->v->host_sysenter_esp);
}

NVMX_PRED(host_sysenter_eip)
{
	return nvmx_canonical(e, e->v->host_sysenter_eip);
}

NVMX_PRED(host_perf_global_ctrl)
{
	return !(e->exit & EXIT_LOAD_PERF_GLOBAL_CTRL) ||
	       !(e->v->host_perf_global_ctrl & ~e->caps->perf_global_ctrl_valid);
}

NVMX_PRED(host_pat)
{
	return !(e->exit & EXIT_LOAD_PAT) || nvmx_pat_ok(e->v->host_pat);
}

NVMX_PRED(host_efer_reserved)
{
	return !(e->exit & EXIT_LOAD_EFER) || !(e->v->host_efer & ~e->caps->efer_valid);
}

NVMX_PRED(host_efer_lma)
{
	return !(e->exit & EXIT_LOAD_EFER) || !!(e->v->host_efer & NVMX_BIT(10)) == host64(e);
}

NVMX_PRED(host_efer_lme)
{
	return !(e->exit & EXIT_LOAD_EFER) || !!(e->v->host_efer & NVMX_BIT(8)) == host64(e);
}

/* arg: ES CS SS DS FS GS TR as host selectors 0-6 (encodings 0C00H + 2 * arg). */
static uint16_t host_sel(const struct vmcs12 *v, int i)
{
	const uint16_t s[7] = { v->host_es_sel, v->host_cs_sel, v->host_ss_sel, v->host_ds_sel,
				v->host_fs_sel, v->host_gs_sel, v->host_tr_sel };
	return s[i];
}

NVMX_PRED(host_sel_rpl_ti)
{
	return !(host_sel(e->v, arg) & 7);
}

NVMX_PRED(host_cs_nonzero)
{
	return e->v->host_cs_sel != 0;
}

NVMX_PRED(host_tr_nonzero)
{
	return e->v->host_tr_sel != 0;
}

NVMX_PRED(host_ss_nonzero)
{
	return host64(e) || e->v->host_ss_sel != 0;
}

/* arg: 0 FS, 1 GS, 2 GDTR, 3 IDTR, 4 TR. */
NVMX_PRED(host_base_canonical)
{
	const uint64_t b[5] = { e->v->host_fs_base, e->v->host_gs_base, e->v->host_gdtr_base,
				e->v->host_idtr_base, e->v->host_tr_base };
	return nvmx_canonical(e, b[arg]);
}

NVMX_PRED(host_outside_ia32e)
{
	return e->env->l1_lma || (!nvmx_ia32e_guest(e) && !host64(e));
}

NVMX_PRED(host_inside_ia32e)
{
	return !e->env->l1_lma || host64(e);
}

NVMX_PRED(host32_cr4_pcide)
{
	return host64(e) || !(e->v->host_cr4 & NVMX_BIT(17));
}

NVMX_PRED(host32_rip_high)
{
	return host64(e) || !(e->v->host_rip >> 32);
}

NVMX_PRED(host64_cr4_pae)
{
	return !host64(e) || (e->v->host_cr4 & NVMX_BIT(5));
}

NVMX_PRED(host64_rip_canonical)
{
	return !host64(e) || nvmx_canonical(e, e->v->host_rip);
}
