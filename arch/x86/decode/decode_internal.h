/* decode_internal: the decoder's cursor and the opcode-shape tables its passes share. */
#ifndef NESTOR_ARCH_X86_DECODE_DECODE_INTERNAL_H
#define NESTOR_ARCH_X86_DECODE_DECODE_INTERNAL_H

#include "arch/x86/decode/insn.h"

/* Reads bytes in order; the first failure (truncated, too long) sticks. */
struct decoder {
	const uint8_t *bytes;
	size_t avail;
	size_t pos;
	unsigned flags;
	uint8_t ext; /* REX.R/X/B (or VEX/EVEX/XOP equivalents) as bits 2, 1, 0 */
	bool rex_last; /* a REX byte immediately precedes the current byte */
	bool evex_fixed_bits_ok; /* EVEX P0[3] = 0 and P1[2] = 1 */
	enum x86_decode_status error;
	struct x86_insn *insn;
};

bool decoder_peek(struct decoder *d, size_t ahead, uint8_t *out);
bool decoder_next(struct decoder *d, uint8_t *out);
/* Little-endian value of size bytes (1, 2, 4 or 8). */
bool decoder_next_le(struct decoder *d, unsigned size, uint64_t *out);

/* Legacy prefixes and REX into insn and d->ext; then sizes from them (and REX.W/VEX.W). */
bool decode_prefixes(struct decoder *d);
void decode_sizes(struct x86_insn *insn, bool rex_w);

/* What follows an opcode byte. */
enum opcode_imm {
	IMM_NONE,
	IMM_B,     /* imm8 */
	IMM_W,     /* imm16 */
	IMM_D,     /* imm32 */
	IMM_Z,     /* 16 or 32 bits by operand size */
	IMM_V,     /* 16, 32 or 64 bits by operand size (MOV r, imm) */
	IMM_MOFFS, /* an offset of the address size (MOV A0-A3) */
	IMM_FAR,   /* ptr16:16 or ptr16:32 (CALLF/JMPF 9A/EA) */
	IMM_ENTER, /* imm16 then imm8 */
	IMM_JZ,    /* near branch rel16/rel32, see X86_DECODE_AMD */
	IMM_BB,    /* two imm8 (EXTRQ/INSERTQ) */
};

enum {
	OPF_MODRM = 1u << 0,
	OPF_UNDEF = 1u << 1,    /* no instruction has this opcode */
	OPF_INV64 = 1u << 2,    /* invalid in 64-bit mode */
	OPF_GROUP = 1u << 3,    /* ModRM or a prefix refines it: see opcode_refine_* */
	OPF_MEM = 1u << 4,      /* register form (mod = 3) is #UD */
	OPF_LOCK = 1u << 5,     /* LOCK allowed (with a memory destination) */
	OPF_NO_EA = 1u << 6,    /* MOV CR/DR: mod is ignored, no SIB or displacement */
	OPF_UD = 1u << 7,       /* shape known, raises #UD (UD0/UD1/UD2, reserved group forms) */
	OPF_REG_ONLY = 1u << 8, /* memory form (mod != 3) is #UD */
};

struct opcode_shape {
	uint16_t flags;
	uint8_t imm;
};

/* Tables of the legacy maps, indexed by opcode byte. */
extern const struct opcode_shape x86_onebyte_map[256];
extern const struct opcode_shape x86_0f_map[256];

/*
 * Adjusts a shape after ModRM is known (groups, x87 register forms, prefix-selected
 * forms); for maps without a table it gives the whole shape. Called with the prefix
 * and ModRM state already in insn.
 */
void opcode_refine_onebyte(const struct x86_insn *insn, struct opcode_shape *shape);
void opcode_prepare_0f(const struct decoder *d, struct opcode_shape *shape);
void opcode_refine_0f(const struct x86_insn *insn, struct opcode_shape *shape);
struct opcode_shape opcode_shape_0f38(uint8_t opcode);
struct opcode_shape opcode_shape_0f3a(uint8_t opcode);
bool opcode_3dnow_defined(uint8_t suffix);
bool opcode_x87_reg_form_defined(uint8_t opcode, uint8_t modrm);

/* VEX/EVEX/XOP: parse the prefix into insn (map, W, L, vvvv, pp, extension bits). */
bool decode_vex2(struct decoder *d);
bool decode_vex3(struct decoder *d);
bool decode_evex(struct decoder *d);
bool decode_xop(struct decoder *d);
bool opcode_vex_map_defined(const struct x86_insn *insn);
bool opcode_vex_has_modrm(const struct x86_insn *insn);
struct opcode_shape opcode_shape_vex(const struct x86_insn *insn);

/* Reads ModRM, SIB and displacement into insn, extended by d->ext. */
bool decode_modrm(struct decoder *d, bool no_ea);

#endif
