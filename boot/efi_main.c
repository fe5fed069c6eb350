/* efi_main: nestor's EFI entry; gathers everything from the firmware, then leaves it. */
#include <efi.h>
#include <efilib.h>

#include "arch/x86/cpu.h"
#include "arch/x86/takeover.h"
#include "boot/efi_files.h"
#include "boot/efi_util.h"
#include "core/banner.h"
#include "core/main.h"
#include "drivers/console.h"
#include "drivers/run_end.h"
#include "lib/boot_info.h"
#include "lib/log.h"
#include "lib/startup_phases.h"
#include "lib/string.h"

#define NESTOR_POOL_PAGES 4096		/* 16 MiB for page tables, stacks, VMCS/VMCB pages */
#define MEMMAP_BUFFER_PAGES 16

static struct boot_info boot_info;

/* The options live in \nestor.cfg and in the load options; the latter are applied last. */
static void boot_read_options(EFI_HANDLE image, EFI_FILE_HANDLE root)
{
	struct nestor_options *o = &boot_info.options;
	char err[256];
	bool from_cfg = false, from_load = false;

	options_set_defaults(o);
	if (root) {
		uint8_t *cfg;
		size_t len;
		EFI_STATUS s = efi_read_file(root, "\\nestor.cfg", &cfg, &len);
		if (s == EFI_SUCCESS) {
			if (!options_parse(o, (const char *)cfg, len, err, sizeof(err))) {
				log_error("\\nestor.cfg: %s", err);
				run_end(RUN_STATUS_CONFIG_ERROR);
			}
			from_cfg = true;
		} else if (s != EFI_NOT_FOUND) {
			log_warn("\\nestor.cfg: cannot read it: %s", efi_status_name(s));
		}
	}

	EFI_LOADED_IMAGE *li = NULL;
	uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (li && li->LoadOptions && li->LoadOptionsSize >= sizeof(CHAR16)) {
		static char text[1024];
		if (!efi_ucs2_to_ascii(li->LoadOptions, li->LoadOptionsSize / sizeof(CHAR16), text,
				       sizeof(text))) {
			/* Boot-manager entries may carry binary data here: not ours to parse. */
			log_warn("EFI load options are not printable text; ignored");
		} else if (text[0]) {
			if (!options_parse(o, text, strlen(text), err, sizeof(err))) {
				log_error("load options: %s", err);
				run_end(RUN_STATUS_CONFIG_ERROR);
			}
			from_load = true;
		}
	}
	boot_info.options_source = from_cfg && from_load ? "\\nestor.cfg + load options"
				   : from_cfg		 ? "\\nestor.cfg"
				   : from_load		 ? "load options"
							 : "defaults";
	log_set_level(o->log_level);
}

static void boot_find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];
		if (!CompareGuid(&t->VendorGuid, &acpi20))
			boot_info.rsdp = (uint64_t)(uintptr_t)t->VendorTable;
		else if (!boot_info.rsdp && !CompareGuid(&t->VendorGuid, &acpi10))
			boot_info.rsdp = (uint64_t)(uintptr_t)t->VendorTable;
	}
}

