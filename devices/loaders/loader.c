/* loader: recognises the payload, writes the guest firmware, and hands off to its loader. */
#include "devices/loaders/loader.h"

#include "devices/loaders/layout.h"
#include "devices/loaders/loader_internal.h"
#include "lib/log.h"
#include "lib/string.h"

static const struct boot_file *find_file(const struct boot_file *files, unsigned n,
					 const char *role)
{
	for (unsigned i = 0; i < n; i++)
		if (files[i].role && !strcmp(files[i].role, role))
			return &files[i];
	return NULL;
}

/*
 * QEMU's order (hw/i386/x86.c, x86_load_linux): a Linux boot header first, then a
 * multiboot header, then an ELF with a PVH note. A kernel carrying both a multiboot
 * header and a PVH note is therefore loaded as multiboot, as QEMU does.
 */
static enum loader_status dispatch(struct loader_ctx *c, struct loader_result *out)
{
	const struct boot_file *k = c->kernel;
	uint64_t offset, entry;
	bool has_note;

	if (bzimage_detect(k->data, k->size)) {
		loader_add_table(c, LAYOUT_CMDLINE, LAYOUT_ZERO_PAGE + LAYOUT_PAGE,
				 "the command line and boot_params");
		loader_add_table(c, LAYOUT_PAGE_TABLES, LAYOUT_PAGE_TABLES_END,
				 "the initial page tables");
		return bzimage_load(c, out);
	}
	/* Multiboot information goes where the kernel is not (multiboot.c). */
	if (multiboot_find_header(k->data, k->size, &offset))
		return multiboot_load(c, offset, out);
	if (!elf_is_elf(k->data, k->size)) {
		log_error("loader: %s is not a bzImage, a multiboot kernel or an ELF file", k->path);
		return LOADER_ERR_UNKNOWN_FORMAT;
	}
	struct elf_file f;
	enum loader_status st = elf_open(&f, k->data, k->size);
	if (st == LOADER_OK)
		st = pvh_entry_point(&f, &has_note, &entry);
	if (st != LOADER_OK)
		return st;
	if (!has_note) {
		log_error("loader: %s is an ELF file with neither a multiboot header nor a PVH "
			  "entry note (a Linux vmlinux needs CONFIG_PVH)", k->path);
		return LOADER_ERR_UNKNOWN_FORMAT;
	}
	loader_add_table(c, LAYOUT_PVH_START_INFO, LAYOUT_CMDLINE + LAYOUT_CMDLINE_SIZE,
			 "hvm_start_info and the command line");
	return pvh_load(c, &f, entry, out);
}

static void log_result(const struct loader_ctx *c, const struct loader_result *r)
{
	log_info("loader: %s: %s, image [%#llx, %#llx), entry %#llx (%s)", c->kernel->path,
		 payload_kind_name(r->kind), (unsigned long long)r->image_start,
		 (unsigned long long)r->image_end, (unsigned long long)r->entry.rip,
		 r->entry.long_mode ? "64-bit" : "32-bit protected mode");
	if (r->initrd_size)
		log_info("loader: initrd %s at [%#llx, +%#llx)", c->initrd->path,
			 (unsigned long long)r->initrd_start, (unsigned long long)r->initrd_size);
	log_info("loader: command line \"%s\"", c->cmdline);
}

enum loader_status loader_load(const struct guest_mem *mem, const struct boot_file *files,
			       unsigned nfiles, const char *cmdline,
			       const struct acpi_platform *platform, struct loader_result *out)
{
	struct e820_map e820;
	struct loader_ctx c = {
		.mem = mem,
		.kernel = find_file(files, nfiles, "kernel"),
		.initrd = find_file(files, nfiles, "initrd"),
		.cmdline = cmdline ? cmdline : "",
		.e820 = &e820,
		.tables = { { LAYOUT_FIRMWARE_AREA, LAYOUT_PAYLOAD_MIN,
			      "the firmware area (EBDA, VGA hole, ROM area, ACPI tables)" } },
		.ntables = 1,
	};
	enum loader_status st;

	memset(out, 0, sizeof(*out));
	if (!c.kernel || !c.kernel->data) {
		log_error("loader: no kernel file was loaded from the boot volume");
		st = LOADER_ERR_NO_KERNEL;
	} else if (!e820_build(mem->size, &e820)) {
		st = LOADER_ERR_MEMORY;
	} else {
		/* Low memory reads as zero (no BIOS data area, no EBDA) apart from our tables. */
		guest_mem_fill(mem, 0, 0, LAYOUT_PAYLOAD_MIN);
		if (!acpi_build(mem, platform, &out->acpi)) {
			st = LOADER_ERR_FIRMWARE;
		} else {
			c.rsdp = out->acpi.rsdp;
			st = dispatch(&c, out);
		}
	}
	if (st != LOADER_OK) {
		log_error("loader: %s: %s", c.kernel ? c.kernel->path : "(no kernel)",
			  loader_status_name(st));
		out->kind = PAYLOAD_NONE;
		return st;
	}
	log_result(&c, out);
	return LOADER_OK;
}
