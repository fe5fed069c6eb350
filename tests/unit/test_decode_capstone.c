/* test_decode_capstone: nestor's instruction lengths against Capstone on real code and random bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/unit/decode/corpus.h"
#include "tests/unit/decode/diff.h"

/*
 * The corpus is deterministic: the code of the objects loaded in this process (this
 * program, libc, Capstone, cmocka) decoded in 64- and 32-bit mode, a mutation of every
 * 4th of those instructions, and fixed-seed random strings in every mode. Every
 * instruction Capstone decodes must get the same length from nestor unless a
 * diff_allowlist rule explains it. `make decode-diff` runs a far larger corpus.
 */
#define RANDOM_PER_MODE 60000

static void expect_clean(const char *title, const struct diff_stats *s, uint64_t min_compared)
{
	diff_print_stats(stdout, title, s);
	assert_int_equal(s->mismatch, 0);
	assert_true(s->capstone_decoded >= min_compared);
	/* Sanity: most of what Capstone decodes, nestor decodes with the same length. */
	assert_true(s->agree * 10 >= s->capstone_decoded * 9);
}

struct loaded_run {
	struct diff_ctx *code;
	struct diff_ctx *mutations;
	struct corpus_rng rng;
};

static void on_loaded_region(void *arg, const char *name, const uint8_t *code, size_t size,
			     enum diff_mode mode)
{
	struct loaded_run *r = arg;
	(void)name;

	diff_region(r->code, mode, code, size);
	diff_region(r->code, DIFF_MODE_32, code, size);
	corpus_diff_mutations(r->mutations, mode, code, size, &r->rng, 4);
}

static void test_loaded_code_and_mutations(void **state)
{
	(void)state;
	struct loaded_run r = { diff_open(0, false, stdout, 20), diff_open(0, false, stdout, 20),
				{ 0x6c6f6164 } };

	assert_non_null(r.code);
	assert_non_null(r.mutations);
	corpus_loaded_code(on_loaded_region, &r);
	expect_clean("loaded code", diff_stats(r.code), 100000);
	assert_int_equal(diff_stats(r.mutations)->mismatch, 0);
	diff_print_stats(stdout, "mutated code", diff_stats(r.mutations));
	assert_true(diff_stats(r.mutations)->capstone_decoded >= 10000);
	diff_close(r.code);
	diff_close(r.mutations);
}

static void random_run(unsigned flags, enum diff_mode mode, uint64_t seed, const char *title)
{
	struct diff_ctx *ctx = diff_open(flags, false, stdout, 20);

	assert_non_null(ctx);
	corpus_diff_random(ctx, mode, RANDOM_PER_MODE, seed);
	/* Random strings hold many undefined forms: only ask for a solid number compared. */
	diff_print_stats(stdout, title, diff_stats(ctx));
	assert_int_equal(diff_stats(ctx)->mismatch, 0);
	assert_true(diff_stats(ctx)->capstone_decoded >= RANDOM_PER_MODE / 2);
	diff_close(ctx);
}

static void test_random_64(void **state)
{
	(void)state;
	random_run(0, DIFF_MODE_64, 64, "random 64-bit");
}

static void test_random_64_amd(void **state)
{
	(void)state;
	random_run(DIFF_DECODE_AMD, DIFF_MODE_64, 6400, "random 64-bit, AMD rules");
}

static void test_random_32(void **state)
{
	(void)state;
	random_run(0, DIFF_MODE_32, 32, "random 32-bit");
}

static void test_random_16(void **state)
{
	(void)state;
	random_run(0, DIFF_MODE_16, 16, "random 16-bit");
}

/*
 * Every allowlist entry is real: its example still disagrees with Capstone, its rule
 * (if any) covers the example, and nestor gives the documented length. If Capstone is
 * fixed or nestor changes, this fails and the entry must be revisited.
 */
static void test_allowlist_examples(void **state)
{
	(void)state;
	struct diff_ctx *ctx = diff_open(0, false, NULL, 0);

	assert_true(diff_allowlist_len > 0);
	for (size_t i = 0; i < diff_allowlist_len; i++) {
		const struct diff_allow *a = &diff_allowlist[i];
		unsigned flags = (a->flavour & DIFF_INTEL) ? 0 : DIFF_DECODE_AMD;
		uint8_t bytes[15];
		size_t n = diff_parse_hex(a->example, bytes, sizeof(bytes));
		size_t cs_len = diff_capstone_length(ctx, a->example_mode, bytes, n);
		struct diff_nestor_result r = diff_nestor_decode(bytes, n, a->example_mode, flags);

		print_message("allowlist %-18s capstone %zu nestor %u (%s)\n", a->name, cs_len, r.len,
			      r.status_name);
		assert_true(a->modes & (1u << a->example_mode));
		assert_int_equal(r.len, a->example_len);
		assert_true(cs_len != 0 && cs_len != a->example_len);
		assert_ptr_equal(diff_allow_find(a->example_mode, flags, bytes, cs_len), a);
	}
	diff_close(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowlist_examples),
		cmocka_unit_test(test_loaded_code_and_mutations),
		cmocka_unit_test(test_random_64),
		cmocka_unit_test(test_random_64_amd),
		cmocka_unit_test(test_random_32),
		cmocka_unit_test(test_random_16),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