static void boot_load_file(EFI_FILE_HANDLE root, const char *role, const char *path)
{
	if (!path[0])
		return;
	if (!root) {
		log_error("%s=%s: the boot device has no file system", role, path);
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	struct boot_file *f = &boot_info.files[boot_info.nfiles++];
	f->role = role;
	memcpy(f->path, path, sizeof(f->path));
	EFI_STATUS s = efi_read_file(root, path, &f->data, &f->size);
	if (EFI_ERROR(s)) {
		log_error("%s=%s: cannot read it: %s", role, path, efi_status_name(s));
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	log_info("boot: read %s %s (%zu bytes)", role, path, f->size);
}

static void boot_alloc_memory(void)
{
	EFI_PHYSICAL_ADDRESS pa;
	/* Below 4 GiB so that AP start-up and 32-bit guest structures can point into it. */
	EFI_STATUS s = efi_alloc_pages(NESTOR_POOL_PAGES, 0xffffffffull, &pa);
	if (EFI_ERROR(s)) {
		log_error("boot: cannot allocate nestor's %u-page pool: %s", NESTOR_POOL_PAGES,
			  efi_status_name(s));
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	boot_info.pool_base = pa;
	boot_info.pool_pages = NESTOR_POOL_PAGES;

	/* APs start in real mode at a page below 1 MiB (SIPI vector = page >> 12). */
	if (EFI_ERROR(efi_alloc_pages(1, 0x9ffff, &pa)))
		log_warn("boot: no page below 640 KiB for AP start-up; the boot CPU only");
	else
		boot_info.ap_trampoline = pa;

	if (!boot_info.options.kernel[0])
		return;
	/* Guest RAM: one block, 2 MiB aligned so nested paging can use large pages. */
	size_t pages = (size_t)boot_info.options.mem_mb * 256;
	s = efi_alloc_pages(pages + 511, 0xffffffffull, &pa);
	if (EFI_ERROR(s)) {
		log_error("boot: cannot allocate %u MiB of guest RAM: %s (lower mem=)",
			  boot_info.options.mem_mb, efi_status_name(s));
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	boot_info.guest_ram = (pa + 0x1fffff) & ~0x1fffffull;
}

static void boot_summarise_memmap(const EFI_MEMORY_DESCRIPTOR *map, UINTN size, UINTN desc)
{
	boot_info.nram = 0;
	boot_info.ram_bytes = 0;
	boot_info.highest_address = 0;
	boot_info.memmap_entries = (unsigned)(size / desc);
	for (UINTN off = 0; off < size; off += desc) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const char *)map + off);
		uint64_t end = d->PhysicalStart + d->NumberOfPages * 4096;
		if (end > boot_info.highest_address)
			boot_info.highest_address = end;
		/* Boot-services memory is free once the firmware is gone. */
		bool usable = d->Type == EfiConventionalMemory || d->Type == EfiBootServicesCode ||
			      d->Type == EfiBootServicesData;
		if (!usable)
			continue;
		boot_info.ram_bytes += d->NumberOfPages * 4096;
		struct boot_ram_range *last = boot_info.nram ? &boot_info.ram[boot_info.nram - 1] : 0;
		if (last && last->base + last->size == d->PhysicalStart)
			last->size += d->NumberOfPages * 4096;
		else if (boot_info.nram < BOOT_MAX_RAM_RANGES)
			boot_info.ram[boot_info.nram++] =
				(struct boot_ram_range){ d->PhysicalStart, d->NumberOfPages * 4096 };
	}
}

/*
 * UEFI 2.10, 7.4 ExitBootServices: the map key must come from the latest GetMemoryMap;
 * if anything allocated in between (even the firmware itself), the call fails with
 * EFI_INVALID_PARAMETER and must be retried with a fresh map. Nothing may log in
 * between, because logging could allocate in the firmware's console path.
 */
static void boot_exit_firmware(EFI_HANDLE image)
{
	EFI_PHYSICAL_ADDRESS buf;
	if (EFI_ERROR(efi_alloc_pages(MEMMAP_BUFFER_PAGES, 0, &buf))) {
		log_error("boot: cannot allocate the memory-map buffer");
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	for (int attempt = 0; attempt < 4; attempt++) {
		UINTN size = MEMMAP_BUFFER_PAGES * 4096, key, desc;
		UINT32 ver;
		EFI_STATUS s = uefi_call_wrapper(BS->GetMemoryMap, 5, &size,
						 (EFI_MEMORY_DESCRIPTOR *)buf, &key, &desc, &ver);
		if (EFI_ERROR(s)) {
			log_error("boot: GetMemoryMap: %s", efi_status_name(s));
			run_end(RUN_STATUS_CONFIG_ERROR);
		}
		s = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (s == EFI_SUCCESS) {
			boot_summarise_memmap((const EFI_MEMORY_DESCRIPTOR *)buf, size, desc);
			return;
		}
	}
	log_error("boot: ExitBootServices kept failing");
	run_end(RUN_STATUS_CONFIG_ERROR);
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	/* GNU-EFI's globals, set directly: InitializeLib would pull in lib/init.o, whose
	 * memset/memcpy clash with lib/string.c, for nothing nestor uses. */
	startup_phase_mark(&startup_phases, "entry", rdtsc());
	ST = systab;
	BS = systab->BootServices;
	RT = systab->RuntimeServices;
	console_init();
	banner_print();

	EFI_FILE_HANDLE root = efi_boot_volume(image);
	boot_read_options(image, root);
	log_info("options from %s", boot_info.options_source);
	options_log(&boot_info.options);

	boot_find_rsdp();
	boot_alloc_memory();
	startup_phase_mark(&startup_phases, "options and memory", rdtsc());
	boot_load_file(root, "kernel", boot_info.options.kernel);
	boot_load_file(root, "initrd", boot_info.options.initrd);
	startup_phase_mark(&startup_phases, "kernel and initrd read", rdtsc());

	log_info("boot: leaving the firmware (ExitBootServices)");
	boot_exit_firmware(image);
	ST = NULL;
	BS = NULL;	/* any later use of boot services is a bug: make it fault */

	arch_take_machine(&boot_info, nestor_main);
}
