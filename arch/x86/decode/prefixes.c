/* prefixes: legacy prefixes and REX, and the operand/address sizes they select. */
#include "arch/x86/decode/decode_internal.h"

static bool is_segment_prefix(uint8_t b, enum x86_seg *seg)
{
	switch (b) {
	case 0x26: *seg = X86_SEG_ES; return true;
	case 0x2e: *seg = X86_SEG_CS; return true;
	case 0x36: *seg = X86_SEG_SS; return true;
	case 0x3e: *seg = X86_SEG_DS; return true;
	case 0x64: *seg = X86_SEG_FS; return true;
	case 0x65: *seg = X86_SEG_GS; return true;
	default: return false;
	}
}

static void note_segment(struct x86_insn *insn, enum x86_seg seg)
{
	insn->prefixes |= X86_PFX_SEG;
	/* 64-bit mode ignores ES/CS/SS/DS overrides (SDM Vol. 1, 3.3.7.1); FS/GS still apply. */
	if (insn->mode == X86_MODE_64 && seg != X86_SEG_FS && seg != X86_SEG_GS)
		return;
	insn->seg = seg;
}

/*
 * Consumes every legacy prefix and REX byte. Prefixes may repeat and come in any
 * order (SDM Vol. 2, 2.1.1); a REX byte counts only when it immediately precedes the
 * opcode: a legacy prefix after it cancels it (SDM Vol. 2, 2.2.1).
 */
bool decode_prefixes(struct decoder *d)
{
	struct x86_insn *insn = d->insn;

	for (;;) {
		uint8_t b;
		enum x86_seg seg;

		if (!decoder_peek(d, 0, &b))
			return false;
		if (insn->mode == X86_MODE_64 && b >= 0x40 && b <= 0x4f) {
			insn->rex = b;
			d->rex_last = true;
		} else if (is_segment_prefix(b, &seg)) {
			note_segment(insn, seg);
		} else if (b == 0x66) {
			insn->prefixes |= X86_PFX_OPSIZE;
		} else if (b == 0x67) {
			insn->prefixes |= X86_PFX_ADDRSIZE;
		} else if (b == 0xf0) {
			insn->prefixes |= X86_PFX_LOCK;
		} else if (b == 0xf2) {
			insn->prefixes |= X86_PFX_REPNE;
			insn->last_rep = b;
		} else if (b == 0xf3) {
			insn->prefixes |= X86_PFX_REP;
			insn->last_rep = b;
		} else {
			break;
		}
		if (!(b >= 0x40 && b <= 0x4f && insn->mode == X86_MODE_64)) {
			insn->rex = 0;
			d->rex_last = false;
		}
		decoder_next(d, &b);
	}
	d->ext = insn->rex & 7;
	return true;
}

/* Operand and address sizes (SDM Vol. 1, 3.6 and Vol. 2, 2.2.1.2). */
void decode_sizes(struct x86_insn *insn, bool rex_w)
{
	bool opsize_pfx = insn->prefixes & X86_PFX_OPSIZE;
	bool addrsize_pfx = insn->prefixes & X86_PFX_ADDRSIZE;

	switch (insn->mode) {
	case X86_MODE_64:
		insn->opsize = rex_w ? 8 : opsize_pfx ? 2 : 4;
		insn->addrsize = addrsize_pfx ? 4 : 8;
		break;
	case X86_MODE_32:
		insn->opsize = opsize_pfx ? 2 : 4;
		insn->addrsize = addrsize_pfx ? 2 : 4;
		break;
	default:
		insn->opsize = opsize_pfx ? 4 : 2;
		insn->addrsize = addrsize_pfx ? 4 : 2;
		break;
	}
}
