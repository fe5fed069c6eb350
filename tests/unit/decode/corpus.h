/* corpus: instruction bytes to compare decoders on: loaded code, ELF files, random and mutated strings. */
#ifndef NESTOR_TESTS_UNIT_DECODE_CORPUS_H
#define NESTOR_TESTS_UNIT_DECODE_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "tests/unit/decode/diff.h"

/* Called once per executable region; elf_mode is the mode its ELF class implies. */
typedef void (*corpus_region_fn)(void *arg, const char *name, const uint8_t *code, size_t size,
				 enum diff_mode elf_mode);

/* Executable segments of every object loaded in this process (program, libc, Capstone...). */
void corpus_loaded_code(corpus_region_fn fn, void *arg);
/* Executable sections of an ELF32/ELF64 file; returns -1 if it cannot be read as ELF. */
int corpus_elf_file(const char *path, corpus_region_fn fn, void *arg);

/* Deterministic generator (xorshift64*), so every run sees the same strings. */
struct corpus_rng {
	uint64_t state;
};
uint64_t corpus_rand(struct corpus_rng *rng);
/* 15 uniformly random bytes. */
void corpus_random_bytes(struct corpus_rng *rng, uint8_t out[15]);
/* A structured string: random prefixes, REX, an escape (0F, 0F 38, 0F 3A, VEX, EVEX, XOP),
 * then random bytes, so that every map and prefix combination is reached often. */
void corpus_structured_bytes(struct corpus_rng *rng, enum diff_mode mode, uint8_t out[15]);
/* A copy of a real instruction with one mutation (byte flip, prefix inserted, byte dropped). */
void corpus_mutate(struct corpus_rng *rng, const uint8_t *insn, size_t len, uint8_t out[15]);

/* Compares count strings from seed, alternately uniform and structured. */
void corpus_diff_random(struct diff_ctx *ctx, enum diff_mode mode, uint64_t count, uint64_t seed);

/*
 * Steps through a code region instruction by instruction (by Capstone's lengths) and
 * compares one mutation of every stride-th instruction.
 */
void corpus_diff_mutations(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *code,
			   size_t size, struct corpus_rng *rng, unsigned stride);

#endif
