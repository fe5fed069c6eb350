/* diff_nestor: nestor's decoder behind the diff harness's Capstone-safe interface. */
#include "arch/x86/decode/insn.h"
#include "tests/unit/decode/diff.h"

_Static_assert(DIFF_MODE_16 == (int)X86_MODE_16 && DIFF_MODE_32 == (int)X86_MODE_32 &&
		       DIFF_MODE_64 == (int)X86_MODE_64,
	       "diff_mode mirrors x86_mode");
_Static_assert(DIFF_DECODE_AMD == X86_DECODE_AMD, "DIFF_DECODE_AMD mirrors X86_DECODE_AMD");

struct diff_nestor_result diff_nestor_decode(const uint8_t *bytes, size_t n, enum diff_mode mode,
					     unsigned flags)
{
	struct x86_insn insn;
	enum x86_decode_status st = x86_decode(bytes, n, (enum x86_mode)mode, flags, &insn);

	return (struct diff_nestor_result){
		.ok = st == X86_DECODE_OK,
		.invalid = st == X86_DECODE_INVALID,
		.len = insn.len,
		.status_name = x86_decode_status_name(st),
	};
}
