/* elf: a bounds-checked reader for ELF32 and ELF64 executables (headers, segments, notes). */
#ifndef NESTOR_DEVICES_LOADERS_ELF_H
#define NESTOR_DEVICES_LOADERS_ELF_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/loaders/loader.h"

/*
 * The file is untrusted: every offset and size read from it is checked against the
 * file's length before any byte behind it is touched, with overflow-safe arithmetic.
 * A bad file gives a logged LOADER_ERR_ELF_* / LOADER_ERR_SEGMENT_FILE status.
 */

#define ELF_EM_386 3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_NOTE 4

struct elf_file {
	const uint8_t *data;
	uint64_t size;
	bool is64;
	uint16_t machine;
	uint64_t entry;
	uint64_t phoff;
	uint16_t phentsize;
	uint16_t phnum;
};

/* A program header in class-independent form. */
struct elf_segment {
	uint32_t type;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

struct elf_note {
	uint32_t type;
	const uint8_t *desc;
	uint32_t descsz;
};

/* True iff data starts with the ELF magic (enough to choose the ELF path). */
bool elf_is_elf(const uint8_t *data, uint64_t size);

/* Validates the ELF header and the program header table's place in the file. */
enum loader_status elf_open(struct elf_file *f, const uint8_t *data, uint64_t size);

/* Program header i < phnum, its file bytes [offset, offset+filesz) checked to be in the file. */
enum loader_status elf_segment(const struct elf_file *f, unsigned i, struct elf_segment *out);

/* Bytes [off, off+len) of the file, or NULL when any of them is outside it. */
const uint8_t *elf_bytes(const struct elf_file *f, uint64_t off, uint64_t len);

/*
 * Looks for a note `name`/`type` in the PT_NOTE segments. LOADER_OK with *found set
 * accordingly, or an error status for a malformed note segment.
 */
enum loader_status elf_find_note(const struct elf_file *f, const char *name, uint32_t type,
				 struct elf_note *out, bool *found);

#endif
