/* test_decode: hand-picked instruction lengths and decoded fields, one category at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "arch/x86/decode/insn.h"

struct length_case {
	enum x86_mode mode;
	unsigned flags;
	const char *hex;
	enum x86_decode_status status;
	unsigned len; /* expected insn.len (0: undefined opcode or no complete instruction) */
	const char *what;
};

#define M16 X86_MODE_16
#define M32 X86_MODE_32
#define M64 X86_MODE_64
#define OK X86_DECODE_OK
#define UD X86_DECODE_INVALID
#define SHORT X86_DECODE_TRUNCATED
#define LONG X86_DECODE_TOO_LONG
#define AMD X86_DECODE_AMD

static size_t parse_hex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned v;
	int used;

	while (n < max && sscanf(hex, " %2x%n", &v, &used) == 1) {
		out[n++] = (uint8_t)v;
		hex += used;
	}
	return n;
}

static void check_cases(const struct length_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct length_case *c = &cases[i];
		uint8_t bytes[32];
		size_t n = parse_hex(c->hex, bytes, sizeof(bytes));
		struct x86_insn insn;
		enum x86_decode_status st = x86_decode(bytes, n, c->mode, c->flags, &insn);

		if (st != c->status || insn.len != c->len)
			print_message("FAIL %s [%s] mode %d: got %s len %u, want %s len %u\n", c->what,
				      c->hex, c->mode * 8, x86_decode_status_name(st), insn.len,
				      x86_decode_status_name(c->status), c->len);
		assert_int_equal(st, c->status);
		assert_int_equal(insn.len, c->len);
	}
}

