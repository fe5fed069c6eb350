/* nvmx_insn_rw: VMREAD, VMWRITE and the 26.1 part of VMLAUNCH/VMRESUME (SDM Vol. 3C 30.3). */
#include "nested/vmx/nvmx_insn_internal.h"

/*
 * VMREAD: VMfailInvalid without a current VMCS; VMfailValid(12) for a field L1's processor
 * does not have (vmcs12_vmread's width rules); else the value goes to the register or the
 * memory operand at the operand size (8 bytes in 64-bit mode, else 4).
 */
void nvmx_do_vmread(struct nvmx_op *o)
{
	unsigned size = o->l1->long64 ? 8 : 4;
	struct vmcs12 *v = nvmx_current(o);
	uint64_t value;
	unsigned err;

	if (!v) {
		nvmx_fail_invalid(o, "VMREAD without a current VMCS");
		return;
	}
	err = vmcs12_vmread(v, &o->caps->msrs, nvmx_reg(o, o->info.reg2), size, &value);
	if (err) {
		nvmx_fail(o, (uint8_t)err, "VMREAD of an unsupported field");
		return;
	}
	if (o->info.is_reg) {
		o->l1->gpr[o->info.reg1] = o->l1->long64 ? value : (uint32_t)value;
		nvmx_succeed(o);
	} else if (nvmx_write_operand(o, &value, size)) {
		nvmx_succeed(o);
	}
}

/*
 * VMWRITE: VMfailInvalid without a current VMCS; the source (register or memory) is read
 * next, so a faulting operand faults before the field is judged (KVM's order); then
 * VMfailValid(12) for no such field, (13) for a read-only one (unless IA32_VMX_MISC[29]).
 */
void nvmx_do_vmwrite(struct nvmx_op *o)
{
	unsigned size = o->l1->long64 ? 8 : 4;
	struct vmcs12 *v = nvmx_current(o);
	uint64_t value = 0;
	unsigned err;

	if (!v) {
		nvmx_fail_invalid(o, "VMWRITE without a current VMCS");
		return;
	}
	if (o->info.is_reg)
		value = nvmx_reg(o, o->info.reg1);
	else if (!nvmx_read_operand(o, &value, size))
		return;
	err = vmcs12_vmwrite(v, &o->caps->msrs, nvmx_reg(o, o->info.reg2), size, value);
	if (err) {
		nvmx_fail(o, (uint8_t)err, err == VMXERR_WRITE_READ_ONLY_FIELD ?
			  "VMWRITE of a read-only field" : "VMWRITE of an unsupported field");
		return;
	}
	nvmx_succeed(o);
}

/*
 * VMLAUNCH / VMRESUME up to the VM-entry checks (26.1): VMfailInvalid without a current
 * VMCS, VMfailValid(26) with blocking by MOV SS, (4) VMLAUNCH of a VMCS whose launch
 * state is not clear, (5) VMRESUME of one not launched. The caller runs 26.2-26.4.
 */
void nvmx_do_launch(struct nvmx_op *o, bool resume)
{
	struct vmcs12 *v = nvmx_current(o);

	if (!v) {
		nvmx_fail_invalid(o, resume ? "VMRESUME without a current VMCS" :
					      "VMLAUNCH without a current VMCS");
		return;
	}
	if (o->l1->mov_ss_blocking) {
		nvmx_fail(o, VMXERR_ENTRY_MOV_SS, "VM entry with events blocked by MOV SS");
		return;
	}
	if (!resume && v->launch_state != VMCS12_LAUNCH_CLEAR) {
		nvmx_fail(o, VMXERR_VMLAUNCH_NOT_CLEAR, "VMLAUNCH with non-clear VMCS");
		return;
	}
	if (resume && v->launch_state != VMCS12_LAUNCH_LAUNCHED) {
		nvmx_fail(o, VMXERR_VMRESUME_NOT_LAUNCHED, "VMRESUME with non-launched VMCS");
		return;
	}
	o->out->kind = NVMX_I_ENTER;
}
