/* decode: one x86 instruction, from its prefixes to its immediates (SDM Vol. 2, chapter 2). */
#include "arch/x86/decode/decode_internal.h"

#include "lib/string.h"

/*
 * Near branches in 64-bit mode: Intel always uses rel32 (66h is ignored); AMD honours
 * 66h and takes rel16 (SDM Vol. 2, 2.2.1.7; APM Vol. 3, 1.2.2).
 */
static unsigned near_branch_rel_size(const struct decoder *d)
{
	const struct x86_insn *insn = d->insn;

	if (insn->mode == X86_MODE_64 && !(d->flags & X86_DECODE_AMD))
		return 4;
	return insn->opsize == 2 ? 2 : 4;
}

static bool read_immediates(struct decoder *d, enum opcode_imm kind)
{
	struct x86_insn *insn = d->insn;
	unsigned size = 0, size2 = 0;

	switch (kind) {
	case IMM_NONE: return true;
	case IMM_B: size = 1; break;
	case IMM_W: size = 2; break;
	case IMM_D: size = 4; break;
	case IMM_Z: size = insn->opsize == 2 ? 2 : 4; break;
	case IMM_V: size = insn->opsize; break;
	case IMM_MOFFS: size = insn->addrsize; break;
	case IMM_FAR: size = insn->opsize == 2 ? 2 : 4; size2 = 2; break;
	case IMM_ENTER: size = 2; size2 = 1; break;
	case IMM_JZ: size = near_branch_rel_size(d); break;
	case IMM_BB: size = 1; size2 = 1; break;
	}
	if (!decoder_next_le(d, size, &insn->imm))
		return false;
	insn->imm_size = (uint8_t)size;
	if (size2 == 0)
		return true;
	insn->imm2_size = (uint8_t)size2;
	return decoder_next_le(d, size2, &insn->imm2);
}

/*
 * C4/C5/62 are VEX/EVEX in 64-bit mode; elsewhere only when the next byte looks like a
 * register-form ModRM (LES, LDS and BOUND need memory). 8F is XOP when the map field
 * is 8 or more, which POP Ev (ModRM.reg = 0) can never have.
 */
static bool starts_vex_like(struct decoder *d, uint8_t b, bool *vex_like)
{
	uint8_t next;

	*vex_like = false;
	if (b != 0xc4 && b != 0xc5 && b != 0x62 && b != 0x8f)
		return true;
	if (b != 0x8f && d->insn->mode == X86_MODE_64) {
		*vex_like = true;
		return true;
	}
	if (!decoder_peek(d, 0, &next))
		return false;
	*vex_like = b == 0x8f ? (next & 0x1f) >= 8 : (next & 0xc0) == 0xc0;
	return true;
}

static bool decode_vex_like(struct decoder *d, uint8_t escape)
{
	switch (escape) {
	case 0xc5: return decode_vex2(d);
	case 0xc4: return decode_vex3(d);
	case 0x62: return decode_evex(d);
	default: return decode_xop(d);
	}
}

/* LOCK is allowed only on the read-modify-write instructions, with a memory destination. */
static bool lock_allowed(const struct decoder *d, const struct opcode_shape *shape)
{
	const struct x86_insn *insn = d->insn;

	if ((shape->flags & OPF_LOCK) && insn->has_modrm && insn->mod != 3)
		return true;
	/* AMD: LOCK MOV CR0 is MOV CR8, so 32-bit code can reach the TPR (APM Vol. 3, MOV CRn). */
	return (d->flags & X86_DECODE_AMD) && insn->encoding == X86_ENC_LEGACY &&
	       insn->map == X86_MAP_0F && (insn->opcode == 0x20 || insn->opcode == 0x22);
}

static bool form_allowed(const struct decoder *d, const struct opcode_shape *shape,
			 bool rex_before_escape)
{
	const struct x86_insn *insn = d->insn;
	uint16_t flags = shape->flags;

	if (flags & OPF_UD)
		return false;
	if ((flags & OPF_INV64) && insn->mode == X86_MODE_64)
		return false;
	if (insn->has_modrm && (flags & OPF_MEM) && insn->mod == 3)
		return false;
	if (insn->has_modrm && (flags & OPF_REG_ONLY) && insn->mod != 3)
		return false;
	if ((insn->prefixes & X86_PFX_LOCK) && !lock_allowed(d, shape))
		return false;
	if (insn->encoding == X86_ENC_LEGACY)
		return insn->map != X86_MAP_3DNOW || opcode_3dnow_defined(insn->opcode);
	/* VEX/EVEX/XOP carry their own prefix and REX bits: 66 F2 F3 LOCK or REX before is #UD. */
	if (rex_before_escape || (insn->prefixes & (X86_PFX_OPSIZE | X86_PFX_REP | X86_PFX_REPNE)))
		return false;
	return insn->encoding != X86_ENC_EVEX || d->evex_fixed_bits_ok;
}

