/* nvmx_insn_vmxon: VMXON and VMXOFF (SDM Vol. 3C 30.3). */
#include "nested/vmx/nvmx_insn_internal.h"

#define CR4_VMXE (1ull << 13)

/* Bits 11:0 clear and nothing at or above L1's MAXPHYADDR. */
static bool phys_ok(const struct nvmx_op *o, uint64_t a)
{
	return !(a & 0xfff) && !(a >> o->caps->maxphyaddr);
}

static bool fixed_ok(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value & fixed0) == fixed0 && !(value & ~fixed1);
}

/*
 * VMXON: #UD without CR4.VMXE (the CPU sees nestor's forced VMXE, so it exits and the
 * check is nestor's, on L1's CR4); in VMX operation VMfail(15) at CPL 0; #GP(0) at CPL > 0,
 * with CR0/CR4 outside the fixed bits (23.8) or FEATURE_CONTROL not locked with VMX
 * outside SMX (23.7). The region must be aligned, within MAXPHYADDR and carry the VMCS
 * revision identifier (else VMfailInvalid); nestor also needs it in L1 RAM.
 */
void nvmx_do_vmxon(struct nvmx_op *o)
{
	const struct vmx_cap_msrs *m = &o->caps->msrs;
	uint64_t fc = o->l1->feature_control, addr;
	const uint32_t *region;

	if (!(o->l1->cr4 & CR4_VMXE)) {
		nvmx_raise(o, X86_VECTOR_UD, "CR4.VMXE = 0");
		return;
	}
	if (o->n->vmxon) {
		if (o->l1->cpl)
			nvmx_raise(o, X86_VECTOR_GP, "CPL > 0");
		else
			nvmx_fail(o, VMXERR_VMXON_IN_ROOT, "VMXON in VMX root operation");
		return;
	}
	if (o->l1->cpl || !fixed_ok(o->l1->cr0, m->cr0_fixed0, m->cr0_fixed1) ||
	    !fixed_ok(o->l1->cr4, m->cr4_fixed0, m->cr4_fixed1) ||
	    !(fc & FEATURE_CONTROL_LOCKED_BIT) || !(fc & FEATURE_CONTROL_OUTSIDE_SMX_BIT)) {
		nvmx_raise(o, X86_VECTOR_GP,
			   o->l1->cpl ? "CPL > 0" : "CR0/CR4 fixed bits or IA32_FEATURE_CONTROL");
		return;
	}
	if (!nvmx_read_operand(o, &addr, 8))
		return;
	o->out->addr = addr;
	if (!phys_ok(o, addr)) {
		nvmx_fail_invalid(o, "VMXON region not 4 KiB aligned or beyond MAXPHYADDR");
		return;
	}
	region = (const uint32_t *)o->mem->page(o->mem->ctx, addr);
	if (!region) {
		nvmx_fail_invalid(o, "VMXON region not in L1 RAM");
		return;
	}
	if ((region[0] & 0x7fffffffu) != (uint32_t)(m->basic & VMX_BASIC_REVISION_MASK) ||
	    (region[0] >> 31)) {
		nvmx_fail_invalid(o, "VMXON region revision identifier");
		return;
	}
	o->n->vmxon = true;
	o->n->vmxon_ptr = addr;
	o->n->current = NVMX_NO_VMCS;
	nvmx_succeed(o);
}

/* VMXOFF: leaves VMX operation; the current VMCS is forgotten (no dual-monitor treatment). */
void nvmx_do_vmxoff(struct nvmx_op *o)
{
	o->n->vmxon = false;
	o->n->current = NVMX_NO_VMCS;
	nvmx_succeed(o);
}

/*
 * VMCLEAR: VMfail(2) for an address that is not aligned or beyond MAXPHYADDR (nestor: or
 * not L1 RAM, where no VMCS data can be kept), VMfail(3) for the VMXON pointer; else the
 * launch state becomes clear, and the current VMCS none when it was this one.
 */
void nvmx_do_vmclear(struct nvmx_op *o)
{
	struct vmcs12 *v;
	uint64_t addr;

	if (!nvmx_read_operand(o, &addr, 8))
		return;
	o->out->addr = addr;
	if (!phys_ok(o, addr)) {
		nvmx_fail(o, VMXERR_VMCLEAR_BAD_ADDR, "VMCLEAR: address not aligned or beyond MAXPHYADDR");
		return;
	}
	if (addr == o->n->vmxon_ptr) {
		nvmx_fail(o, VMXERR_VMCLEAR_VMXON_PTR, "VMCLEAR of the VMXON pointer");
		return;
	}
	v = (struct vmcs12 *)o->mem->page(o->mem->ctx, addr);
	if (!v) {
		nvmx_fail(o, VMXERR_VMCLEAR_BAD_ADDR, "VMCLEAR: address not in L1 RAM");
		return;
	}
	v->launch_state = VMCS12_LAUNCH_CLEAR;
	if (addr == o->n->current)
		o->n->current = NVMX_NO_VMCS;
	nvmx_succeed(o);
}

/*
 * VMPTRLD: VMfail(9) / (10) as VMCLEAR's 2 / 3; VMfail(11) when the region's revision
 * identifier is not nestor's or has bit 31 set (no VMCS shadowing is offered).
 */
void nvmx_do_vmptrld(struct nvmx_op *o)
{
	const struct vmcs12 *v;
	uint64_t addr;

	if (!nvmx_read_operand(o, &addr, 8))
		return;
	o->out->addr = addr;
	if (!phys_ok(o, addr)) {
		nvmx_fail(o, VMXERR_VMPTRLD_BAD_ADDR, "VMPTRLD: address not aligned or beyond MAXPHYADDR");
		return;
	}
	if (addr == o->n->vmxon_ptr) {
		nvmx_fail(o, VMXERR_VMPTRLD_VMXON_PTR, "VMPTRLD of the VMXON pointer");
		return;
	}
	v = (const struct vmcs12 *)o->mem->page(o->mem->ctx, addr);
	if (!v) {
		nvmx_fail(o, VMXERR_VMPTRLD_BAD_ADDR, "VMPTRLD: address not in L1 RAM");
		return;
	}
	if (v->revision != (uint32_t)(o->caps->msrs.basic & VMX_BASIC_REVISION_MASK)) {
		nvmx_fail(o, VMXERR_VMPTRLD_BAD_REVISION, "VMPTRLD: revision identifier");
		return;
	}
	o->n->current = addr;
	nvmx_succeed(o);
}

/* VMPTRST: the current-VMCS pointer (FFFFFFFF_FFFFFFFFH when none) to memory. */
void nvmx_do_vmptrst(struct nvmx_op *o)
{
	uint64_t cur = o->n->current;

	if (nvmx_write_operand(o, &cur, 8))
		nvmx_succeed(o);
}
