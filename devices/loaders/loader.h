/* loader: puts a payload (Linux PVH, multiboot v1, bzImage) and its firmware into guest RAM. */
#ifndef NESTOR_DEVICES_LOADERS_LOADER_H
#define NESTOR_DEVICES_LOADERS_LOADER_H

#include <stdint.h>

#include "arch/x86/guest_entry.h"
#include "devices/firmware/acpi_platform.h"
#include "lib/boot_info.h"
#include "lib/guest_mem.h"

enum payload_kind {
	PAYLOAD_NONE,
	PAYLOAD_PVH,		/* ELF with a XEN_ELFNOTE_PHYS32_ENTRY note (Linux vmlinux) */
	PAYLOAD_MULTIBOOT,	/* multiboot v1 header in the first 8 KiB (ELF32 or a.out kludge) */
	PAYLOAD_BZIMAGE,	/* Linux boot protocol "HdrS", entered at its 64-bit entry */
};

/* Every outcome of loader_load(); each failure is also logged with its particulars. */
enum loader_status {
	LOADER_OK,
	LOADER_ERR_NO_KERNEL,		/* no boot file with role "kernel" */
	LOADER_ERR_UNKNOWN_FORMAT,	/* not a bzImage, multiboot kernel or PVH ELF */
	LOADER_ERR_MEMORY,		/* guest RAM size not supported (see e820.h) */
	LOADER_ERR_FIRMWARE,		/* the ACPI tables could not be written */
	LOADER_ERR_ELF_HEADER,		/* bad ELF magic, class, encoding, version or sizes */
	LOADER_ERR_ELF_TRUNCATED,	/* ELF header, program headers or notes beyond the file */
	LOADER_ERR_ELF_MACHINE,		/* ELF class or machine wrong for the format */
	LOADER_ERR_SEGMENT_FILE,	/* segment bytes beyond the file, or filesz > memsz */
	LOADER_ERR_SEGMENT_RAM,		/* payload bytes beyond the end of guest RAM */
	LOADER_ERR_SEGMENT_OVERLAP,	/* payload bytes over a table nestor must place */
	LOADER_ERR_NO_SEGMENTS,		/* nothing to load */
	LOADER_ERR_ENTRY,		/* entry point outside the loaded image */
	LOADER_ERR_PVH_NOTE,		/* PVH note with a bad size or an address above 4 GiB */
	LOADER_ERR_MULTIBOOT_HEADER,	/* inconsistent or truncated a.out kludge fields */
	LOADER_ERR_BZIMAGE_HEADER,	/* bzImage too old, not 64-bit capable, or truncated */
	LOADER_ERR_INITRD_TOO_LARGE,	/* no room for the initrd between kernel and top of RAM */
	LOADER_ERR_CMDLINE_TOO_LONG,
	LOADER_STATUS_COUNT
};

struct loader_result {
	enum payload_kind kind;
	struct guest_entry entry;	/* how the boot vCPU starts */
	struct acpi_layout acpi;
	uint64_t image_start;		/* guest-physical span of the kernel image */
	uint64_t image_end;
	uint64_t initrd_start;		/* initrd_size 0: none */
	uint64_t initrd_size;
};

/*
 * Writes the guest's firmware (zeroed low memory, ACPI tables for `platform`) and the
 * payload of `files` (role "kernel", optional role "initrd") with command line
 * `cmdline` into guest RAM, and fills *out with the entry state. Any failure is
 * logged and returned; guest RAM is then undefined and the VM must not start.
 */
enum loader_status loader_load(const struct guest_mem *mem, const struct boot_file *files,
			       unsigned nfiles, const char *cmdline,
			       const struct acpi_platform *platform, struct loader_result *out);

const char *loader_status_name(enum loader_status s);
const char *payload_kind_name(enum payload_kind k);

#endif