/* After the escape bytes: the opcode and its table shape. */
static bool decode_opcode(struct decoder *d, uint8_t b, bool vex_like, struct opcode_shape *shape)
{
	struct x86_insn *insn = d->insn;

	if (vex_like) {
		if (!decode_vex_like(d, b))
			return false;
		decode_sizes(insn, insn->vex_w);
		if (!opcode_vex_map_defined(insn)) {
			shape->flags = OPF_UNDEF;
			return true;
		}
		if (!decoder_next(d, &insn->opcode))
			return false;
		shape->flags = opcode_vex_has_modrm(insn) ? OPF_MODRM : 0;
		return true;
	}
	if (b != 0x0f) {
		insn->opcode = b;
		*shape = x86_onebyte_map[b];
		return true;
	}
	if (!decoder_next(d, &b))
		return false;
	if (b == 0x0f) { /* 3DNow!: the opcode is the imm8 after the operands */
		insn->map = X86_MAP_3DNOW;
		*shape = (struct opcode_shape){ OPF_MODRM, IMM_B };
		return true;
	}
	if (b == 0x38 || b == 0x3a) {
		insn->map = b == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
		if (!decoder_next(d, &insn->opcode))
			return false;
		*shape = b == 0x38 ? opcode_shape_0f38(insn->opcode) : opcode_shape_0f3a(insn->opcode);
		return true;
	}
	insn->map = X86_MAP_0F;
	insn->opcode = b;
	*shape = x86_0f_map[b];
	opcode_prepare_0f(d, shape);
	return true;
}

static void refine_shape(struct decoder *d, struct opcode_shape *shape)
{
	struct x86_insn *insn = d->insn;

	if (insn->encoding != X86_ENC_LEGACY)
		*shape = opcode_shape_vex(insn);
	else if (!(shape->flags & OPF_GROUP))
		return;
	else if (insn->map == X86_MAP_ONEBYTE)
		opcode_refine_onebyte(insn, shape);
	else if (insn->map == X86_MAP_0F)
		opcode_refine_0f(insn, shape);
}

static enum x86_decode_status decode_all(struct decoder *d)
{
	struct x86_insn *insn = d->insn;
	struct opcode_shape shape;
	bool vex_like, rex_before_escape;
	uint8_t b;

	if (!decode_prefixes(d))
		return d->error;
	decode_sizes(insn, insn->rex & 8);
	rex_before_escape = d->rex_last;
	if (!decoder_next(d, &b) || !starts_vex_like(d, b, &vex_like))
		return d->error;
	if (!decode_opcode(d, b, vex_like, &shape))
		return d->error;
	if (shape.flags & OPF_UNDEF)
		return X86_DECODE_INVALID; /* no instruction: its length means nothing */
	if ((shape.flags & OPF_MODRM) && !decode_modrm(d, shape.flags & OPF_NO_EA))
		return d->error;
	refine_shape(d, &shape);
	if (!read_immediates(d, shape.imm))
		return d->error;
	if (insn->map == X86_MAP_3DNOW)
		insn->opcode = (uint8_t)insn->imm;
	insn->len = (uint8_t)d->pos;
	return form_allowed(d, &shape, rex_before_escape) ? X86_DECODE_OK : X86_DECODE_INVALID;
}

enum x86_decode_status x86_decode(const uint8_t *bytes, size_t avail, enum x86_mode mode,
				  unsigned flags, struct x86_insn *insn)
{
	struct decoder d = { .bytes = bytes, .avail = avail, .flags = flags, .insn = insn };
	enum x86_decode_status status;

	memset(insn, 0, sizeof(*insn));
	insn->mode = (uint8_t)mode;
	insn->seg = X86_SEG_NONE;
	status = decode_all(&d);
	if (status == X86_DECODE_TRUNCATED || status == X86_DECODE_TOO_LONG)
		insn->len = 0;
	return status;
}

const char *x86_decode_status_name(enum x86_decode_status status)
{
	switch (status) {
	case X86_DECODE_OK: return "ok";
	case X86_DECODE_INVALID: return "invalid opcode";
	case X86_DECODE_TRUNCATED: return "truncated";
	case X86_DECODE_TOO_LONG: return "longer than 15 bytes";
	}
	return "?";
}
