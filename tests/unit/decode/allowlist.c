/* allowlist: where Capstone 4 decodes a length that the SDM/APM (and Zydis) contradict. */
#include "tests/unit/decode/diff.h"

static bool is_near_branch_rel(const struct diff_view *v)
{
	return v->op_len >= 1 && (v->op[0] == 0xe8 || v->op[0] == 0xe9 ||
				  (v->op_len >= 2 && v->op[0] == 0x0f && (v->op[1] & 0xf0) == 0x80));
}

static bool is_0f(const struct diff_view *v, uint8_t second)
{
	return v->op_len >= 2 && v->op[0] == 0x0f && v->op[1] == second;
}

static bool ud1_without_modrm(const struct diff_view *v)
{
	return is_0f(v, 0xb9);
}

static bool ud0_without_modrm(const struct diff_view *v)
{
	return is_0f(v, 0xff);
}

static bool branch_66_as_rel16(const struct diff_view *v)
{
	return v->p66 && !(v->rex & 8) && is_near_branch_rel(v);
}

static bool prefix_67_with_rex_w_as_opsize16(const struct diff_view *v)
{
	return v->p67 && (v->rex & 8) && (is_near_branch_rel(v) || is_0f(v, 0x78));
}

static bool sse4a_prefix_ignored(const struct diff_view *v)
{
	return (v->p66 || v->pf2) && (is_0f(v, 0x78) || is_0f(v, 0x79));
}

/* VEX/EVEX after 66, F2, F3 or REX is #UD (SDM Vol. 2A, 2.3.2); Capstone decodes EVEX anyway. */
static bool evex_after_legacy_prefix(const struct diff_view *v)
{
	return v->op_len >= 1 && v->op[0] == 0x62 && (v->p66 || v->pf2 || v->pf3 || v->rex);
}

/* 62 P0 P1 P2 opcode ModRM: EVEX.b set in a register form is embedded rounding. */
static bool evex_rounding_extra_byte(const struct diff_view *v)
{
	return v->op_len >= 6 && v->op[0] == 0x62 && (v->op[3] & 0x10) && (v->op[5] >> 6) == 3;
}

/*
 * 62 P0 P1 P2 opcode ModRM in map 0F with pp = F3 (the scalar-single forms, defined as
 * W0 only) and EVEX.W1, register form, EVEX.b clear: Capstone reports embedded rounding
 * anyway and reads one byte more.
 */
static bool evex_w1_f3_register(const struct diff_view *v)
{
	return v->op_len >= 6 && v->op[0] == 0x62 && (v->op[1] & 3) == 1 &&
	       (v->op[2] & 0x83) == 0x82 && !(v->op[3] & 0x10) && (v->op[5] >> 6) == 3;
}

static bool ret_imm16_with_rex_w(const struct diff_view *v)
{
	return v->op_len >= 1 && v->op[0] == 0xc2 && (v->p66 || v->p67) && (v->rex & 8);
}

static bool opsize_66_before_rep_ignored(const struct diff_view *v)
{
	bool iz = v->op_len >= 1 && v->op[0] == 0x68;
	return v->p66_before_rep && !(v->rex & 8) && (iz || is_near_branch_rel(v));
}

/* 8F RXB.mmmmm W.vvvv.L.pp opcode: XOP map 0Ah (BEXTR, LWPINS, LWPVAL) has an imm32. */
static bool xop_map_a_imm_by_opsize(const struct diff_view *v)
{
	bool opsize16 = (v->mode == DIFF_MODE_16) != v->p66;
	return v->op_len >= 2 && v->op[0] == 0x8f && (v->op[1] & 0x1f) == 0x0a && opsize16;
}

/* 62 P0: with 67h, Capstone mis-reads the SIB when EVEX.X and EVEX.B are both set. */
static bool evex_67_x_and_b(const struct diff_view *v)
{
	return v->p67 && v->op_len >= 2 && v->op[0] == 0x62 && (v->op[1] & 0x60) == 0;
}

/* 67h EVEX with ModRM mod = 00, r/m = 101 in 64-bit mode: EIP-relative, a disp32 follows. */
static bool evex_67_rip_relative(const struct diff_view *v)
{
	return v->p67 && v->op_len >= 6 && v->op[0] == 0x62 && (v->op[5] & 0xc7) == 0x05;
}

