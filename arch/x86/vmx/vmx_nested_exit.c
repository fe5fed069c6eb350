/* vmx_nested_exit: an exit while L2 ran: L1's (reflected), nestor's for L2, or shadow EPT's. */
#include "apic/apic_vm.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "vm/vcpu_exit.h"
#include "vm/vm.h"

/*
 * An exit nestor handles for L2 resumes L2 with the event the exit interrupted on its
 * way in (27.2.4): L1 injected it, or the CPU was delivering L2's own; and with virtual
 * NMIs an IRET that unblocked NMIs before faulting blocks them again (27.2.3).
 */
static void l2_reinject(const struct nvmx_exit *e, bool iret_unblocked)
{
	if (e->idt_info & INTR_INFO_VALID) {
		uint32_t type = e->idt_info & INTR_INFO_TYPE_MASK;
		vmcs_write(VMCS_ENTRY_INTR_INFO, e->idt_info & ~INTR_INFO_NMI_UNBLOCKED_BY_IRET);
		if (e->idt_info & INTR_INFO_ERROR_VALID)
			vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, e->idt_error);
		if (type >= INTR_TYPE_SW_INTERRUPT && type != INTR_TYPE_OTHER_EVENT)
			vmcs_write(VMCS_ENTRY_INSTRUCTION_LEN, e->insn_len);
		if (type == INTR_TYPE_NMI)
			vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
				   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & ~INTERRUPTIBILITY_NMI);
	}
	if (iret_unblocked && (vmcs_read(VMCS_PIN_CONTROLS) & PIN_VIRTUAL_NMIS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
}

/* L2's MOV to/from CR8 without a TPR shadow in vmcs12: L2 reaches L1's TPR directly,
 * as on a CPU without TPR virtualization (29.1): nestor is that TPR. */
static enum vcpu_nested_exit l2_cr8(struct vcpu *v, uint64_t qual)
{
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);
	unsigned gpr = (qual >> 8) & 15;

	if ((qual >> 4 & 3) == 1) {
		v->gprs.r[gpr] = l->tpr >> 4;
	} else {
		if (v->gprs.r[gpr] & ~0xfull) {
			vcpu_inject_gp(v);
			return NESTED_EXIT_DONE;
		}
		vlapic_set_tpr(l, (uint32_t)(v->gprs.r[gpr] << 4));
	}
	return vcpu_skip_instruction(v) || !v->vm->stopping ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
}

static enum vcpu_nested_exit l0_exit(struct vcpu *v, const struct nvmx_exit *e)
{
	unsigned basic = e->reason & 0xffff;
	bool iret = (basic == NVMX_EXIT_EXCEPTION_NMI) ? (e->intr_info & INTR_INFO_NMI_UNBLOCKED_BY_IRET)
		    : (basic == NVMX_EXIT_EPT_VIOLATION) ? ((e->qual >> 12) & 1) : false;

	vmx_nested_of(v)->st.l0_by_reason[basic < 64 ? basic : 64]++;
	l2_reinject(e, iret);
	switch (basic) {
	case NVMX_EXIT_EXTINT:
		v->stats.by_reason[EXIT_REASON_EXTERNAL_INTERRUPT]++;
		return NESTED_EXIT_DONE;	/* the run loop took it */
	case NVMX_EXIT_IRQ_WINDOW:
	case NVMX_EXIT_NMI_WINDOW:
		return NESTED_EXIT_DONE;	/* nestor's window for L1's event: decide again */
	case NVMX_EXIT_PREEMPTION_TIMER:
		/* L2's quantum is over (vmx_nested_events.c): L1's event goes next. */
		vmcs_write(VMCS_PIN_CONTROLS, vmcs_read(VMCS_PIN_CONTROLS) & ~PIN_PREEMPTION_TIMER);
		return NESTED_EXIT_DONE;
	case NVMX_EXIT_CR_ACCESS:
		if ((e->qual & 15) == 8 && ((e->qual >> 4) & 3) <= 1)
			return l2_cr8(v, e->qual);
		break;
	case NVMX_EXIT_EXCEPTION_NMI: {
		/* #DB or #AC of L2's that L1 does not intercept (vmcs02 always does,
		 * nvmx_merge.c): back into L2, as for L1. l2_reinject's event, if any, is
		 * replaced: both are benign, delivered serially (SDM 6.15, Table 6-5). */
		bool handled, ok = vmx_exit_ac_db(v, e->intr_info, &handled);
		if (handled) {
			vmx_nested_of(v)->st.l2_exc_given_back++;
			return ok ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
		}
		break;
	}
	case NVMX_EXIT_INIT:
	case NVMX_EXIT_SIPI:
		break;
	default:
		/* I/O, MSRs and RDPMC/MONITOR/MWAIT L1 let through, MMIO of L1's devices under
		 * L1's shadow paging: the shared handlers, on vmcs02's state. */
		return vmx_handle_exit(v, e->reason) ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
	}
	vmx_log_guest_state(v);
	vm_stop_vcpu(v, "nvmx: L2 exit %u (%s), qualification %#llx, interruption info %#x: "
		     "neither L1's nor one nestor handles for L2", basic, vmx_exit_name(basic),
		     (unsigned long long)e->qual, e->intr_info);
	return NESTED_EXIT_STOP;
}

