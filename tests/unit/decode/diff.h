/* diff: nestor's decoder compared with Capstone (and optionally Zydis), one instruction at a time. */
#ifndef NESTOR_TESTS_UNIT_DECODE_DIFF_H
#define NESTOR_TESTS_UNIT_DECODE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Capstone's x86.h declares an `enum x86_insn`, whose tag collides with nestor's
 * `struct x86_insn`: the files that include Capstone never include nestor's decoder
 * header. These mirror what they need; diff_nestor.c checks that the values match.
 */
enum diff_mode { DIFF_MODE_16 = 2, DIFF_MODE_32 = 4, DIFF_MODE_64 = 8 };
#define DIFF_DECODE_AMD 1u /* X86_DECODE_AMD */

struct diff_nestor_result {
	bool ok;      /* X86_DECODE_OK */
	bool invalid; /* X86_DECODE_INVALID */
	unsigned len; /* 0 when unknown */
	const char *status_name;
};
struct diff_nestor_result diff_nestor_decode(const uint8_t *bytes, size_t n, enum diff_mode mode,
					     unsigned flags);

enum diff_verdict {
	DIFF_AGREE,       /* both decode, same length */
	DIFF_AGREE_UD,    /* Capstone decodes, nestor says #UD with the same length */
	DIFF_ALLOWED,     /* a disagreement listed in the allowlist */
	DIFF_MISMATCH,    /* an unexplained disagreement: a test failure */
	DIFF_NESTOR_ONLY, /* nestor decodes, Capstone does not (newer ISA, or Capstone gap) */
	DIFF_BOTH_REJECT, /* neither decodes */
};

struct diff_stats {
	uint64_t inputs;
	uint64_t capstone_decoded; /* instructions Capstone decoded: all are compared */
	uint64_t agree;
	uint64_t agree_ud;
	uint64_t allowed;
	uint64_t allowed_by[32]; /* per diff_allowlist entry */
	uint64_t mismatch;
	uint64_t nestor_only;
	uint64_t both_reject;
	/* Zydis as a second referee (decode-diff only). */
	uint64_t zydis_decoded;
	uint64_t zydis_agree;
	uint64_t zydis_mismatch;       /* nestor decodes it with another length */
	uint64_t zydis_nestor_rejects; /* nestor says #UD (or has no length) */
};

struct diff_ctx;

/* flags: DIFF_DECODE_AMD also selects AMD branch rules in Zydis. Reports go to report. */
struct diff_ctx *diff_open(unsigned flags, bool with_zydis, FILE *report, unsigned report_limit);
void diff_close(struct diff_ctx *ctx);
/* Report every instruction, not only disagreements (for --probe). */
void diff_report_all(struct diff_ctx *ctx);
struct diff_stats *diff_stats(struct diff_ctx *ctx);

/*
 * Compares the first instruction of bytes[0, n) in mode. *advance gets the length to
 * step over for sequential decoding (Capstone's, else nestor's, else 1).
 */
enum diff_verdict diff_one(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *bytes,
			   size_t n, size_t *advance);

/* Capstone's length for the first instruction of bytes[0, n), 0 if it rejects them. */
size_t diff_capstone_length(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *bytes,
			    size_t n);

/* Decodes a code region sequentially and compares every instruction. */
void diff_region(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *code, size_t size);

void diff_print_stats(FILE *out, const char *title, const struct diff_stats *s);

/*
 * The allowlist: Capstone 4 bugs. One bug shows up in thousands of random strings, so
 * an entry is a rule over the instruction's bytes (mode, prefixes, opcode bytes) plus
 * one exact example; the unit test checks every example still disagrees with Capstone
 * and that nestor gives the documented length for it.
 */
struct diff_view {
	enum diff_mode mode;
	const uint8_t *bytes; /* the instruction as Capstone decoded it */
	size_t len;
	bool p66, p67, pf2, pf3;
	bool p66_before_rep; /* a 66 comes before an F2/F3 */
	uint8_t rex;         /* REX byte directly before the opcode, 0 if none */
	const uint8_t *op;   /* first byte after prefixes and REX */
	size_t op_len;       /* bytes from op to the end of the instruction */
};
void diff_view_init(struct diff_view *v, enum diff_mode mode, const uint8_t *bytes, size_t len);

enum { DIFF_INTEL = 1u << 0, DIFF_AMD = 1u << 1 }; /* nestor's decode flavour */

struct diff_allow {
	const char *name;
	unsigned modes;   /* DIFF_M16 | DIFF_M32 | DIFF_M64 */
	unsigned flavour; /* DIFF_INTEL and/or DIFF_AMD */
	bool (*matches)(const struct diff_view *v); /* NULL: only the example's exact bytes */
	const char *reason;
	/* An exact instance: bytes, mode, and nestor's (correct) length for it. */
	const char *example;
	enum diff_mode example_mode;
	unsigned example_len;
};
#define DIFF_M16 (1u << DIFF_MODE_16)
#define DIFF_M32 (1u << DIFF_MODE_32)
#define DIFF_M64 (1u << DIFF_MODE_64)
extern const struct diff_allow diff_allowlist[];
extern const size_t diff_allowlist_len;
/* The entry explaining a disagreement on Capstone's instruction bytes, or NULL. */
const struct diff_allow *diff_allow_find(enum diff_mode mode, unsigned decode_flags,
					 const uint8_t *bytes, size_t len);
/* Parses "66 0f b9 c0" into out; returns the byte count. */
size_t diff_parse_hex(const char *hex, uint8_t *out, size_t max);

#endif