/* Legacy prefixes, repeated and redundant, REX placement, the 15-byte limit. */
static void test_prefixes_and_limit(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M64, 0, "66 66 66 90", OK, 4, "repeated 66" },
		{ M64, 0, "2e 3e 26 64 65 36 90", OK, 7, "every segment prefix" },
		{ M64, 0, "f3 f2 f3 90", OK, 4, "mixed REP prefixes" },
		{ M64, 0, "48 b8 01 02 03 04 05 06 07 08", OK, 10, "REX.W mov imm64" },
		{ M64, 0, "66 48 b8 01 02 03 04 05 06 07 08", OK, 11, "REX.W beats 66" },
		{ M64, 0, "48 66 b8 01 02", OK, 5, "66 after REX cancels REX: imm16" },
		{ M64, 0, "40 48 b8 01 02 03 04 05 06 07 08", OK, 11, "last REX counts" },
		{ M32, 0, "48 b8 01 02 03 04", OK, 1, "40-4F are INC/DEC outside 64-bit" },
		{ M64, 0, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", OK, 15, "exactly 15" },
		{ M64, 0, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", LONG, 0, "16 bytes" },
		{ M64, 0, "2e 2e 2e 2e 2e 2e 2e 2e 2e 2e 48 b8 01 02 03 04 05 06 07 08", LONG, 0,
		  "immediate crosses the limit" },
		{ M64, 0, "b8 01 02", SHORT, 0, "truncated immediate" },
		{ M64, 0, "66", SHORT, 0, "prefix only" },
		{ M64, 0, "", SHORT, 0, "nothing" },
		{ M64, 0, "f0 90", UD, 2, "LOCK NOP" },
		{ M64, 0, "f0 01 c0", UD, 3, "LOCK with a register destination" },
		{ M64, 0, "f0 01 00", OK, 3, "LOCK ADD [rax], eax" },
		{ M64, 0, "f0 38 00", UD, 3, "LOCK CMP never writes" },
		{ M64, 0, "f0 0f c7 0e", OK, 4, "LOCK CMPXCHG8B" },
		{ M32, AMD, "f0 0f 22 c0", OK, 4, "AMD LOCK MOV CR0 = MOV CR8" },
		{ M32, 0, "f0 0f 22 c0", UD, 4, "Intel LOCK MOV CR0" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* ModRM/SIB/displacement in each address size (SDM Vol. 2, Tables 2-1 to 2-3). */
static void test_addressing_forms(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M16, 0, "8b 46 02", OK, 3, "[bp+disp8]" },
		{ M16, 0, "8b 06 34 12", OK, 4, "16-bit mod 0 rm 6 is disp16" },
		{ M16, 0, "8b 86 34 12", OK, 4, "[bp+disp16]" },
		{ M16, 0, "8b 04", OK, 2, "[si]: no SIB in 16-bit addressing" },
		{ M16, 0, "67 8b 04 24", OK, 4, "67: 32-bit addressing with SIB" },
		{ M32, 0, "8b 04 24", OK, 3, "[esp] needs SIB" },
		{ M32, 0, "8b 04 25 00 00 00 00", OK, 7, "SIB without base: disp32" },
		{ M32, 0, "8b 45 00", OK, 3, "[ebp+disp8]" },
		{ M32, 0, "8b 05 00 00 00 00", OK, 6, "disp32 absolute" },
		{ M32, 0, "8b 84 24 00 01 00 00", OK, 7, "SIB + disp32" },
		{ M32, 0, "67 8b 06 34 12", OK, 5, "67: 16-bit addressing" },
		{ M64, 0, "48 8b 05 00 00 00 00", OK, 7, "RIP-relative" },
		{ M64, 0, "67 8b 05 00 00 00 00", OK, 7, "EIP-relative" },
		{ M64, 0, "42 8b 04 25 00 00 00 00", OK, 8, "REX.X index" },
		{ M64, 0, "41 8b 45 00", OK, 4, "[r13+disp8]: r13 needs a disp like rbp" },
		{ M64, 0, "41 8b 04 24", OK, 4, "[r12] needs a SIB like rsp" },
		{ M64, 0, "0f 20 c0", OK, 3, "MOV from CR0" },
		{ M64, 0, "0f 22 05 11 22 33 44", OK, 3, "MOV to CR: mod ignored, no disp" },
		{ M64, 0, "44 0f 22 c0", OK, 4, "MOV to CR8" },
		{ M64, 0, "8d c0", UD, 2, "LEA of a register" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Immediates, including the odd ones. */
static void test_immediates(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M64, 0, "f6 05 00 00 00 00 7f", OK, 7, "TEST m8, imm8 (RIP-relative)" },
		{ M64, 0, "f6 c8 01", OK, 3, "F6 /1 is an alias of TEST" },
		{ M64, 0, "f6 d0", OK, 2, "NOT r8: no immediate" },
		{ M64, 0, "f7 c0 01 02 03 04", OK, 6, "TEST r32, imm32" },
		{ M64, 0, "66 f7 c0 01 02", OK, 5, "TEST r16, imm16" },
		{ M64, 0, "48 f7 c0 01 02 03 04", OK, 7, "TEST r64, imm32" },
		{ M64, 0, "f7 18", OK, 2, "NEG m32" },
		{ M64, 0, "c8 10 00 01", OK, 4, "ENTER imm16, imm8" },
		{ M64, 0, "66 c8 10 00 01", OK, 5, "ENTER ignores the operand size" },
		{ M32, 0, "9a 44 33 22 11 cd ab", OK, 7, "CALLF ptr16:32" },
		{ M32, 0, "66 ea 22 11 cd ab", OK, 6, "JMPF ptr16:16" },
		{ M16, 0, "9a 22 11 cd ab", OK, 5, "CALLF ptr16:16" },
		{ M64, 0, "9a 44 33 22 11 cd ab", UD, 7, "CALLF in 64-bit mode" },
		{ M64, 0, "a1 01 02 03 04 05 06 07 08", OK, 9, "moffs64" },
		{ M64, 0, "67 a1 01 02 03 04", OK, 6, "moffs32 with 67" },
		{ M64, 0, "66 a3 01 02 03 04 05 06 07 08", OK, 10, "66 changes data, not moffs" },
		{ M32, 0, "a0 01 02 03 04", OK, 5, "moffs32" },
		{ M32, 0, "67 a2 01 02", OK, 4, "moffs16 with 67" },
		{ M16, 0, "a1 01 02", OK, 3, "moffs16" },
		{ M64, 0, "66 0f 3a 0f c1 08", OK, 6, "0F 3A: PALIGNR imm8" },
		{ M64, 0, "66 0f 3a 63 44 24 08 1a", OK, 8, "PCMPISTRI m, imm8" },
		{ M64, 0, "0f 0f c1 9e", OK, 4, "3DNow! PFADD" },
		{ M32, 0, "0f 0f 44 24 08 b4", OK, 6, "3DNow! PFMUL m64: suffix after disp" },
		{ M32, 0, "0f 0f c1 00", UD, 4, "3DNow! undefined suffix" },
		{ M64, 0, "c2 08 00", OK, 3, "RET imm16" },
		{ M64, 0, "68 01 02 03 04", OK, 5, "PUSH imm32" },
		{ M64, 0, "66 68 01 02", OK, 4, "PUSH imm16" },
		{ M64, 0, "6b c0 05", OK, 3, "IMUL imm8" },
		{ M64, 0, "69 c0 01 02 03 04", OK, 6, "IMUL imm32" },
		{ M64, 0, "c6 00 01", OK, 3, "MOV m8, imm8" },
		{ M64, 0, "c7 80 00 01 00 00 01 02 03 04", OK, 10, "MOV m32, imm32 + disp32" },
		{ M64, 0, "c7 c8 01 02 03 04", UD, 6, "C7 /1 is undefined" },
		{ M64, 0, "c6 f8 01", OK, 3, "XABORT imm8" },
		{ M64, 0, "c7 f8 01 02 03 04", OK, 6, "XBEGIN rel32" },
		{ M64, 0, "66 0f 78 c1 04 08", OK, 6, "EXTRQ imm8, imm8 (SSE4a)" },
		{ M64, 0, "f2 0f 78 c1 04 08", OK, 6, "INSERTQ imm8, imm8" },
		{ M64, 0, "0f 78 c1", OK, 3, "VMREAD" },
		{ M64, 0, "0f ba e0 05", OK, 4, "BT r/m, imm8" },
		{ M64, 0, "0f ba c0 05", UD, 4, "0F BA /0 is undefined" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Near branches: Intel ignores 66h in 64-bit mode, AMD (and QEMU TCG) honours it. */
static void test_branches_by_vendor(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M64, 0, "e8 01 02 03 04", OK, 5, "CALL rel32" },
		{ M64, 0, "66 e8 01 02 03 04", OK, 6, "Intel: 66 ignored" },
		{ M64, AMD, "66 e8 01 02", OK, 4, "AMD: rel16" },
		{ M64, AMD, "66 48 e8 01 02 03 04", OK, 7, "AMD: REX.W wins over 66" },
		{ M64, 0, "66 0f 84 01 02 03 04", OK, 7, "Intel Jcc rel32" },
		{ M64, AMD, "66 0f 84 01 02", OK, 5, "AMD Jcc rel16" },
		{ M32, 0, "66 e9 01 02", OK, 4, "32-bit: 66 gives rel16 on both" },
		{ M16, 0, "e9 01 02", OK, 3, "16-bit JMP rel16" },
		{ M16, 0, "66 e9 01 02 03 04", OK, 6, "16-bit with 66: rel32" },
		{ M64, 0, "eb fe", OK, 2, "JMP rel8" },
		{ M64, 0, "e3 fe", OK, 2, "JRCXZ" },
		{ M64, 0, "0f ff c0", UD, 3, "Intel UD0 has a ModRM" },
		{ M64, AMD, "0f ff c0", UD, 2, "AMD UD0 has none" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* VEX, EVEX and XOP, and the opcodes they replace outside 64-bit mode. */
static void test_vex_evex_xop(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M64, 0, "c5 f8 77", OK, 3, "VZEROUPPER: no ModRM" },
		{ M64, 0, "c5 fc 28 c1", OK, 4, "VMOVAPS ymm" },
		{ M64, 0, "c5 f9 70 c1 1b", OK, 5, "VPSHUFD imm8 (map 1)" },
		{ M64, 0, "c4 e3 79 0f c1 08", OK, 6, "VPALIGNR (map 3 imm8)" },
		{ M64, 0, "c4 e2 79 18 44 24 08", OK, 7, "VBROADCASTSS m32 (map 2)" },
		{ M64, 0, "c4 e1 79 00 c0", UD, 5, "VEX map 1 opcode 00 does not exist" },
		{ M64, 0, "c4 e4 79 00 c0", UD, 0, "VEX map 4 does not exist" },
		{ M64, 0, "48 c5 f8 77", UD, 4, "REX before VEX" },
		{ M64, 0, "66 c5 f8 77", UD, 4, "66 before VEX" },
		{ M64, 0, "62 f1 7c 48 58 c0", OK, 6, "VADDPS zmm" },
		{ M64, 0, "62 f1 7c 48 58 40 01", OK, 7, "EVEX disp8*N is one byte" },
		{ M64, 0, "62 f3 7d 48 0f c1 08", OK, 7, "EVEX map 3 imm8" },
		{ M64, 0, "62 f1 7c 40 58 c0", OK, 6, "EVEX V' clear in 64-bit mode" },
		{ M64, 0, "62 f1 78 48 58 c0", UD, 6, "EVEX P1 bit 2 must be 1" },
		{ M32, 0, "c5 06", OK, 2, "LDS in 32-bit mode" },
		{ M32, 0, "c5 f8 77", OK, 3, "VEX in 32-bit mode" },
		{ M32, 0, "c4 03", OK, 2, "LES [ebx]" },
		{ M32, 0, "62 00", OK, 2, "BOUND in 32-bit mode" },
		{ M32, 0, "62 f1 7c 48 58 c0", OK, 6, "EVEX in 32-bit mode" },
		{ M16, 0, "c5 f8 77", OK, 3, "VEX in 16-bit protected mode" },
		{ M64, 0, "8f c0", OK, 2, "POP r64, not XOP" },
		{ M64, 0, "8f e8 78 c0 c1 08", OK, 6, "XOP map 8: VPROTB imm8" },
		{ M64, 0, "8f e9 78 90 c1", OK, 5, "XOP map 9: VPROTB" },
		{ M64, 0, "8f ea 78 10 c0 01 02 03 04", OK, 9, "XOP map 10: BEXTR imm32" },
		{ M64, 0, "8f eb 78 10 c0", UD, 0, "XOP map 11 does not exist" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* Undefined opcodes, group holes, mode restrictions. */
static void test_invalid_forms(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M64, 0, "0f 04", UD, 0, "undefined 0F 04" },
		{ M64, 0, "0f 0b", UD, 2, "UD2" },
		{ M64, 0, "0f b9 c0", UD, 3, "UD1 has a ModRM" },
		{ M64, 0, "0f 38 50 c0", UD, 4, "0F 38 50 exists only VEX-encoded" },
		{ M64, 0, "0f 3a 00 c0 00", UD, 5, "0F 3A 00 exists only VEX-encoded" },
		{ M64, 0, "ff f8", UD, 2, "FF /7" },
		{ M64, 0, "fe d0", UD, 2, "FE /2" },
		{ M64, 0, "ff 18", OK, 2, "CALLF m16:32" },
		{ M64, 0, "ff d8", UD, 2, "CALLF needs memory" },
		{ M64, 0, "06", UD, 1, "PUSH ES in 64-bit mode" },
		{ M32, 0, "06", OK, 1, "PUSH ES in 32-bit mode" },
		{ M64, 0, "d4 0a", UD, 2, "AAM in 64-bit mode" },
		{ M32, 0, "d4 0a", OK, 2, "AAM" },
		{ M64, 0, "0f 01 f8", OK, 3, "SWAPGS" },
		{ M32, 0, "0f 01 f8", UD, 3, "SWAPGS outside 64-bit mode" },
		{ M64, 0, "0f 01 d2", UD, 3, "0F 01 D2 is a hole" },
		{ M64, 0, "0f 00 f0", UD, 3, "0F 00 /6" },
		{ M64, 0, "d9 d0", OK, 2, "FNOP" },
		{ M64, 0, "d9 d1", UD, 2, "D9 D1 is a hole" },
		{ M64, 0, "de d9", OK, 2, "FCOMPP" },
		{ M64, 0, "de d8", UD, 2, "DE D8 is a hole" },
		{ M64, 0, "dd 05 00 00 00 00", OK, 6, "FLD m64 RIP-relative" },
		{ M64, 0, "0f b8 c0", UD, 0, "0F B8 without F3 is IA-64's JMPE" },
		{ M64, 0, "f3 0f b8 c0", OK, 4, "POPCNT" },
		{ M64, 0, "0f 71 d0 02", OK, 4, "PSRLW mm, imm8" },
		{ M64, 0, "0f 71 10 02", UD, 4, "shift-by-immediate needs a register" },
		{ M64, 0, "0f c3 c0", UD, 3, "MOVNTI to a register" },
		{ M64, 0, "0f c7 f0", OK, 3, "RDRAND" },
		{ M64, 0, "0f c7 c0", UD, 3, "0F C7 /0 register form" },
		{ M64, 0, "f3 0f a7 c0", OK, 4, "VIA PadLock XSTORE" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* What the exit handlers decode after an intercept (no NRIPS on QEMU TCG). */
static void test_intercepted_instructions(void **state)
{
	(void)state;
	static const struct length_case cases[] = {
		{ M64, 0, "0f a2", OK, 2, "CPUID" },
		{ M64, 0, "0f 32", OK, 2, "RDMSR" },
		{ M64, 0, "0f 30", OK, 2, "WRMSR" },
		{ M64, 0, "f4", OK, 1, "HLT" },
		{ M64, 0, "e6 80", OK, 2, "OUT imm8, AL" },
		{ M64, 0, "66 ef", OK, 2, "OUT DX, AX" },
		{ M64, 0, "f3 6e", OK, 2, "REP OUTSB" },
		{ M64, 0, "0f 01 d9", OK, 3, "VMMCALL" },
		{ M64, 0, "0f 01 c1", OK, 3, "VMCALL" },
		{ M64, 0, "0f 01 d8", OK, 3, "VMRUN" },
		{ M64, 0, "0f 01 38", OK, 3, "INVLPG [rax]" },
		{ M64, 0, "0f 01 7c 24 08", OK, 5, "INVLPG [rsp+8]" },
		{ M64, 0, "0f 09", OK, 2, "WBINVD" },
		{ M64, 0, "f3 90", OK, 2, "PAUSE" },
		{ M64, 0, "0f 01 d1", OK, 3, "XSETBV" },
		{ M64, 0, "0f 31", OK, 2, "RDTSC" },
		{ M64, 0, "0f 01 f9", OK, 3, "RDTSCP" },
		{ M16, 0, "0f 01 16 00 10", OK, 5, "LGDT in real mode" },
		{ M64, 0, "0f 01 de", OK, 3, "SKINIT" },
		{ M64, 0, "cf", OK, 1, "IRET" },
		{ M64, 0, "48 cf", OK, 2, "IRETQ" },
	};
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The fields the MMIO emulator relies on. */
static void test_decoded_fields(void **state)
{
	(void)state;
	struct x86_insn insn;
	/* mov r11d, [r12 + r9*4 - 8] with a GS override */
	static const uint8_t mov[] = { 0x65, 0x47, 0x8b, 0x5c, 0x8c, 0xf8 };
	assert_int_equal(x86_decode(mov, sizeof(mov), X86_MODE_64, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.len, 6);
	assert_int_equal(insn.map, X86_MAP_ONEBYTE);
	assert_int_equal(insn.opcode, 0x8b);
	assert_int_equal(insn.rex, 0x47);
	assert_int_equal(insn.seg, X86_SEG_GS);
	assert_int_equal(insn.opsize, 4);
	assert_int_equal(insn.addrsize, 8);
	assert_int_equal(insn.mod, 1);
	assert_int_equal(insn.reg, 11);
	assert_true(insn.has_sib);
	assert_int_equal(insn.scale, 4);
	assert_int_equal(insn.index, 9);
	assert_int_equal(insn.base, 12);
	assert_int_equal(insn.disp_size, 1);
	assert_int_equal(insn.disp, -8);
	assert_memory_equal(insn.bytes, mov, sizeof(mov));

	/* 66 c7 05 disp32 imm16: mov word [rip+0x100], 0xfee0 */
	static const uint8_t movw[] = { 0x66, 0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0xe0, 0xfe };
	assert_int_equal(x86_decode(movw, sizeof(movw), X86_MODE_64, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.len, 9);
	assert_int_equal(insn.opsize, 2);
	assert_int_equal(insn.mod, 0);
	assert_int_equal(insn.rm, 5);
	assert_false(insn.has_sib);
	assert_int_equal(insn.disp, 0x100);
	assert_int_equal(insn.imm_size, 2);
	assert_int_equal(insn.imm, 0xfee0);
	assert_int_equal(x86_insn_imm_sext(&insn), (int16_t)0xfee0);
	assert_true(insn.prefixes & X86_PFX_OPSIZE);

	/* 64-bit mode ignores DS, keeps FS; ENTER's second immediate */
	static const uint8_t enter[] = { 0x3e, 0xc8, 0x34, 0x12, 0x03 };
	assert_int_equal(x86_decode(enter, sizeof(enter), X86_MODE_64, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.seg, X86_SEG_NONE);
	assert_int_equal(insn.imm, 0x1234);
	assert_int_equal(insn.imm2, 3);
	assert_int_equal(x86_decode(enter, sizeof(enter), X86_MODE_32, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.seg, X86_SEG_DS);

	/* 16-bit: mov ax, [bp+di-2] */
	static const uint8_t m16[] = { 0x8b, 0x43, 0xfe };
	assert_int_equal(x86_decode(m16, sizeof(m16), X86_MODE_16, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.opsize, 2);
	assert_int_equal(insn.addrsize, 2);
	assert_int_equal(insn.rm, 3);
	assert_int_equal(insn.disp, -2);

	/* VEX fields: vaddps ymm1, ymm2, ymm3 */
	static const uint8_t vex[] = { 0xc5, 0xec, 0x58, 0xcb };
	assert_int_equal(x86_decode(vex, sizeof(vex), X86_MODE_64, 0, &insn), X86_DECODE_OK);
	assert_int_equal(insn.encoding, X86_ENC_VEX);
	assert_int_equal(insn.map, X86_MAP_0F);
	assert_int_equal(insn.vex_vvvv, 2);
	assert_int_equal(insn.vex_l, 1);
	assert_int_equal(insn.reg, 1);
	assert_int_equal(insn.rm, 3);

	/* A truncated decode reports no length and no stale bytes. */
	assert_int_equal(x86_decode(mov, 4, X86_MODE_64, 0, &insn), X86_DECODE_TRUNCATED);
	assert_int_equal(insn.len, 0);
	assert_string_equal(x86_decode_status_name(X86_DECODE_TOO_LONG), "longer than 15 bytes");
}

static void test_mode_from_cs(void **state)
{
	(void)state;
	assert_int_equal(x86_mode_from_cs(true, true, false), X86_MODE_64);
	assert_int_equal(x86_mode_from_cs(true, false, true), X86_MODE_32);
	assert_int_equal(x86_mode_from_cs(true, false, false), X86_MODE_16);
	assert_int_equal(x86_mode_from_cs(false, true, true), X86_MODE_32); /* L only with LMA */
	assert_int_equal(x86_mode_from_cs(false, false, false), X86_MODE_16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes_and_limit),
		cmocka_unit_test(test_addressing_forms),
		cmocka_unit_test(test_immediates),
		cmocka_unit_test(test_branches_by_vendor),
		cmocka_unit_test(test_vex_evex_xop),
		cmocka_unit_test(test_invalid_forms),
		cmocka_unit_test(test_intercepted_instructions),
		cmocka_unit_test(test_decoded_fields),
		cmocka_unit_test(test_mode_from_cs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
