/* emul_move: MOV, MOVZX/MOVSX/MOVSXD, MOVNTI and XCHG with an MMIO operand. */
#include "arch/x86/decode/emul_internal.h"

static enum x86_emul_status store(struct emul *e, unsigned size, uint64_t value)
{
	if (!emul_mmio_operand(e, emul_operand_linear(e, 0), size))
		return e->out->status;
	emul_mmio_write(e, e->gpa, size, value);
	return emul_done(e);
}

/* Loads size bytes and writes the register at dst_size, sign-extended if asked. */
static enum x86_emul_status load(struct emul *e, unsigned reg, unsigned size, unsigned dst_size,
				 bool sign_extend)
{
	uint64_t value;

	if (!emul_mmio_operand(e, emul_operand_linear(e, 0), size))
		return e->out->status;
	value = emul_mmio_read(e, e->gpa, size);
	if (sign_extend)
		value = emul_sign_extend(value, size);
	emul_gpr_write(e, reg, dst_size, value);
	return emul_done(e);
}

/* XCHG with memory is a locked read-then-write; the register receives the old value. */
static enum x86_emul_status exchange(struct emul *e, unsigned size)
{
	uint64_t old;

	if (!emul_mmio_operand(e, emul_operand_linear(e, 0), size))
		return e->out->status;
	old = emul_mmio_read(e, e->gpa, size);
	emul_mmio_write(e, e->gpa, size, emul_gpr_read(e, e->insn->reg, size));
	emul_gpr_write(e, e->insn->reg, size, old);
	return emul_done(e);
}

static enum x86_emul_status move_onebyte(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned v = insn->opsize;

	switch (insn->opcode) {
	case 0x86: return exchange(e, 1);
	case 0x87: return exchange(e, v);
	case 0x88: return store(e, 1, emul_gpr_read(e, insn->reg, 1));
	case 0x89: return store(e, v, emul_gpr_read(e, insn->reg, v));
	case 0x8a: return load(e, insn->reg, 1, 1, false);
	case 0x8b: return load(e, insn->reg, v, v, false);
	case 0xa0: return load(e, GPR_RAX, 1, 1, false);
	case 0xa1: return load(e, GPR_RAX, v, v, false);
	case 0xa2: return store(e, 1, emul_gpr_read(e, GPR_RAX, 1));
	case 0xa3: return store(e, v, emul_gpr_read(e, GPR_RAX, v));
	case 0xc6: return store(e, 1, insn->imm);
	case 0xc7: return store(e, v, (uint64_t)x86_insn_imm_sext(insn)); /* imm32 sign-extended */
	default: /* 63: MOVSXD in 64-bit mode (ARPL elsewhere) */
		if (insn->mode != X86_MODE_64)
			return emul_fail(e, X86_EMUL_UNSUPPORTED, "ARPL with an MMIO operand");
		return load(e, insn->reg, v == 8 ? 4 : v, v, v == 8);
	}
}

static enum x86_emul_status move_0f(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned v = insn->opsize;

	switch (insn->opcode) {
	case 0xb6: return load(e, insn->reg, 1, v, false);
	case 0xb7: return load(e, insn->reg, 2, v, false);
	case 0xbe: return load(e, insn->reg, 1, v, true);
	case 0xbf: return load(e, insn->reg, 2, v, true);
	default: /* C3: MOVNTI m32/m64, r; the non-temporal hint means nothing to MMIO */
		if (v == 2)
			return emul_fail(e, X86_EMUL_UD, "MOVNTI has no 16-bit form");
		return store(e, v, emul_gpr_read(e, insn->reg, v));
	}
}

enum x86_emul_status emul_move(struct emul *e)
{
	return e->insn->map == X86_MAP_0F ? move_0f(e) : move_onebyte(e);
}
