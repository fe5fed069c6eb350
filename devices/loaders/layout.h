/* layout: where nestor's loaders put things in guest-physical memory (docs/loaders.md). */
#ifndef NESTOR_DEVICES_LOADERS_LAYOUT_H
#define NESTOR_DEVICES_LOADERS_LAYOUT_H

/*
 * Below 1 MiB nestor puts the guest's firmware and each payload type's own structures
 * (none overlaps another's). A payload may load there too, around them: the loaders
 * refuse only bytes over the firmware area or over the structures of their own format,
 * and the multiboot loader puts its information where the kernel is not.
 */
#define LAYOUT_PVH_START_INFO 0x1000ull	/* hvm_start_info (56 bytes) */
#define LAYOUT_PVH_MODLIST 0x1040ull	/* one hvm_modlist_entry: the initrd */
#define LAYOUT_PVH_MEMMAP 0x1080ull	/* hvm_memmap_table_entry[] */
#define LAYOUT_CMDLINE 0x2000ull	/* PVH and bzImage command line */
#define LAYOUT_CMDLINE_SIZE 0x1000ull	/* NUL included */
#define LAYOUT_ZERO_PAGE 0x3000ull	/* bzImage boot_params */
#define LAYOUT_STACK_TOP 0x8000ull	/* initial RSP of every entry; [0x4000, 0x8000) free */
#define LAYOUT_MB_MMAP 0x9000ull	/* multiboot mmap, where QEMU puts it (if free) */
#define LAYOUT_MB_INFO 0x9500ull	/* multiboot information structure, ditto (+0x500) */
#define LAYOUT_MB_INFO_OFFSET 0x500ull	/* the information structure's place in that page */
#define LAYOUT_PAGE_TABLES 0x10000ull	/* bzImage identity map: PML4, PDPT, 4 PDs */
#define LAYOUT_PAGE_TABLES_END 0x16000ull
/* [this, 1 MiB): EBDA, VGA hole, ROM area and the ACPI tables, reserved in the e820 map. */
#define LAYOUT_FIRMWARE_AREA 0x9fc00ull
#define LAYOUT_PAYLOAD_MIN 0x100000ull	/* a bzImage without pref_address loads here */
#define LAYOUT_PAGE 0x1000ull

#endif
