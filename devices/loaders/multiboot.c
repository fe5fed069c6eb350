/* multiboot: the multiboot v1 boot information, laid out the way QEMU's -kernel does it. */
#include "devices/loaders/layout.h"
#include "devices/loaders/loader_internal.h"
#include "lib/log.h"
#include "lib/string.h"

/* Multiboot 0.6.96, 3.3: the information structure (the first 88 bytes, as QEMU fills). */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;		/* KiB from 0 */
	uint32_t mem_upper;		/* KiB from 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;		/* bytes */
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
	uint32_t apm_table;
	uint32_t vbe_control_info;
	uint32_t vbe_mode_info;
	uint16_t vbe_mode[4];
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t cmdline;
	uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct multiboot_info) == 88, "multiboot info layout");
_Static_assert(sizeof(struct multiboot_module) == 16, "multiboot module layout");

#define MBI_MEMORY (1u << 0)
#define MBI_BOOT_DEVICE (1u << 1)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)
#define MBI_LOADER_NAME (1u << 9)
#define MB_BOOTLOADER_MAGIC 0x2BADB002u
#define MB_BOOT_DEVICE_NONE 0x8000FFFFu	/* QEMU's: BIOS drive 0x80, no partition */
#define MB_MMAP_MAX (LAYOUT_MB_INFO_OFFSET / sizeof(struct multiboot_mmap_entry))

static const char loader_name[] = "nestor";

/*
 * QEMU's layout, from the kernel's lowest address `base` on: the image, rounded up to
 * a page; the module list; the command lines (the module's, then the kernel's); the
 * boot loader name; rounded up to a page; then each module at a page boundary. QEMU
 * rounds offsets from base, not addresses: the same is done here.
 */
struct mb_tail {
	uint64_t mods, cmdlines, name, module, end;
};

static struct mb_tail tail_layout(const struct loader_ctx *c, const struct image_span *span)
{
	struct mb_tail t;
	unsigned nmods = c->initrd ? 1 : 0;
	uint64_t cmdline_bytes = strlen(c->kernel->path) + 1 + strlen(c->cmdline) + 1 +
				 (c->initrd ? strlen(c->initrd->path) + 1 : 0);

	uint64_t base = span->start;

	t.mods = base + page_up(span->end - base);
	t.cmdlines = t.mods + nmods * sizeof(struct multiboot_module);
	t.name = t.cmdlines + cmdline_bytes;
	t.module = base + page_up(t.name + sizeof(loader_name) - base);
	t.end = c->initrd ? base + page_up(t.module + c->initrd->size - base) : t.module;
	return t;
}

/* Writes the strings and the module; returns the kernel command line's address. */
static uint32_t write_tail(const struct loader_ctx *c, const struct mb_tail *t)
{
	const struct guest_mem *m = c->mem;
	uint64_t at = t->cmdlines;
	uint64_t path_len = strlen(c->kernel->path);

	guest_mem_fill(m, t->mods, 0, t->end - t->mods);
	if (c->initrd) {
		uint64_t len = strlen(c->initrd->path) + 1;
		struct multiboot_module mod = {
			.mod_start = (uint32_t)t->module,
			.mod_end = (uint32_t)(t->module + c->initrd->size),
			.cmdline = (uint32_t)at,
		};
		guest_mem_write(m, at, c->initrd->path, len);
		at += len;
		guest_mem_write(m, t->mods, &mod, sizeof(mod));
		guest_mem_write(m, t->module, c->initrd->data, c->initrd->size);
	}
	/* QEMU passes "<kernel file name> <-append string>": argv[0] for test kernels. */
	uint32_t cmdline = (uint32_t)at;
	guest_mem_write(m, at, c->kernel->path, path_len);
	guest_mem_write(m, at + path_len, " ", 1);
	guest_mem_write(m, at + path_len + 1, c->cmdline, strlen(c->cmdline) + 1);
	guest_mem_write(m, t->name, loader_name, sizeof(loader_name));
	return cmdline;
}

/*
 * Where the memory map and the information structure go (one page: the map, then the
 * structure at +0x500): QEMU's 0x9000 when the kernel leaves it free, else the first free
 * page below the firmware area (not the one under the initial stack), else the first free
 * page from the end of the modules or from 1 MiB on. Free means: no kernel byte, no tail
 * byte, none of the loader's tables, guest RAM below 4 GiB (multiboot addresses are 32-bit).
 */
static bool info_page_free(const struct loader_ctx *c, const struct image_span *span,
			   const struct mb_tail *t, uint64_t a)
{
	uint64_t end = a + LAYOUT_PAGE;
	return !(a < span->end && span->start < end) && !(a < t->end && t->mods < end) &&
	       !loader_overlap(c, a, LAYOUT_PAGE) && guest_mem_contains(c->mem, a, LAYOUT_PAGE) &&
	       end <= (1ull << 32);
}

