/* insn: a decoded x86 instruction and the decoder that produces it. */
#ifndef NESTOR_ARCH_X86_DECODE_INSN_H
#define NESTOR_ARCH_X86_DECODE_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An instruction is at most 15 bytes; a longer one raises #GP(0) (SDM Vol. 2, 2.3.11). */
#define X86_INSN_MAX_LEN 15

/*
 * The code-segment size the CPU decodes with: 16 covers real mode, virtual-8086 mode and
 * 16-bit protected mode (CS.D = 0), 32 is CS.D = 1, 64 is long mode with CS.L = 1.
 * The value is the default address size in bytes.
 */
enum x86_mode {
	X86_MODE_16 = 2,
	X86_MODE_32 = 4,
	X86_MODE_64 = 8,
};

/* Mode from EFER.LMA and the CS descriptor's L and D bits (SDM Vol. 3, 5.2.1). */
static inline enum x86_mode x86_mode_from_cs(bool efer_lma, bool cs_l, bool cs_d)
{
	if (efer_lma && cs_l)
		return X86_MODE_64;
	return cs_d ? X86_MODE_32 : X86_MODE_16;
}

enum x86_decode_status {
	X86_DECODE_OK = 0,
	/*
	 * Undefined, reserved, invalid in this mode, or defined to raise #UD (UD0/UD1/UD2):
	 * the caller injects #UD. insn->len is still set when the instruction's shape is
	 * known (e.g. LOCK on a register operand), and 0 for an undefined opcode.
	 */
	X86_DECODE_INVALID,
	/* The instruction needs more bytes than the caller supplied (fewer than 15). */
	X86_DECODE_TRUNCATED,
	/* The instruction would be longer than 15 bytes: #GP(0). */
	X86_DECODE_TOO_LONG,
};

/* Decode options. */
enum {
	/*
	 * AMD CPUs (and QEMU's TCG) honour a 66h prefix on near branches in 64-bit mode
	 * (rel16); Intel CPUs ignore it and always take rel32 (SDM Vol. 2, 2.2.1.7 vs
	 * APM Vol. 3, 1.2.2). The SVM backend decodes with this flag.
	 */
	X86_DECODE_AMD = 1u << 0,
};

enum x86_encoding {
	X86_ENC_LEGACY,
	X86_ENC_VEX,
	X86_ENC_EVEX,
	X86_ENC_XOP,
};

/* Opcode maps. VEX/EVEX map numbers 1-3 name the same maps as 0F, 0F38, 0F3A. */
enum x86_map {
	X86_MAP_ONEBYTE = 0,
	X86_MAP_0F = 1,
	X86_MAP_0F38 = 2,
	X86_MAP_0F3A = 3,
	X86_MAP_EVEX5 = 5,
	X86_MAP_EVEX6 = 6,
	X86_MAP_XOP8 = 8,
	X86_MAP_XOP9 = 9,
	X86_MAP_XOPA = 10,
	X86_MAP_3DNOW = 15, /* 0F 0F: the opcode is the trailing imm8 */
};

/* Legacy prefixes seen (any number of times, in any order). */
enum {
	X86_PFX_LOCK = 1u << 0,
	X86_PFX_REPNE = 1u << 1, /* F2 */
	X86_PFX_REP = 1u << 2,   /* F3 */
	X86_PFX_OPSIZE = 1u << 3,
	X86_PFX_ADDRSIZE = 1u << 4,
	X86_PFX_SEG = 1u << 5,
};

/* Segment registers in their encoding order (SDM Vol. 2, 3.1.1.1, Sreg). */
enum x86_seg {
	X86_SEG_ES,
	X86_SEG_CS,
	X86_SEG_SS,
	X86_SEG_DS,
	X86_SEG_FS,
	X86_SEG_GS,
	X86_SEG_COUNT,
	X86_SEG_NONE = X86_SEG_COUNT, /* no (effective) override: the default segment applies */
};

struct x86_insn {
	uint8_t bytes[X86_INSN_MAX_LEN];
	uint8_t len;
	uint8_t mode;     /* enum x86_mode */
	uint8_t encoding; /* enum x86_encoding */
	uint8_t map;      /* enum x86_map */
	uint8_t opcode;   /* the opcode byte within its map (for 3DNow!, the suffix byte) */
	uint8_t opsize;   /* effective operand size in bytes: 2, 4 or 8 */
	uint8_t addrsize; /* effective address size in bytes: 2, 4 or 8 */
	uint16_t prefixes;
	uint8_t last_rep; /* 0, 0xF2 or 0xF3: the last of them, which selects SSE forms */
	uint8_t seg;      /* enum x86_seg: the effective segment override */
	uint8_t rex;      /* REX byte in effect (0: none, or cancelled by a later prefix) */

	/* ModRM with reg/rm extended by REX.R/REX.B (or the VEX/EVEX equivalents). */
	bool has_modrm;
	uint8_t modrm;
	uint8_t mod;
	uint8_t reg;
	uint8_t rm;

	/* SIB with index/base extended by REX.X/REX.B; index 4 without REX.X means none. */
	bool has_sib;
	uint8_t sib;
	uint8_t scale; /* 1, 2, 4 or 8 */
	uint8_t index;
	uint8_t base;

	uint8_t disp_size; /* 0, 1, 2 or 4 */
	int32_t disp;      /* sign-extended */

	/* Immediates as encoded (zero-extended); imm2 is ENTER's level, a far pointer's
	 * selector, or the second imm8 of EXTRQ/INSERTQ. */
	uint8_t imm_size;
	uint8_t imm2_size;
	uint64_t imm;
	uint64_t imm2;

	/* VEX/EVEX/XOP fields (undecoded for legacy instructions). */
	uint8_t vex_l;
	bool vex_w;
	uint8_t vex_vvvv;
	uint8_t vex_pp;
};

/*
 * Decodes one instruction from bytes[0, avail) as the CPU would in mode. Returns the
 * status; insn is fully written (zeroed first) in every case. flags: X86_DECODE_*.
 */
enum x86_decode_status x86_decode(const uint8_t *bytes, size_t avail, enum x86_mode mode,
				  unsigned flags, struct x86_insn *insn);

/* Short name of a status for log lines ("ok", "invalid", ...). */
const char *x86_decode_status_name(enum x86_decode_status status);

/* The immediate sign-extended from its encoded size. */
static inline int64_t x86_insn_imm_sext(const struct x86_insn *insn)
{
	switch (insn->imm_size) {
	case 1:
		return (int8_t)insn->imm;
	case 2:
		return (int16_t)insn->imm;
	case 4:
		return (int32_t)insn->imm;
	default:
		return (int64_t)insn->imm;
	}
}

#endif
