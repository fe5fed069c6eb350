/* emul_flags: integer ALU results and the status flags they set (SDM Vol. 1, 3.4.3.1; Vol. 2, each op). */
#include "arch/x86/decode/emul_internal.h"

static bool parity_even(uint64_t r)
{
	uint8_t b = (uint8_t)r;

	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return !(b & 1);
}

/* ZF, SF and PF (PF looks at the low byte only). */
static uint64_t result_flags(uint64_t r, uint64_t sign)
{
	uint64_t f = 0;

	if (r == 0)
		f |= RFLAGS_ZF;
	if (r & sign)
		f |= RFLAGS_SF;
	if (parity_even(r))
		f |= RFLAGS_PF;
	return f;
}

/*
 * Addition and subtraction with carry/borrow in. CF is the carry (borrow) out of the
 * top bit, OF the signed overflow, AF the carry (borrow) out of bit 3.
 */
static uint64_t add_flags(uint64_t a, uint64_t b, bool carry, uint64_t mask, uint64_t sign,
			  uint64_t *r)
{
	uint64_t f = 0;

	*r = (a + b + carry) & mask;
	if (*r < a || (carry && *r == a))
		f |= RFLAGS_CF;
	if ((a ^ *r) & (b ^ *r) & sign)
		f |= RFLAGS_OF;
	if ((a ^ b ^ *r) & 0x10)
		f |= RFLAGS_AF;
	return f;
}

static uint64_t sub_flags(uint64_t a, uint64_t b, bool borrow, uint64_t mask, uint64_t sign,
			  uint64_t *r)
{
	uint64_t f = 0;

	*r = (a - b - borrow) & mask;
	if (a < b || (borrow && a == b))
		f |= RFLAGS_CF;
	if ((a ^ b) & (a ^ *r) & sign)
		f |= RFLAGS_OF;
	if ((a ^ b ^ *r) & 0x10)
		f |= RFLAGS_AF;
	return f;
}

/*
 * Logic operations clear CF and OF; AF is undefined for them and nestor clears it.
 * INC and DEC leave CF alone; NEG sets CF unless the operand was 0; NOT sets nothing.
 */
uint64_t alu_apply(enum alu_op op, uint64_t a, uint64_t b, unsigned size, uint64_t *rflags)
{
	uint64_t mask = emul_size_mask(size);
	uint64_t sign = 1ull << (size * 8 - 1);
	bool cf_in = *rflags & RFLAGS_CF;
	uint64_t f, r;

	a &= mask;
	b &= mask;
	switch (op) {
	case ALU_ADD: f = add_flags(a, b, false, mask, sign, &r); break;
	case ALU_ADC: f = add_flags(a, b, cf_in, mask, sign, &r); break;
	case ALU_INC: f = add_flags(a, 1, false, mask, sign, &r) & ~RFLAGS_CF; break;
	case ALU_SUB:
	case ALU_CMP: f = sub_flags(a, b, false, mask, sign, &r); break;
	case ALU_SBB: f = sub_flags(a, b, cf_in, mask, sign, &r); break;
	case ALU_DEC: f = sub_flags(a, 1, false, mask, sign, &r) & ~RFLAGS_CF; break;
	case ALU_NEG: f = sub_flags(0, a, false, mask, sign, &r); break;
	case ALU_AND:
	case ALU_TEST: r = a & b; f = 0; break;
	case ALU_OR: r = a | b; f = 0; break;
	case ALU_XOR: r = a ^ b; f = 0; break;
	default: /* ALU_NOT */
		return ~a & mask;
	}
	if (op == ALU_INC || op == ALU_DEC)
		f |= *rflags & RFLAGS_CF;
	*rflags = (*rflags & ~RFLAGS_ARITH) | f | result_flags(r, sign);
	return r;
}

bool alu_writes_result(enum alu_op op)
{
	return op != ALU_CMP && op != ALU_TEST;
}
