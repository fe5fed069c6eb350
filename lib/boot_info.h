/* boot_info: what boot/ hands to core/ once the firmware is gone. */
#ifndef NESTOR_LIB_BOOT_INFO_H
#define NESTOR_LIB_BOOT_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/options.h"

#define BOOT_MAX_FILES 4
#define BOOT_MAX_RAM_RANGES 64

/* A file read from the boot volume before ExitBootServices, now in nestor-owned memory. */
struct boot_file {
	const char *role;	/* "kernel", "initrd" */
	char path[OPTIONS_PATH_MAX];
	uint8_t *data;
	size_t size;
};

struct boot_ram_range {
	uint64_t base;
	uint64_t size;
};

struct boot_info {
	struct nestor_options options;
	const char *options_source;	/* "load options", "\\nestor.cfg", "both" or "defaults" */
	uint64_t rsdp;			/* host ACPI RSDP (physical), 0 when the firmware has none */
	/* The firmware memory map, summarised: conventional RAM ranges and the top address. */
	struct boot_ram_range ram[BOOT_MAX_RAM_RANGES];
	unsigned nram;
	uint64_t ram_bytes;
	uint64_t highest_address;	/* end of the highest range of any type */
	unsigned memmap_entries;
	uintptr_t pool_base;		/* nestor's own pages (see lib/page_alloc.h) */
	size_t pool_pages;
	uintptr_t ap_trampoline;	/* one page below 1 MiB for starting APs (0: none) */
	uintptr_t guest_ram;		/* the guest's RAM block, options.mem_mb MiB, 2 MiB aligned */
	struct boot_file files[BOOT_MAX_FILES];
	unsigned nfiles;
};

#endif
