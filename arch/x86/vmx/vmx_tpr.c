/* vmx_tpr: TPR shadow without virtual-interrupt delivery: VTPR and TPR_THRESHOLD around entries. */
#include "apic/apic_vm.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_tpr_check.h"
#include "vm/vm.h"

/*
 * Before every entry (SDM Vol. 3C 29.1.1, 29.1.2): VTPR (virtual-APIC page byte 0x80) is
 * the guest's TPR and TPR_THRESHOLD the class of the highest interrupt the TPR holds
 * back, both as apic_decide() said. MOV to/from CR8 then run against VTPR without exits,
 * and lowering VTPR[7:4] below the threshold exits with reason 43. nestor's own check of
 * SDM 26.2.1.1 runs first, on every entry: a broken rule is named in the log and counted,
 * and the entry still happens so the CPU's own verdict is shown too.
 */
void vmx_tpr_before_entry(struct vcpu *v, uint8_t tpr, uint8_t threshold)
{
	struct vmx_vcpu *x = vmx_of(v);
	*(volatile uint8_t *)&x->vapic[VAPIC_TPR] = tpr;
	x->entry_vtpr = tpr;
	vmcs_write(VMCS_TPR_THRESHOLD, threshold);
	if (!apic_tpr_threshold_invariant_ok(threshold, tpr)) {
		vmx_tpr_threshold_report(v->id, vmcs_read(VMCS_GUEST_RIP), threshold, tpr);
		v->stats.invariant_violations++;
	}
}

/*
 * After every exit, before its handler: a VTPR that differs from what nestor wrote at
 * entry is the guest's MOV to CR8 (VTPR[3:0] is then 0), and only then is it news for
 * the vLAPIC. Copying it back unconditionally would undo a TPR write the exit handler is
 * about to make through the xAPIC page or the TPR MSR.
 */
void vmx_tpr_after_exit(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	uint8_t vtpr = *(volatile uint8_t *)&x->vapic[VAPIC_TPR];
	if (vtpr == x->entry_vtpr)
		return;
	vlapic_sync_tpr_from_vapic(apic_vm_vcpu(&v->vm->apic, v->id), vtpr);
	x->entry_vtpr = vtpr;
}
