/* emul_string: MOVS, STOS and LODS on MMIO (SDM Vol. 2); REP is emul_string_operand.c's. */
#include "arch/x86/decode/emul_internal.h"

static bool on_fault_page(const struct emul *e, const struct emul_element *el)
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
	struct emul_element src = { 0 }, dst = { 0 };
	uint64_t value = 0;

	src.linear = emul_string_linear(e, src_seg, GPR_RSI);
	dst.linear = emul_string_linear(e, X86_SEG_ES, GPR_RDI);
	if ((reads && !emul_string_locate(e, &src, size, false)) ||
	    (writes && !emul_string_locate(e, &dst, size, true)))
		return false;
	if (first && !on_fault_page(e, &src) && !on_fault_page(e, &dst)) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "no string operand is on the faulting MMIO page");
		return false;
	}
	if (reads)
		value = emul_element_read(e, &src, size);
	else
		value = emul_gpr_read(e, GPR_RAX, size);
	if (writes)
		emul_element_write(e, &dst, size, value);
	else
		emul_gpr_write(e, GPR_RAX, size, value); /* LODS */
	if (reads)
		emul_string_advance(e, GPR_RSI, size);
	if (writes)
		emul_string_advance(e, GPR_RDI, size);
	return true;
}

enum x86_emul_status emul_string(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned size = (insn->opcode & 1) ? insn->opsize : 1;

	if (!e->cpu->mem)
		return emul_fail(e, X86_EMUL_BAD_ACCESS, "string instruction without guest memory");
	return emul_string_repeat(e, size, one_element);
}
