/* emul_string_operand: the memory side of string instructions: rSI/rDI operands and REP. */
#include "arch/x86/decode/emul_internal.h"

#define RFLAGS_AC (1ull << 18)

/*
 * Iterations done per exit. When rCX is still non-zero afterwards RIP stays on the
 * instruction and the guest re-executes it with the updated rSI/rDI/rCX, exactly as
 * after an interrupt between iterations (SDM Vol. 2, REP: "interruptible").
 */
#define REP_BATCH 64

/* seg:reg at the address size; outside 64-bit mode linear addresses wrap at 4 GiB. */
uint64_t emul_string_linear(const struct emul *e, enum x86_seg seg, unsigned reg)
{
	uint64_t lmask = e->cpu->mode == X86_MODE_64 ? ~0ull : 0xffffffffull;

	return (emul_segment_base(e, seg) + emul_addr_reg_read(e, reg)) & lmask;
}

/* rSI/rDI move by the element size, backwards when RFLAGS.DF is set. */
void emul_string_advance(struct emul *e, unsigned reg, unsigned size)
{
	int64_t step = (e->cpu->rflags & RFLAGS_DF) ? -(int64_t)size : (int64_t)size;

	emul_addr_reg_write(e, reg, emul_addr_reg_read(e, reg) + (uint64_t)step);
}

/*
 * The operand the exit did not name is found through the guest's page tables, with the
 * rights of the access (the CPU checks both operands). RAM is accessed directly,
 * anything else through the MMIO callbacks.
 */
bool emul_string_locate(struct emul *e, struct emul_element *el, unsigned size, bool write)
{
	const struct x86_emul_cpu *cpu = e->cpu;
	unsigned access = GUEST_ACCESS_SET_AD | (write ? GUEST_ACCESS_WRITE : 0) |
			  (cpu->cpl == 3 ? GUEST_ACCESS_USER : 0) |
			  ((cpu->rflags & RFLAGS_AC) ? GUEST_ACCESS_AC : 0);
	struct guest_walk_result w;

	switch (guest_walk(cpu->mem, &cpu->paging, el->linear, access, &w)) {
	case GUEST_WALK_OK:
		break;
	case GUEST_WALK_PAGE_FAULT:
		e->out->pf_error = w.pf_error;
		e->out->fault_linear = el->linear;
		emul_fail(e, X86_EMUL_PAGE_FAULT, "page fault on a string operand");
		return false;
	case GUEST_WALK_NONCANONICAL:
		emul_fail(e, X86_EMUL_GP, "non-canonical string operand");
		return false;
	default:
		emul_fail(e, X86_EMUL_BAD_ACCESS, "guest paging structure outside guest RAM");
		return false;
	}
	if ((el->linear & 0xfff) + size > 0x1000) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "string element crosses a page boundary");
		return false;
	}
	el->gpa = w.gpa;
	el->ram = guest_mem_contains(cpu->mem, w.gpa, size);
	if (!el->ram && guest_mem_contains(cpu->mem, w.gpa, 1)) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "string element straddles the end of guest RAM");
		return false;
	}
	return true;
}

uint64_t emul_element_read(struct emul *e, const struct emul_element *el, unsigned size)
{
	uint64_t value = 0;

	if (!el->ram)
		return emul_mmio_read(e, el->gpa, size);
	guest_mem_read(e->cpu->mem, el->gpa, &value, size);
	return value;
}

void emul_element_write(struct emul *e, const struct emul_element *el, unsigned size,
			uint64_t value)
{
	if (el->ram)
		guest_mem_write(e->cpu->mem, el->gpa, &value, size);
	else
		emul_mmio_write(e, el->gpa, size, value);
}

/*
 * One element without a REP prefix; with F3 or F2 (both repeat MOVS, STOS, LODS, INS and
 * OUTS; REPNE only differs for CMPS/SCAS) up to REP_BATCH elements while rCX is non-zero.
 * A fault leaves the completed iterations done and RIP on the instruction.
 */
enum x86_emul_status emul_string_repeat(struct emul *e, unsigned size, emul_string_element_fn *one)
{
	uint64_t count;

	if (!(e->insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE))) {
		if (!one(e, size, true))
			return e->out->status;
		return emul_done(e);
	}
	count = emul_addr_reg_read(e, GPR_RCX);
	for (unsigned i = 0; count != 0 && i < REP_BATCH; i++) {
		if (!one(e, size, i == 0))
			return e->out->status;
		count--;
		emul_addr_reg_write(e, GPR_RCX, count);
	}
	if (count == 0)
		return emul_done(e);
	e->out->status = X86_EMUL_OK;
	e->out->why = "REP string: iterations left, RIP unchanged";
	return X86_EMUL_OK;
}
