/* bzimage: a Linux bzImage entered through the 64-bit boot protocol. */
#include "devices/loaders/identity_map.h"
#include "devices/loaders/layout.h"
#include "devices/loaders/loader_internal.h"
#include "lib/log.h"
#include "lib/string.h"

/*
 * Offsets in the file's first sector and in boot_params (the "zero page"), from
 * Documentation/x86/boot.rst ("The real-mode kernel header", "64-bit Boot Protocol")
 * and arch/x86/include/uapi/asm/bootparam.h.
 */
#define HDR_SETUP_SECTS 0x1F1
#define HDR_JUMP_DISP 0x201		/* the header ends at 0x202 + this byte */
#define HDR_MAGIC 0x202			/* "HdrS" */
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21C
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22C
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_AREA_END 0x290		/* boot_params: the setup header area ends here */
#define ZP_ACPI_RSDP 0x070
#define ZP_E820_ENTRIES 0x1E8
#define ZP_E820_TABLE 0x2D0
#define ZP_E820_MAX 128u

#define LOADFLAGS_LOADED_HIGH 0x01
#define LOADFLAGS_CAN_USE_HEAP 0x80
#define XLF_KERNEL_64 0x01		/* 64-bit entry at load address + 0x200 */
#define ENTRY_64_OFFSET 0x200
#define TYPE_OF_LOADER_UNDEFINED 0xFF
#define MIN_VERSION 0x020C		/* 2.12: xloadflags */
#define RSDP_VERSION 0x020E		/* 2.14: boot_params.acpi_rsdp_addr */

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	memcpy(&v, p, bytes);
	return v;
}

static void wr(uint8_t *p, uint64_t v, unsigned bytes)
{
	memcpy(p, &v, bytes);
}

bool bzimage_detect(const uint8_t *data, uint64_t size)
{
	return size >= HDR_MAGIC + 4 && !memcmp(data + HDR_MAGIC, "HdrS", 4);
}

struct bz_kernel {
	uint64_t pm_offset;		/* protected-mode part in the file */
	uint64_t load;			/* where it goes */
	uint64_t span;			/* memory it needs from load on: max(init_size, its size) */
	uint64_t header_end;
};

static enum loader_status parse(const struct boot_file *k, struct bz_kernel *b)
{
	const uint8_t *d = k->data;
	if (k->size < HDR_AREA_END) {
		log_error("bzImage: file of %zu bytes is cut off inside the setup header", k->size);
		return LOADER_ERR_BZIMAGE_HEADER;
	}
	unsigned version = (unsigned)rd(d + HDR_VERSION, 2);
	if (version < MIN_VERSION || !(rd(d + HDR_XLOADFLAGS, 2) & XLF_KERNEL_64) ||
	    !(d[HDR_LOADFLAGS] & LOADFLAGS_LOADED_HIGH)) {
		log_error("bzImage: boot protocol %u.%02u, xloadflags %#x: no 64-bit entry (needs "
			  "2.12+ and XLF_KERNEL_64)", version >> 8, version & 0xFF,
			  (unsigned)rd(d + HDR_XLOADFLAGS, 2));
		return LOADER_ERR_BZIMAGE_HEADER;
	}
	unsigned sects = d[HDR_SETUP_SECTS] ? d[HDR_SETUP_SECTS] : 4;	/* 0 means 4 */
	b->pm_offset = (sects + 1) * 512ull;
	if (b->pm_offset + ENTRY_64_OFFSET >= k->size) {
		log_error("bzImage: %u setup sectors leave no protected-mode kernel in %zu bytes",
			  sects, k->size);
		return LOADER_ERR_BZIMAGE_HEADER;
	}
	uint64_t pm_size = k->size - b->pm_offset, init = rd(d + HDR_INIT_SIZE, 4);
	b->load = rd(d + HDR_PREF_ADDRESS, 8);
	b->load = b->load ? b->load : LAYOUT_PAYLOAD_MIN;
	b->span = init > pm_size ? init : pm_size;
	b->header_end = HDR_MAGIC + d[HDR_JUMP_DISP];
	b->header_end = b->header_end < HDR_AREA_END ? b->header_end : HDR_AREA_END;
	return LOADER_OK;
}

