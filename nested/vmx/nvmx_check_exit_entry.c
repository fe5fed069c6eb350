/* nvmx_check_exit_entry: predicates for the VM-exit and VM-entry control fields (SDM 26.2.1.2-3). */
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

NVMX_PRED(exit_reserved)
{
	const struct nvmx_caps *c = e->caps;
	return nvmx_ctl_ok(e->v->exit_controls, nvmx_ctl_msr(c, c->msrs.exit, c->msrs.true_exit));
}

NVMX_PRED(exit_save_timer)
{
	return (e->pin & PIN_PREEMPTION_TIMER) || !(e->exit & EXIT_SAVE_PREEMPTION_TIMER);
}

/* An MSR area (24.7.2, 24.8.2): 16-byte aligned, start and last byte within MAXPHYADDR. */
static bool area_start_ok(const struct nvmx_eval *e, uint32_t count, uint64_t addr)
{
	return !count || nvmx_addr_ok(e, addr, 0xf);
}

static bool area_end_ok(const struct nvmx_eval *e, uint32_t count, uint64_t addr)
{
	uint64_t last = addr + (uint64_t)count * 16 - 1;

	/* "The arithmetic uses more bits than the physical-address width": a wrap fails. */
	return !count || (last >= addr && !(last >> e->caps->maxphyaddr));
}

NVMX_PRED(exit_msr_store_addr)
{
	return area_start_ok(e, e->v->exit_msr_store_count, e->v->exit_msr_store_addr);
}

NVMX_PRED(exit_msr_store_end)
{
	return area_end_ok(e, e->v->exit_msr_store_count, e->v->exit_msr_store_addr);
}

NVMX_PRED(exit_msr_load_addr)
{
	return area_start_ok(e, e->v->exit_msr_load_count, e->v->exit_msr_load_addr);
}

NVMX_PRED(exit_msr_load_end)
{
	return area_end_ok(e, e->v->exit_msr_load_count, e->v->exit_msr_load_addr);
}

NVMX_PRED(entry_reserved)
{
	const struct nvmx_caps *c = e->caps;
	return nvmx_ctl_ok(e->v->entry_controls,
			   nvmx_ctl_msr(c, c->msrs.entry, c->msrs.true_entry));
}

/* Type 1 is reserved; type 7 (other event) needs the monitor trap flag control. */
NVMX_PRED(inject_type)
{
	uint32_t t = nvmx_inj_type(e);
	const struct nvmx_caps *c = e->caps;
	uint64_t proc = nvmx_ctl_msr(c, c->msrs.proc, c->msrs.true_proc);

	if (!nvmx_injecting(e))
		return true;
	return t != (1u << 8) &&
	       (t != INTR_TYPE_OTHER_EVENT || (VMX_CTL_MAY1(proc) & PROC_MONITOR_TRAP_FLAG));
}

NVMX_PRED(inject_nmi_vector)
{
	return !nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_NMI ||
	       (e->v->entry_intr_info & INTR_INFO_VECTOR_MASK) == 2;
}

NVMX_PRED(inject_hw_exception_vector)
{
	return !nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_HW_EXCEPTION ||
	       (e->v->entry_intr_info & INTR_INFO_VECTOR_MASK) <= 31;
}

NVMX_PRED(inject_other_vector)
{
	return !nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_OTHER_EVENT ||
	       (e->v->entry_intr_info & INTR_INFO_VECTOR_MASK) == 0;
}

/* #DF, #TS, #NP, #SS, #GP, #PF, #AC push an error code. */
static bool vector_has_error_code(uint32_t vector)
{
	return vector < 32 && ((1u << vector) & 0x27d00u);
}

static bool errcode_basic56(const struct nvmx_eval *e)
{
	return e->caps->msrs.basic & VMX_BASIC_NO_HW_ERRCODE;
}

NVMX_PRED(inject_error_code_required)
{
	uint32_t info = e->v->entry_intr_info;

	if (!nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_HW_EXCEPTION ||
	    !(e->v->guest_cr0 & 1) || errcode_basic56(e) ||
	    !vector_has_error_code(info & INTR_INFO_VECTOR_MASK))
		return true;
	return info & INTR_INFO_ERROR_VALID;
}

NVMX_PRED(inject_error_code_forbidden)
{
	uint32_t info = e->v->entry_intr_info;
	bool must0;

	if (!nvmx_injecting(e))
		return true;
	must0 = nvmx_inj_type(e) != INTR_TYPE_HW_EXCEPTION || !(e->v->guest_cr0 & 1) ||
		(!errcode_basic56(e) && !vector_has_error_code(info & INTR_INFO_VECTOR_MASK));
	return !must0 || !(info & INTR_INFO_ERROR_VALID);
}

NVMX_PRED(inject_info_reserved)
{
	return !nvmx_injecting(e) || !(e->v->entry_intr_info & 0x7ffff000u);
}

NVMX_PRED(inject_error_code_reserved)
{
	return !nvmx_injecting(e) || !(e->v->entry_intr_info & INTR_INFO_ERROR_VALID) ||
	       !(e->v->entry_exception_error & 0xffff0000u);
}

NVMX_PRED(inject_instruction_len)
{
	uint32_t t = nvmx_inj_type(e), len = e->v->entry_instruction_len;

	if (!nvmx_injecting(e) || (t != INTR_TYPE_SW_INTERRUPT && t != INTR_TYPE_PRIV_SW_EXCEPTION &&
				  t != INTR_TYPE_SW_EXCEPTION))
		return true;
	return len <= 15 && (len != 0 || (e->caps->msrs.misc & VMX_MISC_ZERO_LEN_INJECTION));
}

NVMX_PRED(entry_msr_load_addr)
{
	return area_start_ok(e, e->v->entry_msr_load_count, e->v->entry_msr_load_addr);
}

NVMX_PRED(entry_msr_load_end)
{
	return area_end_ok(e, e->v->entry_msr_load_count, e->v->entry_msr_load_addr);
}

/* L1 is never in SMM under nestor. */
NVMX_PRED(entry_smm_outside_smm)
{
	return !(e->entry & (ENTRY_TO_SMM | ENTRY_DEACTIVATE_DUAL_MONITOR));
}
