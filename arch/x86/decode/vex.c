/* vex: the VEX, EVEX and XOP prefixes (SDM Vol. 2, 2.3 and 2.7; APM Vol. 3, 1.9). */
#include "arch/x86/decode/decode_internal.h"

/*
 * R, X and B are stored inverted. Outside 64-bit mode they cannot reach registers 8-15;
 * there R and X are always 1 (that is what tells VEX from LES/LDS and EVEX from BOUND)
 * and B is ignored.
 */
static void set_ext(struct decoder *d, uint8_t inverted_rxb)
{
	if (d->insn->mode == X86_MODE_64)
		d->ext = (uint8_t)(~inverted_rxb & 7);
	else
		d->ext = 0;
}

/* The byte shared by VEX3, EVEX P1 and XOP: W vvvv L pp (vvvv inverted). */
static void set_w_vvvv_l_pp(struct x86_insn *insn, uint8_t b)
{
	insn->vex_w = b >> 7;
	insn->vex_vvvv = (uint8_t)(~b >> 3 & 0xf);
	insn->vex_l = (b >> 2) & 1;
	insn->vex_pp = b & 3;
}

/* C5: R vvvv L pp; the map is 0F. */
bool decode_vex2(struct decoder *d)
{
	struct x86_insn *insn = d->insn;
	uint8_t b;

	if (!decoder_next(d, &b))
		return false;
	insn->encoding = X86_ENC_VEX;
	insn->map = X86_MAP_0F;
	set_ext(d, (uint8_t)((b >> 5) | 3));
	set_w_vvvv_l_pp(insn, b & 0x7f);
	return true;
}

/* C4: R X B mmmmm, W vvvv L pp. */
bool decode_vex3(struct decoder *d)
{
	struct x86_insn *insn = d->insn;
	uint8_t b1, b2;

	if (!decoder_next(d, &b1) || !decoder_next(d, &b2))
		return false;
	insn->encoding = X86_ENC_VEX;
	insn->map = b1 & 0x1f;
	set_ext(d, b1 >> 5);
	set_w_vvvv_l_pp(insn, b2);
	return true;
}

/* 8F: as VEX3, with maps 8-10 (a POP Ev has mmmmm < 8, since its ModRM.reg is 0). */
bool decode_xop(struct decoder *d)
{
	if (!decode_vex3(d))
		return false;
	d->insn->encoding = X86_ENC_XOP;
	return true;
}

/*
 * 62: P0 = R X B R' 0 mmm, P1 = W vvvv 1 pp, P2 = z L'L b V' aaa. P0 bit 3 and P1 bit 2
 * are fixed (SDM Vol. 2, 2.7.1): another value is #UD (or an APX form nestor does not
 * decode).
 */
bool decode_evex(struct decoder *d)
{
	struct x86_insn *insn = d->insn;
	uint8_t p0, p1, p2;

	if (!decoder_next(d, &p0) || !decoder_next(d, &p1) || !decoder_next(d, &p2))
		return false;
	insn->encoding = X86_ENC_EVEX;
	insn->map = p0 & 7;
	set_ext(d, p0 >> 5);
	set_w_vvvv_l_pp(insn, p1);
	insn->vex_l = (p2 >> 5) & 3;
	d->evex_fixed_bits_ok = (p0 & 0x08) == 0 && (p1 & 0x04) != 0;
	return true;
}
