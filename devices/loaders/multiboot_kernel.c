/* multiboot_kernel: finding a multiboot v1 header and loading the kernel it describes. */
#include "devices/loaders/layout.h"
#include "devices/loaders/loader_internal.h"
#include "lib/log.h"
#include "lib/string.h"

/*
 * Multiboot 0.6.96, 3.1: the header is 32-bit aligned within the first 8192 bytes and
 * magic + flags + checksum == 0 (mod 2^32). QEMU (hw/i386/multiboot.c) scans offsets
 * below 8192 - 48 so that a full 48-byte header fits; nestor scans the same offsets.
 * Flag bit 16 (the "a.out kludge") says the header's address fields, not an ELF
 * header, describe the image; QEMU honours it even for ELF files, and so does nestor.
 */
#define MB_MAGIC 0x1BADB002u
#define MB_SEARCH_END (8192u - 48u)
#define MB_FLAG_VIDEO (1u << 2)
#define MB_FLAG_AOUT (1u << 16)
#define MB_AOUT_HEADER_LEN 32u

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

bool multiboot_find_header(const uint8_t *data, uint64_t size, uint64_t *offset)
{
	for (uint64_t i = 0; i < MB_SEARCH_END && i + 12 <= size; i += 4) {
		const uint8_t *h = data + i;
		if (rd32(h) == MB_MAGIC && (uint32_t)(rd32(h) + rd32(h + 4) + rd32(h + 8)) == 0) {
			*offset = i;
			return true;
		}
	}
	return false;
}

/* The a.out kludge: header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr. */
static enum loader_status load_aout(const struct loader_ctx *c, uint64_t off,
				    struct image_span *span, uint64_t *entry)
{
	const uint8_t *file = c->kernel->data;
	uint64_t size = c->kernel->size;
	if (off + MB_AOUT_HEADER_LEN > size) {
		log_error("multiboot: a.out kludge header at %#llx is cut off by the file end",
			  (unsigned long long)off);
		return LOADER_ERR_MULTIBOOT_HEADER;
	}
	uint64_t header_addr = rd32(file + off + 12), load = rd32(file + off + 16);
	uint64_t load_end = rd32(file + off + 20), bss_end = rd32(file + off + 24);
	*entry = rd32(file + off + 28);
	/* The header's file offset and address fix where the file's load part starts. */
	if (header_addr < load || header_addr - load > off) {
		log_error("multiboot: header_addr %#llx and load_addr %#llx put the image start "
			  "before the file start", (unsigned long long)header_addr,
			  (unsigned long long)load);
		return LOADER_ERR_MULTIBOOT_HEADER;
	}
	uint64_t text = off - (header_addr - load);
	uint64_t load_size = load_end ? load_end - load : size - text;
	if ((load_end && load_end < load) || text + load_size > size) {
		log_error("multiboot: load_end_addr %#llx: [%#llx, +%#llx) of the file is not "
			  "all there (file %llu bytes)", (unsigned long long)load_end,
			  (unsigned long long)text, (unsigned long long)load_size,
			  (unsigned long long)size);
		return LOADER_ERR_MULTIBOOT_HEADER;
	}
	uint64_t mem_size = bss_end ? bss_end - load : load_size;
	if (bss_end && bss_end < load + load_size) {
		log_error("multiboot: bss_end_addr %#llx is below the loaded end %#llx",
			  (unsigned long long)bss_end, (unsigned long long)(load + load_size));
		return LOADER_ERR_MULTIBOOT_HEADER;
	}
	enum loader_status st = payload_range_check(c, load, mem_size, "multiboot image");
	if (st != LOADER_OK)
		return st;
	guest_mem_write(c->mem, load, file + text, load_size);
	guest_mem_fill(c->mem, load + load_size, 0, mem_size - load_size);
	*span = (struct image_span){ load, load + mem_size, 1 };
	return LOADER_OK;
}

/* QEMU loads multiboot ELFs with its ELF loader for EM_386 and refuses x86-64 ones. */
static enum loader_status load_elf(const struct loader_ctx *c, struct image_span *span,
				   uint64_t *entry)
{
	struct elf_file f;
	enum loader_status st = elf_open(&f, c->kernel->data, c->kernel->size);
	if (st != LOADER_OK)
		return st;
	if (f.is64 || f.machine != ELF_EM_386) {
		log_error("multiboot: the kernel is an %s file for machine %u; multiboot needs an "
			  "ELF32 i386 file (put 64-bit code in one with objcopy -O elf32-i386)",
			  f.is64 ? "ELF64" : "ELF32", f.machine);
		return LOADER_ERR_ELF_MACHINE;
	}
	*entry = f.entry;
	return elf_load_image(&f, c, span);
}

enum loader_status multiboot_load_kernel(const struct loader_ctx *c, uint64_t header_offset,
					 struct image_span *span, uint64_t *entry)
{
	uint32_t flags = rd32(c->kernel->data + header_offset + 4);
	enum loader_status st;

	if (flags & MB_FLAG_VIDEO)
		log_warn("multiboot: the kernel asks for a video mode; there is no display, "
			 "ignored (as QEMU does)");
	if (flags & MB_FLAG_AOUT)
		st = load_aout(c, header_offset, span, entry);
	else
		st = load_elf(c, span, entry);
	if (st == LOADER_OK && (*entry < span->start || *entry >= span->end)) {
		log_error("multiboot: entry %#llx is outside the loaded image [%#llx, %#llx)",
			  (unsigned long long)*entry, (unsigned long long)span->start,
			  (unsigned long long)span->end);
		return LOADER_ERR_ENTRY;
	}
	return st;
}
