/* nvmx_insn: the common part of L1's VMX instructions: #UD/#GP, VMsucceed/VMfail, operands. */
#include "nested/vmx/nvmx_insn_internal.h"

#include "lib/string.h"

const char *nvmx_insn_name(enum nvmx_insn i)
{
	static const char *const names[] = { "VMXON", "VMXOFF", "VMCLEAR", "VMPTRLD",
					     "VMPTRST", "VMREAD", "VMWRITE", "VMLAUNCH",
					     "VMRESUME", "INVEPT", "INVVPID" };
	return (unsigned)i <= NVMX_INVVPID ? names[i] : "?";
}

void nvmx_succeed(struct nvmx_op *o)
{
	o->out->kind = NVMX_I_SUCCEED;
}

struct vmcs12 *nvmx_current(struct nvmx_op *o)
{
	if (o->n->current == NVMX_NO_VMCS)
		return NULL;
	return (struct vmcs12 *)o->mem->page(o->mem->ctx, o->n->current);
}

void nvmx_fail_invalid(struct nvmx_op *o, const char *why)
{
	o->out->kind = NVMX_I_FAIL_INVALID;
	o->out->why = why;
}

/* SDM 30.2, VMfail(ErrorNumber): VMfailValid when there is a current VMCS, else VMfailInvalid. */
void nvmx_fail(struct nvmx_op *o, uint8_t error, const char *why)
{
	struct vmcs12 *v = nvmx_current(o);

	if (!v) {
		nvmx_fail_invalid(o, why);
		return;
	}
	v->instruction_error = error;
	o->out->kind = NVMX_I_FAIL_VALID;
	o->out->error = error;
	o->out->why = why;
}

uint64_t nvmx_reg(const struct nvmx_op *o, unsigned reg)
{
	uint64_t x = o->l1->gpr[reg & 15];
	return o->l1->long64 ? x : (uint32_t)x;
}

static bool operand(struct nvmx_op *o, void *buf, unsigned size, bool write)
{
	const struct nvmx_mem *m = o->mem;
	uint64_t la;
	unsigned vector = nvmx_operand_linear(o->l1, &o->info, size, write,
					      o->caps->linear_bits ? o->caps->linear_bits : 48, &la);
	if (vector) {
		nvmx_raise(o, (uint8_t)vector, "memory operand outside its segment or not canonical");
		return false;
	}
	if (write ? m->write(m->ctx, la, buf, size) : m->read(m->ctx, la, buf, size))
		return true;
	o->out->kind = NVMX_I_FAULTED;
	o->out->why = "page fault on the memory operand";
	return false;
}

bool nvmx_read_operand(struct nvmx_op *o, void *buf, unsigned size)
{
	return operand(o, buf, size, false);
}

bool nvmx_write_operand(struct nvmx_op *o, const void *buf, unsigned size)
{
	return operand(o, (void *)buf, size, true);
}

/*
 * Every VMX instruction but VMXON is #UD outside VMX operation and #GP(0) at CPL > 0
 * (the mode checks, CR0.PE, RFLAGS.VM and compatibility mode, are the CPU's: it raises
 * them before the VM exit, SDM 25.1.1). VMXON checks its own order.
 */
void nvmx_emulate(struct nvmx_vcpu *n, const struct nvmx_caps *caps, enum nvmx_insn insn,
		  struct nvmx_l1 *l1, const struct nvmx_mem *mem, struct nvmx_insn_out *out)
{
	struct nvmx_op o = { n, caps, l1, mem, out, { 0 } };

	memset(out, 0, sizeof(*out));
	nvmx_insn_info_decode(l1->info, &o.info);
	if (insn == NVMX_VMXON) {
		nvmx_do_vmxon(&o);
		return;
	}
	if (!n->vmxon) {
		nvmx_raise(&o, X86_VECTOR_UD, "not in VMX operation");
		return;
	}
	if ((insn == NVMX_INVEPT &&
	     (!(VMX_CTL_MAY1(caps->msrs.proc2) & PROC2_EPT) || !(caps->msrs.ept_vpid & EPT_CAP_INVEPT))) ||
	    (insn == NVMX_INVVPID &&
	     (!(VMX_CTL_MAY1(caps->msrs.proc2) & PROC2_VPID) ||
	      !(caps->msrs.ept_vpid & VPID_CAP_INVVPID)))) {
		nvmx_raise(&o, X86_VECTOR_UD, "instruction not offered");
		return;
	}
	if (l1->cpl) {
		nvmx_raise(&o, X86_VECTOR_GP, "CPL > 0");
		return;
	}
	switch (insn) {
	case NVMX_VMXOFF: nvmx_do_vmxoff(&o); break;
	case NVMX_VMCLEAR: nvmx_do_vmclear(&o); break;
	case NVMX_VMPTRLD: nvmx_do_vmptrld(&o); break;
	case NVMX_VMPTRST: nvmx_do_vmptrst(&o); break;
	case NVMX_VMREAD: nvmx_do_vmread(&o); break;
	case NVMX_VMWRITE: nvmx_do_vmwrite(&o); break;
	case NVMX_VMLAUNCH: nvmx_do_launch(&o, false); break;
	case NVMX_VMRESUME: nvmx_do_launch(&o, true); break;
	case NVMX_INVEPT: nvmx_do_invept(&o); break;
	case NVMX_INVVPID: nvmx_do_invvpid(&o); break;
	default: nvmx_raise(&o, X86_VECTOR_UD, "unknown instruction"); break;
	}
}