/* The CPU refused vmcs02 (the checks the kvm personality leaves to it, or a nestor bug):
 * as KVM does, L1 gets the CPU's verdict: VMfailValid(N) after its instruction. */
static enum vcpu_nested_exit hw_vmfail(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmx_nested *nx = vmx_nested_of(v);
	struct nvmx_outcome o = { NVMX_VMFAIL_VALID, (uint8_t)vmcs_read(VMCS_INSTRUCTION_ERROR), 0 };

	nx->st.hw_entry_fails++;
	v->stats.l1_vmentry_fails++;
	log_warn("nvmx: vcpu%u rip %#llx: the CPU refused vmcs02: VMfailValid(%u) (%s), "
		 "TPR_THRESHOLD %#llx: L1 gets VMfailValid(%u)", v->id,
		 (unsigned long long)nx->l1_rip, o.code, vmx_insn_error_name(o.code),
		 (unsigned long long)vmcs_read(VMCS_TPR_THRESHOLD), o.code);
	if (vmptrld(x->vmcs01_pa) != VMX_OK) {
		vm_stop_vcpu(v, "nvmx: VMPTRLD of vmcs01 failed");
		return NESTED_EXIT_STOP;
	}
	x->vmcs_pa = x->vmcs01_pa;
	x->launched = true;
	x->proc = nx->proc01;
	v->guest_mode = false;
	nx->run_pending = false;
	v->gprs.r[GPR_RSP] = nx->l1_rsp;
	return vmx_nested_entry_failed(v, &o) ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
}

/* A VM-entry failure exit of vmcs02 (26.8, the CPU's guest-state or MSR checks): L1 gets
 * the same exit reason and qualification, with its host state loaded. */
static enum vcpu_nested_exit hw_entry_failure(struct vcpu *v, const struct nvmx_exit *e)
{
	struct vmx_nested *nx = vmx_nested_of(v);

	nx->st.hw_entry_fails++;
	v->stats.l1_vmentry_fails++;
	nx->launching = false;		/* a failed VMLAUNCH leaves the VMCS clear */
	log_warn("nvmx: vcpu%u rip %#llx: the CPU refused vmcs02's guest state: exit %u "
		 "qualification %#llx: L1 gets the same", v->id, (unsigned long long)nx->l1_rip,
		 e->reason & 0xffff, (unsigned long long)e->qual);
	return vmx_nested_vmexit(v, e, false) ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
}

enum vcpu_nested_exit vmx_nested_exit(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmx_nested *nx = vmx_nested_of(v);
	struct nvmx_env env;
	struct nvmx_exit e;

	v->stats.l2_exits++;
	nx->launched02 = x->launched;
	if (x->exit_reason == VMX_EXIT_NESTED_VMFAIL)
		return hw_vmfail(v);
	vmx_nested_read_exit(&e);
	nx->run_pending = false;
	if (e.reason & EXIT_REASON_ENTRY_FAILURE)
		return hw_entry_failure(v, &e);
	vmx_nested_env(v, &env);
	switch (nvmx_exit_route(nx->v12, &e, v->gprs.r, &env)) {
	case NVMX_TO_L1:
		return vmx_nested_vmexit(v, &e, false) ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
	case NVMX_EPT_WALK:
		return vmx_sept_exit(v, &e);
	default:
		return l0_exit(v, &e);
	}
}