static bool place_info(const struct loader_ctx *c, const struct image_span *span,
		       const struct mb_tail *t, uint64_t *info)
{
	if (info_page_free(c, span, t, LAYOUT_MB_MMAP)) {
		*info = LAYOUT_MB_MMAP;
		return true;
	}
	for (uint64_t a = LAYOUT_PAGE; a + LAYOUT_PAGE <= LAYOUT_FIRMWARE_AREA; a += LAYOUT_PAGE) {
		if (a != LAYOUT_STACK_TOP - LAYOUT_PAGE && info_page_free(c, span, t, a)) {
			*info = a;
			return true;
		}
	}
	uint64_t from[2] = { page_up(t->end), LAYOUT_PAYLOAD_MIN };
	for (unsigned i = 0; i < 2; i++) {
		for (uint64_t a = from[i]; a + LAYOUT_PAGE <= c->mem->size; a += LAYOUT_PAGE) {
			if (info_page_free(c, span, t, a)) {
				*info = a;
				return true;
			}
			if (a >= span->end && a >= t->end)
				break;	/* past everything it could collide with */
		}
	}
	return false;
}

static void write_info(const struct loader_ctx *c, const struct mb_tail *t, uint32_t cmdline,
		       uint64_t info)
{
	struct multiboot_mmap_entry mmap[MB_MMAP_MAX];
	struct multiboot_info mbi;
	unsigned n = e820_to_multiboot(c->e820, mmap, MB_MMAP_MAX);
	uint32_t lower, upper;

	e820_multiboot_mem(c->e820, &lower, &upper);
	memset(&mbi, 0, sizeof(mbi));
	mbi.flags = MBI_MEMORY | MBI_BOOT_DEVICE | MBI_CMDLINE | MBI_MODS | MBI_MMAP |
		    MBI_LOADER_NAME;
	mbi.mem_lower = lower;
	mbi.mem_upper = upper;
	mbi.boot_device = MB_BOOT_DEVICE_NONE;
	mbi.cmdline = cmdline;
	mbi.mods_count = c->initrd ? 1 : 0;
	mbi.mods_addr = (uint32_t)t->mods;
	mbi.mmap_length = (uint32_t)(n * sizeof(mmap[0]));
	mbi.mmap_addr = (uint32_t)info;
	mbi.boot_loader_name = (uint32_t)t->name;
	guest_mem_fill(c->mem, info, 0, LAYOUT_PAGE);
	guest_mem_write(c->mem, info, mmap, n * sizeof(mmap[0]));
	guest_mem_write(c->mem, info + LAYOUT_MB_INFO_OFFSET, &mbi, sizeof(mbi));
}

/* Entry (multiboot 3.2): 32-bit protected mode, paging off, EAX = magic, EBX = info. */
enum loader_status multiboot_load(const struct loader_ctx *c, uint64_t header_offset,
				  struct loader_result *out)
{
	struct image_span span;
	uint64_t entry;
	enum loader_status st = multiboot_load_kernel(c, header_offset, &span, &entry);
	if (st != LOADER_OK)
		return st;
	if (c->initrd && c->initrd->size > c->mem->size) {
		log_error("multiboot: module %s of %zu bytes is larger than guest RAM",
			  c->initrd->path, c->initrd->size);
		return LOADER_ERR_INITRD_TOO_LARGE;
	}
	struct mb_tail t = tail_layout(c, &span);
	st = payload_range_check(c, t.mods, t.module - t.mods, "multiboot information");
	if (st != LOADER_OK)
		return st;
	uint64_t info;
	if (!place_info(c, &span, &t, &info)) {
		log_error("multiboot: no free page for the memory map and information structure "
			  "(kernel [%#llx, %#llx), modules up to %#llx)",
			  (unsigned long long)span.start, (unsigned long long)span.end,
			  (unsigned long long)t.end);
		return LOADER_ERR_SEGMENT_OVERLAP;
	}
	if (c->initrd && !guest_mem_contains(c->mem, t.module, t.end - t.module)) {
		log_error("multiboot: module %s of %zu bytes at %#llx runs past the end of guest "
			  "RAM (%#llx)", c->initrd->path, c->initrd->size,
			  (unsigned long long)t.module, (unsigned long long)c->mem->size);
		return LOADER_ERR_INITRD_TOO_LARGE;
	}
	if (c->initrd && (st = payload_range_check(c, t.module, t.end - t.module,
						   "multiboot module")) != LOADER_OK)
		return st;
	write_info(c, &t, write_tail(c, &t), info);
	out->kind = PAYLOAD_MULTIBOOT;
	out->image_start = span.start;
	out->image_end = span.end;
	out->initrd_start = c->initrd ? t.module : 0;
	out->initrd_size = c->initrd ? c->initrd->size : 0;
	out->entry.long_mode = false;
	out->entry.rip = entry;
	out->entry.gprs.r[GPR_RAX] = MB_BOOTLOADER_MAGIC;
	out->entry.gprs.r[GPR_RBX] = info + LAYOUT_MB_INFO_OFFSET;
	out->entry.gprs.r[GPR_RSP] = LAYOUT_STACK_TOP;
	return LOADER_OK;
}
