/* loader_fixture: helpers the loader tests share (guest RAM, synthetic ELF files, files on disk). */
#ifndef NESTOR_TESTS_UNIT_LOADER_FIXTURE_H
#define NESTOR_TESTS_UNIT_LOADER_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/boot_info.h"
#include "lib/guest_mem.h"
#include "devices/firmware/acpi_platform.h"
#include "tests/unit/capture.h"

#define MiB (1ull << 20)

/* Guest RAM for a test: calloc'd, so untouched pages cost nothing. */
static inline struct guest_mem fixture_guest_mem(uint64_t size)
{
	struct guest_mem m = { .hva = calloc(1, size), .size = size };
	return m;
}

/* The VM a test loads into: its RAM and nestor's default platform, with a fresh log. */
static struct guest_mem mem;
static struct acpi_platform platform;

static inline int vm_setup(uint64_t ram, unsigned ncpus)
{
	mem = fixture_guest_mem(ram);
	acpi_platform_defaults(&platform, ncpus);
	capture_reset();
	return mem.hva ? 0 : -1;
}

static inline int vm_teardown(void **state)
{
	(void)state;
	free(mem.hva);
	mem.hva = NULL;
	return 0;
}

static inline uint32_t fx_rd32(const struct guest_mem *m, uint64_t gpa)
{
	uint32_t v;
	memcpy(&v, m->hva + gpa, 4);
	return v;
}

static inline uint64_t fx_rd64(const struct guest_mem *m, uint64_t gpa)
{
	uint64_t v;
	memcpy(&v, m->hva + gpa, 8);
	return v;
}

/* Byte sum modulo 256 (ACPI checksums). */
static inline uint8_t fx_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return s;
}

/* A whole file read into a malloc'd buffer; NULL if it cannot be read. */
static inline uint8_t *fixture_read(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* A boot file as boot/ hands it over. */
static inline struct boot_file fixture_file(const char *role, const char *path, uint8_t *data,
					    size_t size)
{
	struct boot_file f = { .role = role, .data = data, .size = size };
	snprintf(f.path, sizeof(f.path), "%s", path);
	return f;
}

#ifdef LOADER_FIXTURE_DIR
/* A fixture built under LOADER_FIXTURE_DIR; aborts the test run when it is missing. */
static inline uint8_t *fixture_load(const char *name, size_t *size)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", LOADER_FIXTURE_DIR, name);
	uint8_t *p = fixture_read(path, size);
	if (!p) {
		fprintf(stderr, "fixture %s is missing: run make loader-fixtures\n", path);
		abort();
	}
	return p;
}
#endif

/* Offset of the first occurrence of needle in hay, or -1. */
static inline long fixture_find(const uint8_t *hay, size_t n, const void *needle, size_t len)
{
	for (size_t i = 0; i + len <= n; i++)
		if (!memcmp(hay + i, needle, len))
			return (long)i;
	return -1;
}

/* One program header of a synthetic ELF file. */
struct fx_seg {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz, align;
};

/*
 * Writes an ELF header and program headers for segs into buf (zeroed first, `size`
 * bytes); the caller puts segment contents at their offsets. Returns the first
 * offset after the program headers.
 */
static inline uint64_t fixture_elf(uint8_t *buf, size_t size, bool is64, uint16_t machine,
				   uint64_t entry, const struct fx_seg *segs, unsigned n)
{
	memset(buf, 0, size);
	memcpy(buf, "\177ELF", 4);
	buf[4] = is64 ? 2 : 1;
	buf[5] = 1;
	buf[6] = 1;
	uint16_t type = 2, ehsize = is64 ? 64 : 52, phentsize = is64 ? 56 : 32, phnum = (uint16_t)n;
	uint32_t version = 1;
	memcpy(buf + 16, &type, 2);
	memcpy(buf + 18, &machine, 2);
	memcpy(buf + 20, &version, 4);
	if (is64) {
		uint64_t phoff = 64;
		memcpy(buf + 24, &entry, 8);
		memcpy(buf + 32, &phoff, 8);
		memcpy(buf + 52, &ehsize, 2);
		memcpy(buf + 54, &phentsize, 2);
		memcpy(buf + 56, &phnum, 2);
	} else {
		uint32_t e = (uint32_t)entry, phoff = 52;
		memcpy(buf + 24, &e, 4);
		memcpy(buf + 28, &phoff, 4);
		memcpy(buf + 40, &ehsize, 2);
		memcpy(buf + 42, &phentsize, 2);
		memcpy(buf + 44, &phnum, 2);
	}
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = buf + ehsize + i * phentsize;
		const struct fx_seg *s = &segs[i];
		if (is64) {
			uint64_t f[6] = { s->offset, s->paddr, s->paddr, s->filesz, s->memsz, s->align };
			memcpy(p, &s->type, 4);
			memcpy(p + 8, f, sizeof(f));
		} else {
			uint32_t f[7] = { (uint32_t)s->offset, (uint32_t)s->paddr, (uint32_t)s->paddr,
					  (uint32_t)s->filesz, (uint32_t)s->memsz, 0,
					  (uint32_t)s->align };
			memcpy(p, &s->type, 4);
			memcpy(p + 4, f, sizeof(f));
		}
	}
	return ehsize + (uint64_t)n * phentsize;
}

/* Appends one note (name padded to 4, desc padded to 4) at buf+off; returns the new end. */
static inline uint64_t fixture_note(uint8_t *buf, uint64_t off, const char *name, uint32_t type,
				    const void *desc, uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	memcpy(buf + off, &namesz, 4);
	memcpy(buf + off + 4, &descsz, 4);
	memcpy(buf + off + 8, &type, 4);
	memcpy(buf + off + 12, name, namesz);
	off += 12 + ((namesz + 3) & ~3u);
	memcpy(buf + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

#endif
