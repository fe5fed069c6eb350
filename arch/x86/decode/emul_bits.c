/* emul_bits: BT, BTS, BTR and BTC with an MMIO operand (SDM Vol. 2, BT). */
#include "arch/x86/decode/emul_internal.h"

enum bit_op { BIT_TEST, BIT_SET, BIT_RESET, BIT_COMPLEMENT };

static enum bit_op bit_op_of(const struct x86_insn *insn)
{
	switch (insn->opcode) {
	case 0xab: return BIT_SET;
	case 0xb3: return BIT_RESET;
	case 0xbb: return BIT_COMPLEMENT;
	case 0xba: return (enum bit_op)((insn->reg & 7) - 4); /* /4 BT /5 BTS /6 BTR /7 BTC */
	default: return BIT_TEST;
	}
}

/*
 * With a register offset the operand is a bit string: the offset is signed and may
 * reach beyond the addressed word, so the access moves by (offset >> log2(bits)) words.
 * An immediate offset is taken modulo the operand size. CF receives the old bit; the
 * other arithmetic flags are left as they were (ZF is defined as unaffected).
 */
enum x86_emul_status emul_bits(struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	unsigned size = insn->opsize;
	unsigned bits = size * 8;
	int64_t word = 0;
	unsigned bit;
	uint64_t value, result;
	enum bit_op op = bit_op_of(insn);

	if (insn->opcode == 0xba) {
		bit = (unsigned)(insn->imm & (bits - 1));
	} else {
		int64_t offset = (int64_t)emul_sign_extend(emul_gpr_read(e, insn->reg, size), size);
		bit = (unsigned)((uint64_t)offset & (bits - 1));
		word = offset >> (size == 2 ? 4 : size == 4 ? 5 : 6);
	}
	if (!emul_mmio_operand(e, emul_operand_linear(e, word * (int64_t)size), size))
		return e->out->status;
	value = emul_mmio_read(e, e->gpa, size);
	result = value;
	if (op == BIT_SET)
		result |= 1ull << bit;
	else if (op == BIT_RESET)
		result &= ~(1ull << bit);
	else if (op == BIT_COMPLEMENT)
		result ^= 1ull << bit;
	if (op != BIT_TEST)
		emul_mmio_write(e, e->gpa, size, result);
	e->cpu->rflags = (e->cpu->rflags & ~RFLAGS_CF) | ((value >> bit) & 1 ? RFLAGS_CF : 0);
	return emul_done(e);
}
