/* elf_note: finding one note in an ELF file's PT_NOTE segments, bounds-checked. */
#include "devices/loaders/elf.h"

#include "lib/log.h"
#include "lib/string.h"

/*
 * gABI 5.6 "Note Section": each note is namesz, descsz, type (4 bytes each), then the
 * name and the descriptor, each padded to the segment's alignment. Linux, Xen and GNU
 * tools pad to 4 bytes even in ELF64 files; a segment aligned to 8 is padded to 8.
 */
struct note_header {
	uint32_t namesz;
	uint32_t descsz;
	uint32_t type;
};

static uint64_t pad(uint64_t n, uint64_t align)
{
	return (n + align - 1) & ~(align - 1);
}

/* Walks one PT_NOTE segment whose file bytes elf_segment() has checked. */
static enum loader_status scan_segment(const struct elf_file *f, const struct elf_segment *s,
				       const char *name, uint32_t type, struct elf_note *out,
				       bool *found)
{
	const uint8_t *seg = f->data + s->offset;
	uint64_t align = s->align == 8 ? 8 : 4;
	uint64_t namelen = strlen(name) + 1;
	uint64_t off = 0;

	while (s->filesz - off >= sizeof(struct note_header)) {
		struct note_header h;
		memcpy(&h, seg + off, sizeof(h));
		uint64_t name_at = off + sizeof(h);
		uint64_t desc_at = name_at + pad(h.namesz, align);
		uint64_t next = desc_at + pad(h.descsz, align);
		/* 32-bit sizes padded in 64-bit arithmetic cannot wrap; compare to the segment. */
		if (desc_at > s->filesz || desc_at + h.descsz > s->filesz) {
			log_error("ELF: note at %#llx in segment at file offset %#llx (namesz %u, "
				  "descsz %u) runs past the segment", (unsigned long long)off,
				  (unsigned long long)s->offset, h.namesz, h.descsz);
			return LOADER_ERR_ELF_TRUNCATED;
		}
		if (h.type == type && h.namesz == namelen && !memcmp(seg + name_at, name, namelen)) {
			out->type = h.type;
			out->desc = seg + desc_at;
			out->descsz = h.descsz;
			*found = true;
			return LOADER_OK;
		}
		off = next < s->filesz ? next : s->filesz;
	}
	return LOADER_OK;
}

enum loader_status elf_find_note(const struct elf_file *f, const char *name, uint32_t type,
				 struct elf_note *out, bool *found)
{
	*found = false;
	for (unsigned i = 0; i < f->phnum; i++) {
		struct elf_segment s;
		enum loader_status st = elf_segment(f, i, &s);
		if (st != LOADER_OK)
			return st;
		if (s.type != ELF_PT_NOTE)
			continue;
		st = scan_segment(f, &s, name, type, out, found);
		if (st != LOADER_OK || *found)
			return st;
	}
	return LOADER_OK;
}
