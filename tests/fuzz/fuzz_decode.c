/* fuzz_decode: the x86 decoder on any bytes in every mode, with Capstone as a differential oracle. */
#include <string.h>

#include "arch/x86/decode/insn.h"
#include "tests/fuzz/fuzz.h"
#include "tests/unit/decode/diff.h"

/*
 * The input is a mode byte (16-, 32- or 64-bit; Intel or AMD branch rules) and then the
 * instruction bytes. Beyond "no crash", checked for every input:
 *  - OK means 1 <= len <= 15, len <= the bytes given, bytes[] holds them, and the sizes
 *    are legal (operand and address size 2/4/8, displacement 0/1/2/4, immediates <= 8);
 *  - TRUNCATED only with fewer than 15 bytes given;
 *  - the result depends only on the instruction's own bytes: the first len bytes alone
 *    decode to the identical struct, and one byte fewer is TRUNCATED;
 *  - Capstone agrees on the length of every instruction it decodes (tests/unit/decode's
 *    comparison, the same as test_decode_capstone, with its allowlist of Capstone 4
 *    bugs): an unexplained disagreement is a finding.
 */

static struct diff_ctx *oracle[2];	/* Intel rules, AMD rules */

static void check_sizes(const struct x86_insn *insn, size_t n)
{
	FUZZ_CHECK(insn->len >= 1 && insn->len <= X86_INSN_MAX_LEN && insn->len <= n,
		   "length %u of %zu bytes", insn->len, n);
	FUZZ_CHECK(insn->opsize == 2 || insn->opsize == 4 || insn->opsize == 8, "opsize %u",
		   insn->opsize);
	FUZZ_CHECK(insn->addrsize == 2 || insn->addrsize == 4 || insn->addrsize == 8,
		   "addrsize %u", insn->addrsize);
	FUZZ_CHECK(insn->disp_size == 0 || insn->disp_size == 1 || insn->disp_size == 2 ||
		   insn->disp_size == 4, "disp_size %u", insn->disp_size);
	FUZZ_CHECK(insn->imm_size <= 8 && insn->imm2_size <= 8, "immediates %u/%u",
		   insn->imm_size, insn->imm2_size);
	FUZZ_CHECK(insn->seg <= X86_SEG_NONE, "segment %u", insn->seg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum x86_mode modes[4] = { X86_MODE_64, X86_MODE_32, X86_MODE_16, X86_MODE_64 };
	struct x86_insn insn, again;
	enum x86_decode_status st;
	enum x86_mode mode;
	unsigned flags;
	size_t n, advance;

	if (!oracle[0]) {
		oracle[0] = diff_open(0, false, stderr, 1);
		oracle[1] = diff_open(X86_DECODE_AMD, false, stderr, 1);
		if (!oracle[0] || !oracle[1])
			abort();
	}
	if (size < 2)
		return 0;
	mode = modes[data[0] & 3];
	flags = (data[0] & 4) ? X86_DECODE_AMD : 0;
	data++;
	n = size - 1 < 20 ? size - 1 : 20;

	st = x86_decode(data, n, mode, flags, &insn);
	FUZZ_CHECK(st <= X86_DECODE_TOO_LONG, "status %d", st);
	if (st == X86_DECODE_TRUNCATED)
		FUZZ_CHECK(n < X86_INSN_MAX_LEN, "truncated with %zu bytes", n);
	if (st == X86_DECODE_OK) {
		check_sizes(&insn, n);
		FUZZ_CHECK(!memcmp(insn.bytes, data, insn.len), "bytes[] differ from the input");
		FUZZ_CHECK(x86_decode(data, insn.len, mode, flags, &again) == X86_DECODE_OK &&
			   !memcmp(&insn, &again, sizeof(insn)),
			   "the first %u bytes alone decode differently", insn.len);
		FUZZ_CHECK(x86_decode(data, insn.len - 1u, mode, flags, &again) == X86_DECODE_TRUNCATED,
			   "%u bytes of a %u-byte instruction: status %d", insn.len - 1u, insn.len,
			   x86_decode(data, insn.len - 1u, mode, flags, &again));
	}
	FUZZ_CHECK(diff_one(oracle[flags ? 1 : 0], (enum diff_mode)mode, data, n, &advance) != DIFF_MISMATCH,
		   "nestor (%s, length %u) and Capstone disagree on the length (report above)",
		   x86_decode_status_name(st), insn.len);
	return 0;
}
