/* emul_alu: arithmetic and logic instructions with an MMIO operand. */
#include "arch/x86/decode/emul_internal.h"

/* op [mmio], src: read, compute, write back unless CMP/TEST; RFLAGS only once all is done. */
static enum x86_emul_status alu_on_memory(struct emul *e, enum alu_op op, unsigned size,
					  uint64_t src)
{
	uint64_t flags = e->cpu->rflags;
	uint64_t old, result;

	if (!emul_mmio_operand(e, emul_operand_linear(e, 0), size))
		return e->out->status;
	old = emul_mmio_read(e, e->gpa, size);
	result = alu_apply(op, old, src, size, &flags);
	if (alu_writes_result(op))
		emul_mmio_write(e, e->gpa, size, result);
	e->cpu->rflags = flags;
	return emul_done(e);
}

/* op reg, [mmio] */
static enum x86_emul_status alu_into_register(struct emul *e, enum alu_op op, unsigned size)
{
	uint64_t flags = e->cpu->rflags;
	uint64_t value, result;

	if (!emul_mmio_operand(e, emul_operand_linear(e, 0), size))
		return e->out->status;
	value = emul_mmio_read(e, e->gpa, size);
	result = alu_apply(op, emul_gpr_read(e, e->insn->reg, size), value, size, &flags);
	if (alu_writes_result(op))
		emul_gpr_write(e, e->insn->reg, size, result);
	e->cpu->rflags = flags;
	return emul_done(e);
}

/* 00-3B (Eb,Gb Ev,Gv Gb,Eb Gv,Ev) and TEST 84/85. */
static enum x86_emul_status alu_modrm_form(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	uint8_t op = insn->opcode;
	unsigned size = (op & 1) ? insn->opsize : 1;

	if (op == 0x84 || op == 0x85)
		return alu_on_memory(e, ALU_TEST, size, emul_gpr_read(e, insn->reg, size));
	if (op & 2)
		return alu_into_register(e, (enum alu_op)(op >> 3), size);
	return alu_on_memory(e, (enum alu_op)(op >> 3), size, emul_gpr_read(e, insn->reg, size));
}

/* Group 1 (80-83): ModRM.reg is the operation, the immediate is sign-extended. */
static enum x86_emul_status alu_group1(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned size = (insn->opcode == 0x81 || insn->opcode == 0x83) ? insn->opsize : 1;

	return alu_on_memory(e, (enum alu_op)(insn->reg & 7), size,
			     (uint64_t)x86_insn_imm_sext(insn));
}

/* Group 3 (F6/F7): TEST imm, NOT, NEG; MUL/IMUL/DIV/IDIV are not emulated on MMIO. */
static enum x86_emul_status alu_group3(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned size = insn->opcode == 0xf7 ? insn->opsize : 1;

	switch (insn->reg & 7) {
	case 0:
	case 1:
		return alu_on_memory(e, ALU_TEST, size, (uint64_t)x86_insn_imm_sext(insn));
	case 2:
		return alu_on_memory(e, ALU_NOT, size, 0);
	case 3:
		return alu_on_memory(e, ALU_NEG, size, 0);
	default:
		return emul_fail(e, X86_EMUL_UNSUPPORTED, "MUL/DIV with an MMIO operand");
	}
}

/* Groups 4 and 5 (FE/FF): INC and DEC; calls, jumps and pushes through MMIO are not emulated. */
static enum x86_emul_status alu_incdec(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned size = insn->opcode == 0xff ? insn->opsize : 1;

	switch (insn->reg & 7) {
	case 0:
		return alu_on_memory(e, ALU_INC, size, 1);
	case 1:
		return alu_on_memory(e, ALU_DEC, size, 1);
	default:
		return emul_fail(e, X86_EMUL_UNSUPPORTED, "branch or push through an MMIO operand");
	}
}

enum x86_emul_status emul_alu(struct emul *e)
{
	uint8_t op = e->insn->opcode;

	if (op >= 0x80 && op <= 0x83)
		return alu_group1(e);
	if (op == 0xf6 || op == 0xf7)
		return alu_group3(e);
	if (op == 0xfe || op == 0xff)
		return alu_incdec(e);
	return alu_modrm_form(e);
}
