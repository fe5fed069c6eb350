/* elf: a bounds-checked reader for ELF32 and ELF64 executables (headers, segments). */
#include "devices/loaders/elf.h"

#include "lib/log.h"
#include "lib/string.h"

/* System V gABI, "ELF Header" and "Program Header" (4.1 / 5.1 in the 2013 draft). */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define PN_XNUM 0xFFFF			/* real count in section 0: not supported */

struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __attribute__((packed));

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} __attribute__((packed));

_Static_assert(sizeof(struct elf32_ehdr) == 52 && sizeof(struct elf64_ehdr) == 64, "ehdr");
_Static_assert(sizeof(struct elf32_phdr) == 32 && sizeof(struct elf64_phdr) == 56, "phdr");

const uint8_t *elf_bytes(const struct elf_file *f, uint64_t off, uint64_t len)
{
	if (len > f->size || off > f->size - len)
		return NULL;
	return f->data + off;
}

bool elf_is_elf(const uint8_t *data, uint64_t size)
{
	return size >= 4 && !memcmp(data, "\177ELF", 4);
}

static enum loader_status open_ident(struct elf_file *f)
{
	const uint8_t *id = elf_bytes(f, 0, 16);
	if (!id) {
		log_error("ELF: file of %llu bytes is shorter than the ELF ident",
			  (unsigned long long)f->size);
		return LOADER_ERR_ELF_TRUNCATED;
	}
	if (memcmp(id, "\177ELF", 4)) {
		log_error("ELF: bad magic");
		return LOADER_ERR_ELF_HEADER;
	}
	if ((id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) ||
	    id[EI_DATA] != ELFDATA2LSB || id[EI_VERSION] != EV_CURRENT) {
		log_error("ELF: class %u, data %u, version %u: not a little-endian ELF32/ELF64 v1",
			  id[EI_CLASS], id[EI_DATA], id[EI_VERSION]);
		return LOADER_ERR_ELF_HEADER;
	}
	f->is64 = id[EI_CLASS] == ELFCLASS64;
	return LOADER_OK;
}

static enum loader_status open_header(struct elf_file *f)
{
	const uint8_t *p = elf_bytes(f, 0, f->is64 ? sizeof(struct elf64_ehdr)
						    : sizeof(struct elf32_ehdr));
	if (!p) {
		log_error("ELF: file of %llu bytes is shorter than its ELF header",
			  (unsigned long long)f->size);
		return LOADER_ERR_ELF_TRUNCATED;
	}
	if (f->is64) {
		struct elf64_ehdr h;
		memcpy(&h, p, sizeof(h));
		f->machine = h.machine;
		f->entry = h.entry;
		f->phoff = h.phoff;
		f->phentsize = h.phentsize;
		f->phnum = h.phnum;
	} else {
		struct elf32_ehdr h;
		memcpy(&h, p, sizeof(h));
		f->machine = h.machine;
		f->entry = h.entry;
		f->phoff = h.phoff;
		f->phentsize = h.phentsize;
		f->phnum = h.phnum;
	}
	return LOADER_OK;
}

enum loader_status elf_open(struct elf_file *f, const uint8_t *data, uint64_t size)
{
	memset(f, 0, sizeof(*f));
	f->data = data;
	f->size = size;
	enum loader_status s = open_ident(f);
	if (s == LOADER_OK)
		s = open_header(f);
	if (s != LOADER_OK)
		return s;
	uint16_t want = f->is64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr);
	if (f->phnum == PN_XNUM || (f->phnum && f->phentsize != want)) {
		log_error("ELF: %u program headers of %u bytes (expected %u-byte headers)",
			  f->phnum, f->phentsize, want);
		return LOADER_ERR_ELF_HEADER;
	}
	if (!elf_bytes(f, f->phoff, (uint64_t)f->phnum * want)) {
		log_error("ELF: program header table at %#llx (%u entries) runs past the file end "
			  "(%llu bytes)", (unsigned long long)f->phoff, f->phnum,
			  (unsigned long long)f->size);
		return LOADER_ERR_ELF_TRUNCATED;
	}
	return LOADER_OK;
}

enum loader_status elf_segment(const struct elf_file *f, unsigned i, struct elf_segment *out)
{
	if (i >= f->phnum)
		return LOADER_ERR_ELF_HEADER;
	const uint8_t *p = f->data + f->phoff + (uint64_t)i * f->phentsize;	/* checked in open */
	if (f->is64) {
		struct elf64_phdr h;
		memcpy(&h, p, sizeof(h));
		*out = (struct elf_segment){ h.type, h.offset, h.vaddr, h.paddr, h.filesz, h.memsz,
					     h.align };
	} else {
		struct elf32_phdr h;
		memcpy(&h, p, sizeof(h));
		*out = (struct elf_segment){ h.type, h.offset, h.vaddr, h.paddr, h.filesz, h.memsz,
					     h.align };
	}
	if (!elf_bytes(f, out->offset, out->filesz)) {
		log_error("ELF: segment %u (type %u) file bytes [%#llx, +%#llx) run past the file "
			  "end (%llu bytes)", i, out->type, (unsigned long long)out->offset,
			  (unsigned long long)out->filesz, (unsigned long long)f->size);
		return LOADER_ERR_SEGMENT_FILE;
	}
	return LOADER_OK;
}
