/* image: the placement rules every payload loader shares (range checks, ELF, initrd, cmdline). */
#include "devices/loaders/layout.h"
#include "devices/loaders/loader_internal.h"
#include "lib/log.h"
#include "lib/string.h"

void loader_add_table(struct loader_ctx *c, uint64_t start, uint64_t end, const char *what)
{
	if (c->ntables < LOADER_MAX_TABLES)
		c->tables[c->ntables++] = (struct loader_range){ start, end, what };
}

const struct loader_range *loader_overlap(const struct loader_ctx *c, uint64_t addr,
					  uint64_t size)
{
	for (unsigned i = 0; i < c->ntables; i++) {
		const struct loader_range *t = &c->tables[i];
		/* [addr, addr + size) meets [start, end), without computing addr + size */
		if (size && addr < t->end && (t->start <= addr || t->start - addr < size))
			return t;
	}
	return NULL;
}


/* Zeroes [start, end) except the firmware area [LAYOUT_FIRMWARE_AREA, LAYOUT_PAYLOAD_MIN). */
static void zero_outside_firmware(const struct guest_mem *mem, uint64_t start, uint64_t end)
{
	uint64_t low_end = end < LAYOUT_FIRMWARE_AREA ? end : LAYOUT_FIRMWARE_AREA;
	uint64_t high_start = start > LAYOUT_PAYLOAD_MIN ? start : LAYOUT_PAYLOAD_MIN;
	if (start < low_end)
		guest_mem_fill(mem, start, 0, low_end - start);
	if (high_start < end)
		guest_mem_fill(mem, high_start, 0, end - high_start);
}
enum loader_status payload_range_check(const struct loader_ctx *c, uint64_t addr,
				       uint64_t size, const char *what)
{
	const struct guest_mem *mem = c->mem;
	const struct loader_range *t = loader_overlap(c, addr, size);
	if (t && guest_mem_contains(mem, addr, size)) {
		log_error("loader: %s at [%#llx, +%#llx) overlaps %s at [%#llx, %#llx)", what,
			  (unsigned long long)addr, (unsigned long long)size, t->what,
			  (unsigned long long)t->start, (unsigned long long)t->end);
		return LOADER_ERR_SEGMENT_OVERLAP;
	}
	if (!guest_mem_contains(mem, addr, size)) {
		log_error("loader: %s at [%#llx, +%#llx) is beyond the end of guest RAM (%#llx)",
			  what, (unsigned long long)addr, (unsigned long long)size,
			  (unsigned long long)mem->size);
		return LOADER_ERR_SEGMENT_RAM;
	}
	return LOADER_OK;
}

static enum loader_status check_load_segment(const struct elf_segment *s, unsigned i,
					     const struct loader_ctx *c)
{
	if (s->filesz > s->memsz) {
		log_error("ELF: segment %u has filesz %#llx > memsz %#llx", i,
			  (unsigned long long)s->filesz, (unsigned long long)s->memsz);
		return LOADER_ERR_SEGMENT_FILE;
	}
	return payload_range_check(c, s->paddr, s->memsz, "ELF segment");
}

enum loader_status elf_load_image(const struct elf_file *f, const struct loader_ctx *c,
				  struct image_span *span)
{
	const struct guest_mem *mem = c->mem;
	struct elf_segment s;
	enum loader_status st;

	span->start = UINT64_MAX;
	span->end = 0;
	span->segments = 0;
	for (unsigned i = 0; i < f->phnum; i++) {
		if ((st = elf_segment(f, i, &s)) != LOADER_OK)
			return st;
		if (s.type != ELF_PT_LOAD || s.memsz == 0)
			continue;
		if ((st = check_load_segment(&s, i, c)) != LOADER_OK)
			return st;
		span->start = s.paddr < span->start ? s.paddr : span->start;
		span->end = s.paddr + s.memsz > span->end ? s.paddr + s.memsz : span->end;
		span->segments++;
	}
	if (!span->segments) {
		log_error("ELF: no loadable segment");
		return LOADER_ERR_NO_SEGMENTS;
	}
	/*
	 * Gaps between segments and every bss read as zero, as after QEMU's loader; but the
	 * segments may lie on both sides of the firmware area (layout.h), whose tables are
	 * already in place and are not the payload's to clear (found by fuzz_loader).
	 */
	zero_outside_firmware(mem, span->start, span->end);
	for (unsigned i = 0; i < f->phnum; i++) {
		elf_segment(f, i, &s);				/* validated above */
		if (s.type == ELF_PT_LOAD && s.memsz)
			guest_mem_write(mem, s.paddr, f->data + s.offset, s.filesz);
	}
	return LOADER_OK;
}

enum loader_status cmdline_write(const struct loader_ctx *c, uint64_t gpa, uint64_t max)
{
	uint64_t len = strlen(c->cmdline) + 1;
	if (len > max) {
		log_error("loader: command line of %llu bytes is longer than the %llu this payload "
			  "takes", (unsigned long long)len - 1, (unsigned long long)max - 1);
		return LOADER_ERR_CMDLINE_TOO_LONG;
	}
	if (!guest_mem_write(c->mem, gpa, c->cmdline, len))
		return LOADER_ERR_SEGMENT_RAM;
	return LOADER_OK;
}

enum loader_status initrd_place_high(const struct loader_ctx *c, uint64_t floor,
				     uint64_t limit, uint64_t *addr, uint64_t *size)
{
	*addr = 0;
	*size = 0;
	if (!c->initrd)
		return LOADER_OK;
	if (!c->initrd->size) {
		log_warn("loader: initrd %s is empty; booting without one", c->initrd->path);
		return LOADER_OK;
	}
	uint64_t top = limit < c->mem->size ? limit : c->mem->size;
	floor = page_up(floor);
	if (c->initrd->size > top || ((top - c->initrd->size) & ~0xFFFull) < floor) {
		log_error("loader: initrd %s of %zu bytes does not fit between the kernel's end "
			  "%#llx and %#llx", c->initrd->path, c->initrd->size,
			  (unsigned long long)floor, (unsigned long long)top);
		return LOADER_ERR_INITRD_TOO_LARGE;
	}
	*addr = (top - c->initrd->size) & ~0xFFFull;
	*size = c->initrd->size;
	guest_mem_write(c->mem, *addr, c->initrd->data, *size);
	return LOADER_OK;
}
