/* loader_internal: what the dispatcher hands each payload loader, and their shared steps. */
#ifndef NESTOR_DEVICES_LOADERS_LOADER_INTERNAL_H
#define NESTOR_DEVICES_LOADERS_LOADER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/firmware/e820.h"
#include "devices/loaders/elf.h"
#include "devices/loaders/loader.h"

/* Guest-physical [start, end) that holds something nestor places there. */
struct loader_range {
	uint64_t start, end;
	const char *what;
};
#define LOADER_MAX_TABLES 4

struct loader_ctx {
	const struct guest_mem *mem;
	const struct boot_file *kernel;
	const struct boot_file *initrd;	/* NULL: none */
	const char *cmdline;		/* never NULL */
	const struct e820_map *e820;
	uint64_t rsdp;
	/* What no payload byte may cover: the firmware area, the format's fixed structures. */
	struct loader_range tables[LOADER_MAX_TABLES];
	unsigned ntables;
};

/* Guest-physical extent of a loaded ELF image (all PT_LOAD segments, memsz). */
struct image_span {
	uint64_t start;
	uint64_t end;
	unsigned segments;
};

static inline uint64_t page_up(uint64_t a)
{
	return (a + 0xFFFull) & ~0xFFFull;
}

/* Adds [start, end) to what payload bytes must not cover (LOADER_MAX_TABLES at most). */
void loader_add_table(struct loader_ctx *c, uint64_t start, uint64_t end, const char *what);
/* The first table [addr, addr+size) overlaps, or NULL. */
const struct loader_range *loader_overlap(const struct loader_ctx *c, uint64_t addr,
					  uint64_t size);
/*
 * [addr, addr+size) must lie in guest RAM and cover none of c's tables (payload bytes may
 * lie below 1 MiB: only a real overlap is an error); `what` names it in the log.
 */
enum loader_status payload_range_check(const struct loader_ctx *c, uint64_t addr,
				       uint64_t size, const char *what);

/*
 * Checks every PT_LOAD segment (file bytes, filesz <= memsz, guest range), zeroes the
 * span they cover and copies each one's file bytes to its p_paddr. Nothing is written
 * unless every segment is valid.
 */
enum loader_status elf_load_image(const struct elf_file *f, const struct loader_ctx *c,
				  struct image_span *span);

/* Copies the command line (NUL included) to gpa; at most `max` bytes with the NUL. */
enum loader_status cmdline_write(const struct loader_ctx *c, uint64_t gpa, uint64_t max);

/*
 * Copies the initrd to the highest page-aligned address below `limit` (and below the
 * end of RAM) that leaves it above `floor`. Address and size are 0 without an initrd.
 */
enum loader_status initrd_place_high(const struct loader_ctx *c, uint64_t floor,
				     uint64_t limit, uint64_t *addr, uint64_t *size);

/* The loaders, called by loader_load() once it knows the format. */
enum loader_status pvh_entry_point(const struct elf_file *f, bool *has_note, uint64_t *entry);
enum loader_status pvh_load(const struct loader_ctx *c, const struct elf_file *f,
			    uint64_t entry, struct loader_result *out);
bool multiboot_find_header(const uint8_t *data, uint64_t size, uint64_t *offset);
enum loader_status multiboot_load_kernel(const struct loader_ctx *c, uint64_t header_offset,
					 struct image_span *span, uint64_t *entry);
enum loader_status multiboot_load(const struct loader_ctx *c, uint64_t header_offset,
				  struct loader_result *out);
bool bzimage_detect(const uint8_t *data, uint64_t size);
enum loader_status bzimage_load(const struct loader_ctx *c, struct loader_result *out);

#endif
