/* nvmx_insn_inv: INVEPT and INVVPID (SDM Vol. 3C 30.3), the checks and what to invalidate. */
#include "nested/vmx/nvmx_insn_internal.h"

#define INVEPT_SINGLE 1u
#define INVVPID_INDIVIDUAL 0u
#define INVVPID_ALL 2u

/* The EPTP checks VM entry makes (26.2.1.1), against L1's EPT capabilities. */
static bool eptp_ok(const struct nvmx_op *o, uint64_t eptp)
{
	uint64_t cap = o->caps->msrs.ept_vpid, type = eptp & EPTP_MEMTYPE_MASK;
	unsigned walk = (unsigned)((eptp & EPTP_WALK_MASK) >> EPTP_WALK_SHIFT);

	if (!((type == VMX_MEMTYPE_UC && (cap & EPT_CAP_UC)) ||
	      (type == VMX_MEMTYPE_WB && (cap & EPT_CAP_WB))))
		return false;
	if (!((walk == 3 && (cap & EPT_CAP_4LEVEL)) || (walk == 4 && (cap & EPT_CAP_5LEVEL))))
		return false;
	if ((eptp & EPTP_AD) && !(cap & EPT_CAP_AD))
		return false;
	return !(eptp & 0xf80) && !(eptp >> o->caps->maxphyaddr);
}

static bool type_offered(const struct nvmx_op *o, uint64_t type, unsigned first_bit)
{
	return type < 4 && (o->caps->msrs.ept_vpid & (1ull << (first_bit + type)));
}

/*
 * INVEPT: the type from the register operand must be one IA32_VMX_EPT_VPID_CAP[26:25]
 * offers (else VMfail(28)); then the 128-bit descriptor; single-context needs an EPTP
 * VM entry would take. nestor drops its shadow EPT for it (or for all).
 */
void nvmx_do_invept(struct nvmx_op *o)
{
	uint64_t type = nvmx_reg(o, o->info.reg2), desc[2];

	if (!type_offered(o, type, 24)) {
		nvmx_fail(o, VMXERR_INVALID_INV_OPERAND, "INVEPT type not supported");
		return;
	}
	if (!nvmx_read_operand(o, desc, sizeof(desc)))
		return;
	if (type == INVEPT_SINGLE && !eptp_ok(o, desc[0])) {
		nvmx_fail(o, VMXERR_INVALID_INV_OPERAND, "INVEPT single-context with an invalid EPTP");
		return;
	}
	o->out->flush = NVMX_FLUSH_EPT;
	o->out->inv_type = (uint8_t)type;
	o->out->eptp = desc[0];
	nvmx_succeed(o);
}

/*
 * INVVPID: the type must be offered (IA32_VMX_EPT_VPID_CAP[43:40]); descriptor bits 63:16
 * must be 0; every type but all-context needs a VPID other than 0, individual-address a
 * canonical linear address (else VMfail(28)).
 */
void nvmx_do_invvpid(struct nvmx_op *o)
{
	uint64_t type = nvmx_reg(o, o->info.reg2), desc[2];
	unsigned bits = o->caps->linear_bits ? o->caps->linear_bits : 48;

	if (!type_offered(o, type, 40)) {
		nvmx_fail(o, VMXERR_INVALID_INV_OPERAND, "INVVPID type not supported");
		return;
	}
	if (!nvmx_read_operand(o, desc, sizeof(desc)))
		return;
	if (desc[0] >> 16) {
		nvmx_fail(o, VMXERR_INVALID_INV_OPERAND, "INVVPID descriptor bits 63:16 not 0");
		return;
	}
	if (type != INVVPID_ALL && !(uint16_t)desc[0]) {
		nvmx_fail(o, VMXERR_INVALID_INV_OPERAND, "INVVPID with VPID 0");
		return;
	}
	if (type == INVVPID_INDIVIDUAL &&
	    (uint64_t)((int64_t)(desc[1] << (64 - bits)) >> (64 - bits)) != desc[1]) {
		nvmx_fail(o, VMXERR_INVALID_INV_OPERAND, "INVVPID with a non-canonical address");
		return;
	}
	o->out->flush = NVMX_FLUSH_VPID;
	o->out->inv_type = (uint8_t)type;
	o->out->vpid = (uint16_t)desc[0];
	o->out->linear = desc[1];
	nvmx_succeed(o);
}
