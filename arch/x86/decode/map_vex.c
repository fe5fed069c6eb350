/* map_vex: shapes of VEX-, EVEX- and XOP-encoded opcodes (SDM Vol. 2, A.3; APM Vol. 3, A.4). */
#include "arch/x86/decode/decode_internal.h"

/*
 * Every VEX/EVEX/XOP instruction has a ModRM except VZEROUPPER/VZEROALL (VEX 0F 77).
 * Immediates: VEX/EVEX map 3 and XOP map 8 always carry an imm8, XOP map 10 an imm32,
 * and map 1 only the opcodes listed in has_imm8_map1. Whether an opcode exists is
 * checked per opcode for VEX (and ModRM.reg for its groups), not per pp/L/W; EVEX and
 * XOP opcodes are not checked at all: the length does not depend on it, and an
 * instruction that caused a VM exit was accepted by the CPU.
 */
bool opcode_vex_map_defined(const struct x86_insn *insn)
{
	switch (insn->encoding) {
	case X86_ENC_VEX:
		return insn->map >= X86_MAP_0F && insn->map <= X86_MAP_0F3A;
	case X86_ENC_EVEX:
		return (insn->map >= X86_MAP_0F && insn->map <= X86_MAP_0F3A) ||
		       insn->map == X86_MAP_EVEX5 || insn->map == X86_MAP_EVEX6;
	default: /* XOP */
		return insn->map >= X86_MAP_XOP8 && insn->map <= X86_MAP_XOPA;
	}
}

bool opcode_vex_has_modrm(const struct x86_insn *insn)
{
	return !(insn->encoding == X86_ENC_VEX && insn->map == X86_MAP_0F && insn->opcode == 0x77);
}

/* PSHUFD-family, shift-by-immediate groups, CMPPS, PINSRW, PEXTRW, SHUFPS. */
static bool has_imm8_map1(uint8_t op)
{
	return (op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6);
}

static bool vex_0f_defined(uint8_t op, unsigned reg, unsigned mod)
{
	switch (op) {
	case 0x10 ... 0x17:
	case 0x28 ... 0x2f:
	case 0x41 ... 0x42: /* KAND KANDN (opmask, VEX-encoded) */
	case 0x44 ... 0x47: /* KNOT KOR KXNOR KXOR */
	case 0x4a ... 0x4b: /* KADD KUNPCK */
	case 0x50 ... 0x70:
	case 0x74 ... 0x77:
	case 0x7c ... 0x7f:
	case 0x90 ... 0x93: /* KMOV */
	case 0x98 ... 0x99: /* KORTEST KTEST */
	case 0xc2:
	case 0xc4 ... 0xc6:
	case 0xd0 ... 0xfe:
		return true;
	case 0x71:
	case 0x72:
		return reg == 2 || reg == 4 || reg == 6;
	case 0x73:
		return reg == 2 || reg == 3 || reg == 6 || reg == 7;
	case 0xae: /* VLDMXCSR, VSTMXCSR */
		return (reg == 2 || reg == 3) && mod != 3;
	default:
		return false;
	}
}

static bool vex_0f38_defined(uint8_t op, unsigned reg)
{
	switch (op) {
	case 0x00 ... 0x0f:
	case 0x13:
	case 0x16 ... 0x1a:
	case 0x1c ... 0x1e:
	case 0x20 ... 0x25:
	case 0x28 ... 0x47:
	case 0x49:          /* AMX tile configuration */
	case 0x4b:          /* AMX tile loads */
	case 0x50 ... 0x53: /* AVX-VNNI */
	case 0x58 ... 0x5a:
	case 0x5c:
	case 0x5e:          /* AMX dot products */
	case 0x72:          /* AVX-NE-CONVERT */
	case 0x78 ... 0x79:
	case 0x8c:
	case 0x8e:
	case 0x90 ... 0x93: /* gathers */
	case 0x96 ... 0x9f: /* FMA */
	case 0xa6 ... 0xaf:
	case 0xb0 ... 0xb1:
	case 0xb4 ... 0xbf:
	case 0xcb ... 0xcd: /* SHA512 */
	case 0xcf:
	case 0xd2 ... 0xd3: /* AVX-VNNI-INT8/INT16 */
	case 0xda ... 0xdf: /* SM3/SM4, VAES */
	case 0xe0 ... 0xef: /* CMPccXADD */
	case 0xf2:
	case 0xf5 ... 0xf7: /* BZHI PDEP PEXT MULX BEXTR SHLX SARX SHRX */
		return true;
	case 0xf3: /* group 17: BLSR BLSMSK BLSI */
		return reg >= 1 && reg <= 3;
	default:
		return false;
	}
}

static bool vex_0f3a_defined(uint8_t op)
{
	switch (op) {
	case 0x00 ... 0x02:
	case 0x04 ... 0x06:
	case 0x08 ... 0x0f:
	case 0x14 ... 0x19:
	case 0x1d:
	case 0x20 ... 0x22:
	case 0x30 ... 0x33: /* KSHIFT */
	case 0x38 ... 0x39:
	case 0x40 ... 0x42:
	case 0x44:
	case 0x46:
	case 0x48 ... 0x4c: /* VPERMIL2 (AMD), VBLENDV */
	case 0x5c ... 0x5f: /* FMA4 (AMD) */
	case 0x60 ... 0x63:
	case 0x68 ... 0x6f:
	case 0x78 ... 0x7f:
	case 0xce ... 0xcf:
	case 0xde ... 0xdf:
	case 0xf0:          /* RORX */
		return true;
	default:
		return false;
	}
}

struct opcode_shape opcode_shape_vex(const struct x86_insn *insn)
{
	struct opcode_shape shape = { OPF_MODRM, IMM_NONE };
	unsigned reg = insn->reg & 7;
	bool defined = true;

	if (!opcode_vex_has_modrm(insn))
		shape.flags = 0;
	if (insn->map == X86_MAP_0F3A || insn->map == X86_MAP_XOP8)
		shape.imm = IMM_B;
	else if (insn->map == X86_MAP_XOPA)
		shape.imm = IMM_D;
	else if (insn->map == X86_MAP_0F && has_imm8_map1(insn->opcode))
		shape.imm = IMM_B;

	if (insn->encoding == X86_ENC_VEX) {
		if (insn->map == X86_MAP_0F)
			defined = vex_0f_defined(insn->opcode, reg, insn->mod);
		else if (insn->map == X86_MAP_0F38)
			defined = vex_0f38_defined(insn->opcode, reg);
		else
			defined = vex_0f3a_defined(insn->opcode);
	}
	if (!defined)
		shape.flags |= OPF_UD;
	return shape;
}