/* boot_params: zero, then the file's setup header, then what the loader must fill in. */
static enum loader_status write_zero_page(const struct loader_ctx *c, const struct bz_kernel *b,
					  uint64_t initrd, uint64_t initrd_size)
{
	const uint8_t *d = c->kernel->data;
	uint8_t *zp = guest_mem_ptr(c->mem, LAYOUT_ZERO_PAGE, LAYOUT_PAGE);
	struct boot_e820_entry map[ZP_E820_MAX];
	unsigned n = e820_to_zeropage(c->e820, map, ZP_E820_MAX);
	unsigned version = (unsigned)rd(d + HDR_VERSION, 2);

	if (!zp || !n)
		return LOADER_ERR_MEMORY;
	memset(zp, 0, LAYOUT_PAGE);
	memcpy(zp + HDR_SETUP_SECTS, d + HDR_SETUP_SECTS, b->header_end - HDR_SETUP_SECTS);
	zp[HDR_TYPE_OF_LOADER] = TYPE_OF_LOADER_UNDEFINED;
	zp[HDR_LOADFLAGS] &= (uint8_t)~LOADFLAGS_CAN_USE_HEAP;	/* no heap_end_ptr given */
	wr(zp + HDR_CMD_LINE_PTR, LAYOUT_CMDLINE, 4);
	wr(zp + HDR_RAMDISK_IMAGE, initrd, 4);
	wr(zp + HDR_RAMDISK_SIZE, initrd_size, 4);
	if (version >= RSDP_VERSION)
		wr(zp + ZP_ACPI_RSDP, c->rsdp, 8);
	zp[ZP_E820_ENTRIES] = (uint8_t)n;
	memcpy(zp + ZP_E820_TABLE, map, n * sizeof(map[0]));
	return LOADER_OK;
}

static enum loader_status write_cmdline(const struct loader_ctx *c)
{
	uint64_t max = rd(c->kernel->data + HDR_CMDLINE_SIZE, 4) + 1;	/* NUL excluded */
	return cmdline_write(c, LAYOUT_CMDLINE, max < LAYOUT_CMDLINE_SIZE ? max
									  : LAYOUT_CMDLINE_SIZE);
}

/*
 * Entry (64-bit Boot Protocol): long mode, paging on with the loaded kernel, boot_params
 * and command line identity-mapped, RSI = boot_params, RIP = load address + 0x200.
 */
enum loader_status bzimage_load(const struct loader_ctx *c, struct loader_result *out)
{
	struct bz_kernel b;
	enum loader_status st = parse(c->kernel, &b);
	if (st != LOADER_OK)
		return st;
	if ((st = payload_range_check(c, b.load, b.span, "bzImage kernel")) != LOADER_OK)
		return st;
	if ((st = write_cmdline(c)) != LOADER_OK)
		return st;
	uint64_t limit = rd(c->kernel->data + HDR_INITRD_ADDR_MAX, 4) + 1;
	st = initrd_place_high(c, b.load + b.span, limit, &out->initrd_start, &out->initrd_size);
	if (st != LOADER_OK)
		return st;
	if ((st = write_zero_page(c, &b, out->initrd_start, out->initrd_size)) != LOADER_OK)
		return st;
	if (!identity_map_build(c->mem, LAYOUT_PAGE_TABLES))
		return LOADER_ERR_MEMORY;
	guest_mem_write(c->mem, b.load, c->kernel->data + b.pm_offset, c->kernel->size - b.pm_offset);
	out->kind = PAYLOAD_BZIMAGE;
	out->image_start = b.load;
	out->image_end = b.load + b.span;
	out->entry.long_mode = true;
	out->entry.rip = b.load + ENTRY_64_OFFSET;
	out->entry.cr3 = LAYOUT_PAGE_TABLES;
	out->entry.gprs.r[GPR_RSI] = LAYOUT_ZERO_PAGE;
	out->entry.gprs.r[GPR_RSP] = LAYOUT_STACK_TOP;
	return LOADER_OK;
}
