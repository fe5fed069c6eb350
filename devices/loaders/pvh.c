/* pvh: Linux (or any kernel) with a Xen PVH entry note, started in 32-bit protected mode. */
#include "devices/loaders/layout.h"
#include "devices/loaders/loader_internal.h"
#include "lib/log.h"
#include "lib/string.h"

/*
 * Xen public/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY (18) in a note named "Xen" holds the
 * physical address of the 32-bit entry. Linux emits it as a 4-byte .long in current
 * kernels and as an 8-byte _ASM_PTR in older x86-64 ones; both are accepted.
 * Xen public/arch-x86/hvm/start_info.h defines the structures below (version 1).
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define XEN_HVM_START_MAGIC 0x336ec578u
#define PVH_MEMMAP_MAX 8u

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;		/* version 1 */
	uint32_t memmap_entries;	/* version 1 */
	uint32_t reserved;
} __attribute__((packed));

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info layout");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry layout");
_Static_assert(LAYOUT_PVH_START_INFO + sizeof(struct hvm_start_info) <= LAYOUT_PVH_MODLIST &&
	       LAYOUT_PVH_MODLIST + sizeof(struct hvm_modlist_entry) <= LAYOUT_PVH_MEMMAP &&
	       LAYOUT_PVH_MEMMAP + PVH_MEMMAP_MAX * sizeof(struct hvm_memmap_table_entry) <=
	       LAYOUT_PVH_START_INFO + LAYOUT_PAGE, "PVH structures fit their page");

enum loader_status pvh_entry_point(const struct elf_file *f, bool *has_note, uint64_t *entry)
{
	struct elf_note n;
	enum loader_status st = elf_find_note(f, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &n, has_note);
	if (st != LOADER_OK || !*has_note)
		return st;
	if (n.descsz == 4) {
		uint32_t v;
		memcpy(&v, n.desc, 4);
		*entry = v;
	} else if (n.descsz == 8) {
		memcpy(entry, n.desc, 8);
	} else {
		log_error("PVH: XEN_ELFNOTE_PHYS32_ENTRY has %u bytes (4 or 8 expected)", n.descsz);
		return LOADER_ERR_PVH_NOTE;
	}
	if (*entry > UINT32_MAX) {
		log_error("PVH: 32-bit entry %#llx is above 4 GiB", (unsigned long long)*entry);
		return LOADER_ERR_PVH_NOTE;
	}
	return LOADER_OK;
}

static enum loader_status write_start_info(const struct loader_ctx *c, uint64_t initrd,
					   uint64_t initrd_size)
{
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry map[PVH_MEMMAP_MAX];
	unsigned n = e820_to_pvh(c->e820, map, PVH_MEMMAP_MAX);

	memset(&si, 0, sizeof(si));
	si.magic = XEN_HVM_START_MAGIC;
	si.version = 1;
	si.cmdline_paddr = LAYOUT_CMDLINE;
	si.rsdp_paddr = c->rsdp;
	si.memmap_paddr = LAYOUT_PVH_MEMMAP;
	si.memmap_entries = n;
	/* Linux takes module 0 as its initrd (arch/x86/platform/pvh/enlighten.c). */
	if (initrd_size) {
		memset(&mod, 0, sizeof(mod));
		mod.paddr = initrd;
		mod.size = initrd_size;
		si.nr_modules = 1;
		si.modlist_paddr = LAYOUT_PVH_MODLIST;
		guest_mem_write(c->mem, LAYOUT_PVH_MODLIST, &mod, sizeof(mod));
	}
	guest_mem_write(c->mem, LAYOUT_PVH_MEMMAP, map, n * sizeof(map[0]));
	guest_mem_write(c->mem, LAYOUT_PVH_START_INFO, &si, sizeof(si));
	return n ? LOADER_OK : LOADER_ERR_MEMORY;
}

/*
 * Entry state (Xen docs/misc/pvh.pandoc, which Linux's pvh_start_xen follows):
 * 32-bit protected mode, paging off, flat segments, EBX = start_info.
 */
enum loader_status pvh_load(const struct loader_ctx *c, const struct elf_file *f,
			    uint64_t entry, struct loader_result *out)
{
	struct image_span span;
	enum loader_status st = elf_load_image(f, c, &span);
	if (st != LOADER_OK)
		return st;
	if (entry < span.start || entry >= span.end) {
		log_error("PVH: entry %#llx is outside the loaded image [%#llx, %#llx)",
			  (unsigned long long)entry, (unsigned long long)span.start,
			  (unsigned long long)span.end);
		return LOADER_ERR_ENTRY;
	}
	if ((st = cmdline_write(c, LAYOUT_CMDLINE, LAYOUT_CMDLINE_SIZE)) != LOADER_OK)
		return st;
	/* Linux's PVH path reads the initrd address as 32 bits (hdr.ramdisk_image). */
	st = initrd_place_high(c, span.end, 1ull << 32, &out->initrd_start, &out->initrd_size);
	if (st != LOADER_OK)
		return st;
	if ((st = write_start_info(c, out->initrd_start, out->initrd_size)) != LOADER_OK)
		return st;
	out->kind = PAYLOAD_PVH;
	out->image_start = span.start;
	out->image_end = span.end;
	out->entry.long_mode = false;
	out->entry.rip = entry;
	out->entry.gprs.r[GPR_RBX] = LAYOUT_PVH_START_INFO;
	out->entry.gprs.r[GPR_RSP] = LAYOUT_STACK_TOP;
	return LOADER_OK;
}
