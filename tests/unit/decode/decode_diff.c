/* decode_diff: `make decode-diff`, nestor's decoder against Capstone over a large corpus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/decode/corpus.h"
#include "tests/unit/decode/diff.h"

struct run {
	struct diff_ctx *ctx;
	struct diff_ctx *mutations;
	struct corpus_rng rng;
	bool all_modes; /* also decode 64-bit code as 32- and 16-bit code */
	uint64_t regions, bytes;
};

static void on_region(void *arg, const char *name, const uint8_t *code, size_t size,
		      enum diff_mode elf_mode)
{
	struct run *r = arg;
	(void)name;

	r->regions++;
	r->bytes += size;
	diff_region(r->ctx, elf_mode, code, size);
	if (r->all_modes && elf_mode == DIFF_MODE_64)
		diff_region(r->ctx, DIFF_MODE_32, code, size);
	corpus_diff_mutations(r->mutations, elf_mode, code, size, &r->rng, 1);
}

/* --probe MODE "hex bytes": one instruction through every decoder, reported in full. */
static int probe(unsigned flags, bool zydis, int bits, const char *hex)
{
	uint8_t buf[15] = { 0 };
	size_t n = 0, step;
	enum diff_mode mode = bits == 16 ? DIFF_MODE_16 : bits == 32 ? DIFF_MODE_32 : DIFF_MODE_64;
	struct diff_ctx *ctx = diff_open(flags, zydis, stdout, 1);
	diff_report_all(ctx);
	static const char *names[] = { "agree", "agree (nestor: #UD)", "allowlisted",
				       "MISMATCH", "nestor only", "both reject" };

	n = diff_parse_hex(hex, buf, sizeof(buf));
	enum diff_verdict v = diff_one(ctx, mode, buf, n, &step);
	struct diff_nestor_result r = diff_nestor_decode(buf, n, mode, flags);
	printf("%s: nestor %s len %u, step %zu\n", names[v], r.status_name, r.len, step);
	diff_close(ctx);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned flags = 0;
	uint64_t random_count = 1000000;
	bool zydis = false;
	int argi = 1, failed = 0;

	for (; argi < argc && argv[argi][0] == '-'; argi++) {
		if (strcmp(argv[argi], "--amd") == 0)
			flags |= DIFF_DECODE_AMD;
		else if (strcmp(argv[argi], "--zydis") == 0)
			zydis = true;
		else if (strcmp(argv[argi], "--probe") == 0 && argi + 2 < argc)
			return probe(flags, zydis, atoi(argv[argi + 1]), argv[argi + 2]);
		else if (strncmp(argv[argi], "--random=", 9) == 0)
			random_count = strtoull(argv[argi] + 9, NULL, 0);
		else {
			fprintf(stderr, "usage: decode_diff [--amd] [--zydis] [--random=N] [ELF...]\n"
					"       decode_diff [--amd] [--zydis] --probe 16|32|64 \"hex bytes\"\n");
			return 2;
		}
	}

	struct diff_ctx *ctx = diff_open(flags, zydis, stdout, 200);
	struct run r = { ctx, diff_open(flags, zydis, stdout, 200), { 0x6d757461 }, true, 0, 0 };
	if (!ctx || !r.mutations) {
		fprintf(stderr, "decode_diff: cannot open Capstone\n");
		return 2;
	}
	corpus_loaded_code(on_region, &r);
	for (int i = argi; i < argc; i++)
		if (corpus_elf_file(argv[i], on_region, &r) != 0)
			fprintf(stderr, "decode_diff: %s: not a readable ELF file, skipped\n", argv[i]);
	printf("decode_diff: %llu code regions, %llu bytes of code\n",
	       (unsigned long long)r.regions, (unsigned long long)r.bytes);
	diff_print_stats(stdout, "code", diff_stats(ctx));
	diff_print_stats(stdout, "mutated code", diff_stats(r.mutations));
	failed |= diff_stats(ctx)->mismatch != 0 || diff_stats(ctx)->zydis_mismatch != 0;
	failed |= diff_stats(r.mutations)->mismatch != 0 || diff_stats(r.mutations)->zydis_mismatch != 0;
	diff_close(r.mutations);

	static const enum diff_mode modes[] = { DIFF_MODE_64, DIFF_MODE_32, DIFF_MODE_16 };
	for (int m = 0; m < 3; m++) {
		struct diff_ctx *rc = diff_open(flags, zydis, stdout, 200);
		char title[32];
		corpus_diff_random(rc, modes[m], random_count, 0x6e6573746f72ull + (uint64_t)m);
		snprintf(title, sizeof(title), "random %d-bit", modes[m] * 8);
		diff_print_stats(stdout, title, diff_stats(rc));
		failed |= diff_stats(rc)->mismatch != 0 || diff_stats(rc)->zydis_mismatch != 0;
		diff_close(rc);
	}
	diff_close(ctx);
	printf("decode_diff: %s\n", failed ? "FAILED (unexplained disagreements above)" : "ok");
	return failed;
}
