/* modrm: ModRM, SIB and displacement (SDM Vol. 2, 2.1.5, Tables 2-1 to 2-3). */
#include "arch/x86/decode/decode_internal.h"

static bool read_disp(struct decoder *d, unsigned size)
{
	struct x86_insn *insn = d->insn;
	uint64_t raw;

	if (!decoder_next_le(d, size, &raw))
		return false;
	insn->disp_size = (uint8_t)size;
	if (size == 1)
		insn->disp = (int8_t)raw;
	else if (size == 2)
		insn->disp = (int16_t)raw;
	else
		insn->disp = (int32_t)raw;
	return true;
}

/* 16-bit addressing: no SIB; mod 0 rm 6 is a bare disp16. */
static bool decode_ea16(struct decoder *d)
{
	struct x86_insn *insn = d->insn;

	if (insn->mod == 1)
		return read_disp(d, 1);
	if (insn->mod == 2 || (insn->mod == 0 && (insn->rm & 7) == 6))
		return read_disp(d, 2);
	return true;
}

/* 32/64-bit addressing: rm 4 means a SIB byte; mod 0 with rm 5 (or SIB base 5) is disp32. */
static bool decode_ea32(struct decoder *d)
{
	struct x86_insn *insn = d->insn;
	bool base_none = false;

	if ((insn->modrm & 7) == 4) {
		uint8_t sib;
		if (!decoder_next(d, &sib))
			return false;
		insn->has_sib = true;
		insn->sib = sib;
		insn->scale = (uint8_t)(1u << (sib >> 6));
		insn->index = (uint8_t)(((sib >> 3) & 7) | ((d->ext & 2) << 2));
		insn->base = (uint8_t)((sib & 7) | ((d->ext & 1) << 3));
		base_none = insn->mod == 0 && (sib & 7) == 5;
	}
	if (insn->mod == 1)
		return read_disp(d, 1);
	if (insn->mod == 2 || base_none || (insn->mod == 0 && (insn->modrm & 7) == 5))
		return read_disp(d, 4);
	return true;
}

bool decode_modrm(struct decoder *d, bool no_ea)
{
	struct x86_insn *insn = d->insn;
	uint8_t modrm;

	if (!decoder_next(d, &modrm))
		return false;
	insn->has_modrm = true;
	insn->modrm = modrm;
	insn->mod = modrm >> 6;
	insn->reg = (uint8_t)(((modrm >> 3) & 7) | ((d->ext & 4) << 1));
	insn->rm = (uint8_t)((modrm & 7) | ((d->ext & 1) << 3));
	/* MOV to/from CR and DR ignore mod and always name a register (SDM Vol. 2, MOV-CR). */
	if (no_ea) {
		insn->mod = 3;
		return true;
	}
	if (insn->mod == 3)
		return true;
	if (insn->addrsize == 2)
		return decode_ea16(d);
	return decode_ea32(d);
}
