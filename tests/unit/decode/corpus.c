/* corpus: instruction bytes to compare decoders on: loaded code, ELF files, random and mutated strings. */
#define _GNU_SOURCE
#include "tests/unit/decode/corpus.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct loaded_walk {
	corpus_region_fn fn;
	void *arg;
};

static int loaded_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct loaded_walk *w = data;
	(void)size;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		w->fn(w->arg, info->dlpi_name[0] ? info->dlpi_name : "(program)",
		      (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), ph->p_filesz, DIFF_MODE_64);
	}
	return 0;
}

void corpus_loaded_code(corpus_region_fn fn, void *arg)
{
	struct loaded_walk w = { fn, arg };
	dl_iterate_phdr(loaded_object, &w);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* Section headers of either class, normalised. */
static int elf_sections(const uint8_t *img, size_t size, corpus_region_fn fn, void *arg,
			const char *path)
{
	bool is64 = img[EI_CLASS] == ELFCLASS64;
	enum diff_mode mode = is64 ? DIFF_MODE_64 : DIFF_MODE_32;
	uint64_t shoff, count, entsize;

	if (is64) {
		const Elf64_Ehdr *eh = (const void *)img;
		shoff = eh->e_shoff, count = eh->e_shnum, entsize = eh->e_shentsize;
	} else {
		const Elf32_Ehdr *eh = (const void *)img;
		shoff = eh->e_shoff, count = eh->e_shnum, entsize = eh->e_shentsize;
	}
	for (uint64_t i = 0; i < count; i++) {
		uint64_t off = shoff + i * entsize, flags, type, sec_off, sec_size;
		if (off + entsize > size)
			return -1;
		if (is64) {
			const Elf64_Shdr *sh = (const void *)(img + off);
			flags = sh->sh_flags, type = sh->sh_type, sec_off = sh->sh_offset, sec_size = sh->sh_size;
		} else {
			const Elf32_Shdr *sh = (const void *)(img + off);
			flags = sh->sh_flags, type = sh->sh_type, sec_off = sh->sh_offset, sec_size = sh->sh_size;
		}
		if (type != SHT_PROGBITS || !(flags & SHF_EXECINSTR))
			continue;
		if (sec_off > size || sec_size > size - sec_off)
			continue;
		fn(arg, path, img + sec_off, sec_size, mode);
	}
	return 0;
}

int corpus_elf_file(const char *path, corpus_region_fn fn, void *arg)
{
	size_t size = 0;
	uint8_t *img = read_file(path, &size);
	int rc = -1;

	if (img && size >= sizeof(Elf32_Ehdr) && memcmp(img, ELFMAG, SELFMAG) == 0 &&
	    (img[EI_CLASS] == ELFCLASS32 || img[EI_CLASS] == ELFCLASS64))
		rc = elf_sections(img, size, fn, arg, path);
	free(img);
	return rc;
}

uint64_t corpus_rand(struct corpus_rng *rng)
{
	uint64_t x = rng->state ? rng->state : 0x9e3779b97f4a7c15ull;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng->state = x;
	return x * 0x2545f4914f6cdd1dull;
}

void corpus_random_bytes(struct corpus_rng *rng, uint8_t out[15])
{
	for (int i = 0; i < 15; i++)
		out[i] = (uint8_t)corpus_rand(rng);
}

static const uint8_t legacy_prefixes[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
					   0x66, 0x67, 0xf0, 0xf2, 0xf3 };

void corpus_structured_bytes(struct corpus_rng *rng, enum diff_mode mode, uint8_t out[15])
{
	unsigned n = 0;
	unsigned nprefix = (unsigned)(corpus_rand(rng) % 4);

	corpus_random_bytes(rng, out);
	if (corpus_rand(rng) % 8 == 0)
		nprefix += (unsigned)(corpus_rand(rng) % 12);
	for (unsigned i = 0; i < nprefix && n < 15; i++)
		out[n++] = legacy_prefixes[corpus_rand(rng) % sizeof(legacy_prefixes)];
	if (mode == DIFF_MODE_64 && corpus_rand(rng) % 2 && n < 15)
		out[n++] = (uint8_t)(0x40 | (corpus_rand(rng) & 0xf));
	switch (corpus_rand(rng) % 8) {
	case 0: /* one-byte map: leave random */
	case 1:
		break;
	case 2:
	case 3:
		if (n < 15)
			out[n++] = 0x0f;
		break;
	case 4:
		if (n + 1 < 15) {
			out[n++] = 0x0f;
			out[n++] = corpus_rand(rng) % 2 ? 0x38 : 0x3a;
		}
		break;
	case 5: /* VEX2 / VEX3 with a valid map most of the time */
		if (n + 2 < 15) {
			bool three = corpus_rand(rng) % 2;
			out[n++] = three ? 0xc4 : 0xc5;
			if (mode != DIFF_MODE_64)
				out[n] |= 0xc0;
			if (three)
				out[n] = (uint8_t)((out[n] & 0xe0) | (1 + corpus_rand(rng) % 3));
			n += three ? 2 : 1;
		}
		break;
	case 6: /* EVEX with the fixed bits right most of the time */
		if (n + 3 < 15) {
			out[n++] = 0x62;
			if (corpus_rand(rng) % 4) {
				out[n] = (uint8_t)((out[n] & 0xf0) | (1 + corpus_rand(rng) % 6));
				out[n + 1] |= 0x04;
			}
			if (mode != DIFF_MODE_64)
				out[n] |= 0xc0;
			n += 3;
		}
		break;
	default: /* XOP */
		if (n + 2 < 15) {
			out[n++] = 0x8f;
			out[n] = (uint8_t)((out[n] & 0xe0) | (8 + corpus_rand(rng) % 3));
			n += 2;
		}
		break;
	}
}

void corpus_mutate(struct corpus_rng *rng, const uint8_t *insn, size_t len, uint8_t out[15])
{
	uint8_t tmp[32];
	size_t n = len < 15 ? len : 15;
	size_t at;

	corpus_random_bytes(rng, tmp);
	corpus_random_bytes(rng, tmp + 15);
	memcpy(tmp, insn, n);
	at = n ? (size_t)(corpus_rand(rng) % n) : 0;
	switch (corpus_rand(rng) % 4) {
	case 0: /* flip some bits of one byte */
		tmp[at] ^= (uint8_t)(1u << (corpus_rand(rng) % 8));
		break;
	case 1: /* replace a byte */
		tmp[at] = (uint8_t)corpus_rand(rng);
		break;
	case 2: /* insert a prefix at the front */
		memmove(tmp + 1, tmp, 31);
		tmp[0] = legacy_prefixes[corpus_rand(rng) % sizeof(legacy_prefixes)];
		break;
	default: /* drop a byte */
		memmove(tmp + at, tmp + at + 1, 31 - at);
		break;
	}
	memcpy(out, tmp, 15);
}

void corpus_diff_mutations(struct diff_ctx *ctx, enum diff_mode mode, const uint8_t *code,
			   size_t size, struct corpus_rng *rng, unsigned stride)
{
	size_t pos = 0;
	unsigned count = 0;

	while (pos < size) {
		size_t len = diff_capstone_length(ctx, mode, code + pos, size - pos);
		uint8_t mutated[15];
		size_t step;

		if (len == 0)
			len = 1;
		if (++count % stride == 0) {
			corpus_mutate(rng, code + pos, len < size - pos ? len : size - pos, mutated);
			diff_one(ctx, mode, mutated, sizeof(mutated), &step);
		}
		pos += len;
	}
}

void corpus_diff_random(struct diff_ctx *ctx, enum diff_mode mode, uint64_t count, uint64_t seed)
{
	struct corpus_rng rng = { seed };
	uint8_t buf[15];
	size_t step;

	for (uint64_t i = 0; i < count; i++) {
		if (i % 2)
			corpus_random_bytes(&rng, buf);
		else
			corpus_structured_bytes(&rng, mode, buf);
		diff_one(ctx, mode, buf, sizeof(buf), &step);
	}
}
