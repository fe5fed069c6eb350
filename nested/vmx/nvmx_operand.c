/* nvmx_operand: a VMX instruction's memory operand from the instruction-information field. */
#include "nested/vmx/nvmx_insn.h"

#define X86_VECTOR_SS 12u
#define X86_VECTOR_GP 13u

void nvmx_insn_info_decode(uint32_t raw, struct nvmx_insn_info *i)
{
	i->scale = (uint8_t)(1u << (raw & 3));
	i->reg1 = (uint8_t)((raw >> 3) & 0xf);
	i->addr_size = (uint8_t)((raw >> 7) & 7);
	i->is_reg = (raw >> 10) & 1;
	i->seg = (uint8_t)((raw >> 15) & 7);
	i->index = (uint8_t)((raw >> 18) & 0xf);
	i->index_valid = !((raw >> 22) & 1);
	i->base = (uint8_t)((raw >> 23) & 0xf);
	i->base_valid = !((raw >> 27) & 1);
	i->reg2 = (uint8_t)((raw >> 28) & 0xf);
}

static uint64_t truncate(uint64_t x, uint8_t addr_size)
{
	return addr_size == 0 ? (x & 0xffff) : addr_size == 1 ? (x & 0xffffffff) : x;
}

static bool canonical(uint64_t a, unsigned bits)
{
	return (uint64_t)((int64_t)(a << (64 - bits)) >> (64 - bits)) == a;
}

/*
 * Outside 64-bit mode (SDM Vol. 3A 5.3, 5.5): the segment must be usable, a code segment
 * is never writable and readable only with bit 1 of its type, a data segment writable only
 * with bit 1; expand-down segments hold the offsets above the limit up to FFFFH or
 * FFFFFFFFH (D/B).
 */
static bool segment_ok(const struct nvmx_seg *s, uint64_t off, unsigned size, bool write)
{
	uint32_t type = s->ar & 0xf;
	bool code = type & 8;
	uint64_t last = off + size - 1;

	if ((s->ar & (1u << 16)) || !(s->ar & (1u << 7)))
		return false;
	if (code ? (write || !(type & 2)) : (write && !(type & 2)))
		return false;
	if (!code && (type & 4)) {
		uint64_t upper = (s->ar & (1u << 14)) ? 0xffffffffull : 0xffffull;
		return off > s->limit && last <= upper;
	}
	return last <= s->limit;
}

unsigned nvmx_operand_linear(const struct nvmx_l1 *l1, const struct nvmx_insn_info *i,
			     unsigned size, bool write, unsigned linear_bits, uint64_t *linear)
{
	unsigned fault = i->seg == NVMX_SS ? X86_VECTOR_SS : X86_VECTOR_GP;
	uint64_t ea = l1->qual;
	const struct nvmx_seg *s;

	if (i->seg > NVMX_GS)
		return X86_VECTOR_GP;
	s = &l1->seg[i->seg];
	if (i->base_valid)
		ea += l1->gpr[i->base];
	if (i->index_valid)
		ea += l1->gpr[i->index] * i->scale;
	ea = truncate(ea, i->addr_size);
	if (l1->long64) {
		/* 64-bit mode: only FS and GS have a base (3.4.4); the range must be canonical. */
		uint64_t la = ea + ((i->seg == NVMX_FS || i->seg == NVMX_GS) ? s->base : 0);
		if (!canonical(la, linear_bits) || !canonical(la + size - 1, linear_bits))
			return fault;
		*linear = la;
		return 0;
	}
	if (!segment_ok(s, ea, size, write))
		return fault;
	*linear = (s->base + ea) & 0xffffffffull;
	return 0;
}
