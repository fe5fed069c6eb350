/* vmx_run: VMX's side of the shared run loop (vm/vcpu_run.c): injection, VMLAUNCH/VMRESUME, exits. */
#include "apic/apic_arbiter.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/options.h"
#include "vm/vcpu_arch.h"
#include "vm/vm.h"

#define EXIT_EXTERNAL_INTERRUPT 1

static void vmx_intr_state(struct vcpu *v, struct apic_intr_state *st)
{
	uint32_t intr = (uint32_t)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	st->rflags_if = vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF;
	st->interrupt_shadow = intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
	st->event_pending = vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID;
	/* With virtual NMIs the CPU tracks NMI blocking itself, from injection to IRET. */
	st->nmi_blocked = intr & INTERRUPTIBILITY_NMI;
	(void)v;
}

/* INIT: the guest-state setter also drops a pending injection and NMI blocking. A vCPU
 * that ran L2 is back on vmcs01 first, and out of VMX operation (vmx_nested_reset). */
static void vmx_init(struct vcpu *v)
{
	if (vmx_nested_of(v))
		vmx_nested_reset(v);
	vmx_guest_set_sipi(0);
}

static void vmx_sipi(struct vcpu *v, uint8_t vector)
{
	(void)v;
	vmx_guest_set_sipi(vector);
}

/* Applies the interrupt core's decision to the VMCS (the backend holds no policy). */
static void vmx_apply_decision(struct vcpu *v, struct vlapic *l, const struct apic_decision *d)
{
	struct vmx_vcpu *x = vmx_of(v);
	uint32_t proc = x->proc & ~(PROC_IRQ_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING);

	if (v->guest_mode) {
		vmx_nested_apply_decision(v, l, d);
		return;
	}
	if (d->inject) {
		uint8_t vector = apic_ack(l, d);
		bool nmi = d->source == APIC_SRC_NMI;
		vmcs_write(VMCS_ENTRY_INTR_INFO, vector | (nmi ? INTR_TYPE_NMI : INTR_TYPE_EXTERNAL) |
				INTR_INFO_VALID);
		v->last_source = (uint8_t)d->source;
		v->stats.injected[nmi ? INJECT_NMI : d->source == APIC_SRC_EXTINT ? INJECT_EXTINT
										 : INJECT_LAPIC]++;
	}
	/* Interrupt- and NMI-window exiting (SDM 26.6.5, 26.6.6): an exit as soon as the
	 * guest can take the event apic/ is holding. */
	if (d->irq_window != APIC_WINDOW_NONE) {
		if (!(x->proc & PROC_IRQ_WINDOW_EXITING))
			v->stats.irq_windows++;
		proc |= PROC_IRQ_WINDOW_EXITING;
	}
	if (d->nmi_window)
		proc |= PROC_NMI_WINDOW_EXITING;
	if (proc != x->proc) {
		vmcs_write(VMCS_PROC_CONTROLS, proc);
		x->proc = proc;
	}
	vmx_tpr_before_entry(v, d->tpr, d->tpr_threshold);
}

/* The first entry on this CPU: nothing cached for this EPT or VPID may be stale (28.3.3). */
static void vmx_flush_on_start(struct vcpu *v)
{
	const struct vmx_vm *xv = v->vm->arch;
	vmx_invept_checked(vmx_cfg.invept_single ? INVEPT_SINGLE_CONTEXT : INVEPT_ALL_CONTEXTS,
			   xv->eptp);
	if (vmx_cfg.vpid)
		vmx_invvpid_checked(vmx_cfg.invvpid_single ? INVVPID_SINGLE_CONTEXT
							   : INVVPID_ALL_CONTEXTS, vmx_of(v)->vpid);
}

/* fault=vmwrite|invept: one failure of nestor's own VMX instructions on purpose, so the
 * suite sees it reported and the VM stopped (field 0xffff and INVEPT type 0 do not exist). */
static void vmx_test_fault(struct vcpu *v)
{
	if (v->id != 0)
		return;
	if (v->vm->test_fault == FAULT_VMWRITE)
		vmcs_write((enum vmcs_field)0xffff, 0);
	else if (v->vm->test_fault == FAULT_INVEPT)
		vmx_invept_checked(0, ((const struct vmx_vm *)v->vm->arch)->eptp);
}

/* On the vCPU's own CPU: its VMCS becomes current and is filled there (SDM 24.11.3). */
static bool vmx_start(struct vcpu *v)
{
	if (!vmx_vmcs_setup(v))
		return false;
	vmx_flush_on_start(v);
	vmx_test_fault(v);
	return !v->vm->stopping;
}

/*
 * VMLAUNCH the first time, VMRESUME after (SDM 26.1). RSP is in the VMCS (the stub moves
 * the other registers). A VMfail or an entry-failure exit (SDM 26.8) is reported with
 * what it names and stops the VM.
 */
static bool vmx_enter_guest(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	vmcs_write(VMCS_GUEST_RSP, v->gprs.r[GPR_RSP]);
	enum vmx_status st = vmx_enter(&v->gprs, x->launched);
	if (st != VMX_OK) {
		/* vmcs02 refused: L1 gets the CPU's verdict through the nested exit hook. */
		if (v->guest_mode && st == VMX_FAIL_VALID) {
			x->exit_reason = VMX_EXIT_NESTED_VMFAIL;
			return true;
		}
		vmx_report_vmfail(v, x->launched ? "VMRESUME" : "VMLAUNCH", st);
		return false;
	}
	x->exit_reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
	v->gprs.r[GPR_RSP] = vmcs_read(VMCS_GUEST_RSP);
	if (x->exit_reason & EXIT_REASON_ENTRY_FAILURE) {
		if (v->guest_mode)
			return true;
		vmx_report_entry_failure(v, x->exit_reason);
		return false;
	}
	x->launched = true;
	return true;
}

static bool vmx_exit_is_host_interrupt(struct vcpu *v)
{
	return (vmx_of(v)->exit_reason & 0xffff) == EXIT_EXTERNAL_INTERRUPT;
}

static bool vmx_handle_exit_reason(struct vcpu *v)
{
	return vmx_handle_exit(v, vmx_of(v)->exit_reason);
}

static void vmx_sync_tpr(struct vcpu *v, struct vlapic *l)
{
	(void)l;
	vmx_tpr_after_exit(v);
}

const struct vcpu_arch_ops vmx_vcpu_ops = {
	.decode_flags = 0,
	.init = vmx_init,
	.sipi = vmx_sipi,
	.intr_state = vmx_intr_state,
	.apply_decision = vmx_apply_decision,
	.start = vmx_start,
	.enter = vmx_enter_guest,
	.exit_is_host_interrupt = vmx_exit_is_host_interrupt,
	.sync_tpr = vmx_sync_tpr,
	.undelivered_event = vmx_undelivered_event,
	.handle_exit = vmx_handle_exit_reason,
	.get_reg = vmx_get_reg,
	.set_reg = vmx_set_reg,
	.switched_msr = vmx_switched_msr,
	.emul_cpu = vmx_emul_cpu,
	.cpl = vmx_cpl,
	.long_mode_code = vmx_long_mode_code,
	.exit_insn_len = vmx_exit_insn_len,
	.clear_interrupt_shadow = vmx_clear_interrupt_shadow,
	.inject = vmx_inject,
};