const struct diff_allow diff_allowlist[] = {
	{ "ud1-modrm", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD, ud1_without_modrm,
	  "Capstone decodes 0F B9 as a 2-byte UD2B; UD1 is 0F B9 /r with a ModRM "
	  "(SDM Vol. 2B, UD; APM Vol. 3, UD1)",
	  "0f b9 c0", DIFF_MODE_64, 3 },
	{ "ud0-modrm", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL, ud0_without_modrm,
	  "Capstone decodes 0F FF without a ModRM, which is AMD's UD0; Intel's UD0 is "
	  "0F FF /r (SDM Vol. 2B, UD). nestor follows the vendor it is told",
	  "0f ff c0", DIFF_MODE_64, 3 },
	{ "branch-66-rel16", DIFF_M64, DIFF_INTEL, branch_66_as_rel16,
	  "in 64-bit mode Capstone honours 66h on CALL/JMP/Jcc rel (rel16, AMD behaviour); "
	  "Intel CPUs ignore it and take rel32 (SDM Vol. 2A, 2.2.1.7)",
	  "66 e8 00 00 00 00", DIFF_MODE_64, 6 },
	{ "branch-66-rel32", DIFF_M64, DIFF_AMD, branch_66_as_rel16,
	  "decoding for AMD, 66h selects rel16 on every near branch in 64-bit mode (APM Vol. 3, "
	  "1.2.2; QEMU TCG does the same); Capstone takes rel32 instead whenever 67h, a second "
	  "REX or a REX cancelled by a later prefix comes along",
	  "66 67 40 e8 11 22 33 44", DIFF_MODE_64, 6 },
	{ "67-rexw-opsize16", DIFF_M64, DIFF_INTEL | DIFF_AMD, prefix_67_with_rex_w_as_opsize16,
	  "with 67h and REX.W together Capstone applies a 16-bit operand size to near "
	  "branches and to 0F 78; 67h changes only the address size and REX.W selects 64-bit "
	  "operands (SDM Vol. 2A, 2.2.1.2)",
	  "67 48 e8 00 00 00 00", DIFF_MODE_64, 7 },
	{ "sse4a-prefix", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD,
	  sse4a_prefix_ignored,
	  "Capstone decodes 66/F2 0F 78 and 0F 79 as VMREAD/VMWRITE in some forms; with those "
	  "prefixes they are EXTRQ/INSERTQ (66/F2 0F 78 carry two imm8), register forms only "
	  "(APM Vol. 4, EXTRQ/INSERTQ); VMREAD/VMWRITE take no such prefix",
	  "66 66 3e 0f 78 26 74 dc 2f 36", DIFF_MODE_16, 10 },
	{ "evex-rounding", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD,
	  evex_rounding_extra_byte,
	  "Capstone reads one byte too many after an EVEX register form with EVEX.b set "
	  "(embedded rounding); the ModRM with mod = 3 ends the instruction (SDM Vol. 2A, 2.7.4)",
	  "62 f1 d7 18 59 fb 00 00", DIFF_MODE_32, 6 },
	{ "ret-imm16-rexw", DIFF_M64, DIFF_INTEL | DIFF_AMD, ret_imm16_with_rex_w,
	  "with REX.W and 66h or 67h Capstone reads RET C2's immediate as 4 bytes; it is "
	  "always imm16 (SDM Vol. 2B, RET)",
	  "66 48 c2 11 22 33 44", DIFF_MODE_64, 5 },
	{ "66-before-rep", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD,
	  opsize_66_before_rep_ignored,
	  "when 66h comes before F2/F3, Capstone ignores it for PUSH Iz (68) and near "
	  "branches and reads a 32-bit immediate; 66h selects the 16-bit form whatever "
	  "other prefixes follow (SDM Vol. 2A, 2.1.1)",
	  "66 f3 68 11 22 33 44", DIFF_MODE_64, 5 },
	{ "xop-imm32", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD,
	  xop_map_a_imm_by_opsize,
	  "Capstone sizes the immediate of XOP map 0Ah (BEXTR imm, LWPINS, LWPVAL) by the "
	  "operand size; it is always an imm32 (APM Vol. 3, BEXTR (immediate form))",
	  "8f ea 78 10 c0 11 22 33 44", DIFF_MODE_16, 9 },
	{ "evex-prefixed", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD,
	  evex_after_legacy_prefix,
	  "EVEX after 66h, F2h, F3h or REX raises #UD (SDM Vol. 2A, 2.3.2; the EVEX exception "
	  "tables repeat the rule); "
	  "Capstone decodes it anyway and then misplaces the following fields",
	  "f2 62 81 ae 09 58 cf 03 6d", DIFF_MODE_64, 7 },
	{ "evex-w1-f3-reg", DIFF_M16 | DIFF_M32 | DIFF_M64, DIFF_INTEL | DIFF_AMD,
	  evex_w1_f3_register,
	  "EVEX.W1 F3-map-0F register forms (VMULSS, VSUBSS, ... are defined only as W0, so "
	  "#UD) with EVEX.b clear: Capstone reports embedded rounding that EVEX.b does not ask "
	  "for and reads a byte more (found as exact bytes in 32-bit mode, by fuzz_decode in "
	  "64-bit mode: 62 31 c6 05 5c ff)",
	  "2e 62 c1 be 26 59 cc 0c", DIFF_MODE_32, 7 },
	{ "evex-67-sib", DIFF_M64, DIFF_INTEL | DIFF_AMD, evex_67_x_and_b,
	  "with 67h, EVEX.X and EVEX.B both set, Capstone decodes the SIB addressing wrongly "
	  "and misses bytes (SDM Vol. 2A, 2.7.5: the SIB is read as for any 32-bit address)",
	  "67 62 01 85 38 59 ac 51 bf e1 09 31 cf 95", DIFF_MODE_64, 12 },
	{ "evex-67-riprel", DIFF_M64, DIFF_INTEL | DIFF_AMD, evex_67_rip_relative,
	  "with 67h, an EVEX instruction whose ModRM has mod 00 and r/m 101 is EIP-relative "
	  "with a disp32 (SDM Vol. 2A, 2.2.1.6); Capstone prints [rbp] and reads no "
	  "displacement (found by fuzz_decode in make check on 7 December 2026: "
	  "47 67 62 31 c6 05 5c 25 67 04 c4 41)",
	  "67 62 31 46 05 58 25 67 04 c4 41", DIFF_MODE_64, 11 },
};
const size_t diff_allowlist_len = sizeof(diff_allowlist) / sizeof(diff_allowlist[0]);
