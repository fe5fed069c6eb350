/* nvmx_check_msr: the checks on each VM-entry MSR-load entry (SDM 26.4). */
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

/*
 * IA32_VMX_MISC[27:25]: beyond 512 * (N + 1) entries the SDM promises nothing (A.6);
 * nestor, like KVM, fails the entry at the first element past the limit.
 */
NVMX_PRED(msr_load_count_limit)
{
	return e->msr_i < VMX_MISC_MAX_MSR_LIST(e->caps->msrs.misc);
}

/* nestor safety: each 16-byte element must be L1 RAM to be read. */
NVMX_PRED(msr_entry_in_ram)
{
	uint64_t gpa = e->v->entry_msr_load_addr + (uint64_t)e->msr_i * 16;
	return e->env->read(e->env->ctx, gpa, &e->msr, sizeof(e->msr));
}

NVMX_PRED(msr_load_fs_gs_base)
{
	return e->msr.index != 0xc0000100u && e->msr.index != 0xc0000101u;
}

/* x2APIC MSRs (800H-8FFH) while L1's local APIC is in x2APIC mode. */
NVMX_PRED(msr_load_x2apic)
{
	return !e->env->l1_x2apic || (e->msr.index >> 8) != 0x8;
}

NVMX_PRED(msr_load_reserved)
{
	return e->msr.reserved == 0;
}

/* "... or if the MSR write would cause a general-protection exception". */
NVMX_PRED(msr_load_wrmsr)
{
	return e->env->msr_write_ok(e->env->ctx, e->msr.index, e->msr.value);
}
