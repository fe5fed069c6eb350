/* emul_string: MOVS, STOS and LODS on MMIO, with or without REP (SDM Vol. 2, MOVS, STOS, LODS, REP). */
#include "arch/x86/decode/emul_internal.h"

#define RFLAGS_AC (1ull << 18)

/*
 * Iterations done per exit. When RCX is still non-zero afterwards RIP stays on the
 * instruction and the guest re-executes it with the updated rSI/rDI/rCX, exactly as
 * after an interrupt between iterations (SDM Vol. 2, REP: "interruptible").
 */
#define REP_BATCH 64

/* Where one element of a string operand lives. */
struct element {
	uint64_t linear;
	uint64_t gpa;
	bool ram;
};

/*
 * The operand the exit did not name is found through the guest's page tables, with the
 * rights of the access (the CPU checks both operands). RAM is accessed directly,
 * anything else through the MMIO callbacks.
 */
static bool locate(struct emul *e, struct element *el, unsigned size, bool write)
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

static uint64_t element_read(struct emul *e, const struct element *el, unsigned size)
{
	uint64_t value = 0;

	if (!el->ram)
		return emul_mmio_read(e, el->gpa, size);
	guest_mem_read(e->cpu->mem, el->gpa, &value, size);
	return value;
}

static void element_write(struct emul *e, const struct element *el, unsigned size, uint64_t value)
{
	if (el->ram)
		guest_mem_write(e->cpu->mem, el->gpa, &value, size);
	else
		emul_mmio_write(e, el->gpa, size, value);
}

static bool on_fault_page(const struct emul *e, const struct element *el)
{
	return !el->ram && ((el->gpa ^ e->fault_gpa) & ~0xfffull) == 0;
}

/*
 * One element: both operands are located before either is touched, so a fault on the
 * destination never follows a read with side effects. DS:rSI (overridable) is the
 * source, ES:rDI (never overridden) the destination.
 */
static bool one_element(struct emul *e, unsigned size, bool first)
{
	uint8_t op = e->insn->opcode & 0xfe;
	bool reads = op == 0xa4 || op == 0xac, writes = op == 0xa4 || op == 0xaa;
	enum x86_seg src_seg = e->insn->seg == X86_SEG_NONE ? X86_SEG_DS : e->insn->seg;
	uint64_t lmask = e->cpu->mode == X86_MODE_64 ? ~0ull : 0xffffffffull;
	int64_t step = (e->cpu->rflags & RFLAGS_DF) ? -(int64_t)size : (int64_t)size;
	struct element src = { 0 }, dst = { 0 };
	uint64_t value = 0;

	src.linear = (emul_segment_base(e, src_seg) + emul_addr_reg_read(e, GPR_RSI)) & lmask;
	dst.linear = (emul_segment_base(e, X86_SEG_ES) + emul_addr_reg_read(e, GPR_RDI)) & lmask;
	if ((reads && !locate(e, &src, size, false)) || (writes && !locate(e, &dst, size, true)))
		return false;
	if (first && !on_fault_page(e, &src) && !on_fault_page(e, &dst)) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "no string operand is on the faulting MMIO page");
		return false;
	}
	if (reads)
		value = element_read(e, &src, size);
	else
		value = emul_gpr_read(e, GPR_RAX, size);
	if (writes)
		element_write(e, &dst, size, value);
	else
		emul_gpr_write(e, GPR_RAX, size, value); /* LODS */
	if (reads)
		emul_addr_reg_write(e, GPR_RSI, emul_addr_reg_read(e, GPR_RSI) + (uint64_t)step);
	if (writes)
		emul_addr_reg_write(e, GPR_RDI, emul_addr_reg_read(e, GPR_RDI) + (uint64_t)step);
	return true;
}

enum x86_emul_status emul_string(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned size = (insn->opcode & 1) ? insn->opsize : 1;
	uint64_t count;

	if (!e->cpu->mem)
		return emul_fail(e, X86_EMUL_BAD_ACCESS, "string instruction without guest memory");
	/* F2 and F3 both repeat MOVS, STOS and LODS; REPNE only differs for CMPS/SCAS. */
	if (!(insn->prefixes & (X86_PFX_REP | X86_PFX_REPNE))) {
		if (!one_element(e, size, true))
			return e->out->status;
		return emul_done(e);
	}
	count = emul_addr_reg_read(e, GPR_RCX);
	for (unsigned i = 0; count != 0 && i < REP_BATCH; i++) {
		if (!one_element(e, size, i == 0))
			return e->out->status; /* completed iterations stay done, RIP stays */
		count--;
		emul_addr_reg_write(e, GPR_RCX, count);
	}
	if (count == 0)
		return emul_done(e);
	e->out->status = X86_EMUL_OK;
	e->out->why = "REP string: iterations left, RIP unchanged";
	return X86_EMUL_OK;
}
