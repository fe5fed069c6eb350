/* e820: the guest's physical memory map, and the three encodings its loaders hand over. */
#ifndef NESTOR_DEVICES_FIRMWARE_E820_H
#define NESTOR_DEVICES_FIRMWARE_E820_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ACPI 6.4, 15.1, Table 15.1: address range types (the BIOS INT 15h E820h values). */
enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
};

/*
 * The map for `mem` bytes of guest RAM at [0, mem):
 *   [0, 0x9FC00)                 RAM (conventional memory, minus a 1 KiB "EBDA")
 *   [0x9FC00, 0x100000)          reserved: EBDA, VGA hole, option ROMs, BIOS area with
 *                                the ACPI tables (0xF0000)
 *   [0x100000, mem)              RAM
 *   [0xFEC00000, 0xFEC01000)     reserved: IOAPIC registers
 *   [0xFEE00000, 0xFEE01000)     reserved: LAPIC registers
 * The two MMIO pages are listed so that an OS placing PCI BARs in the hole below
 * 4 GiB keeps clear of them; RAM never reaches them (mem <= 3 GiB).
 */
#define E820_LOW_RAM_END 0x9FC00ull
#define E820_HIGH_RAM_BASE 0x100000ull
#define E820_MEM_MIN 0x200000ull	/* 2 MiB: 1 MiB of RAM above the BIOS area */
#define E820_MEM_MAX 0xC0000000ull	/* 3 GiB: RAM stays below the PCI/APIC hole */
#define E820_MAX_ENTRIES 8u

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct e820_map {
	unsigned n;
	struct e820_entry e[E820_MAX_ENTRIES];
};

/* Builds the map; false (logged) when mem is below the minimum, above 3 GiB or not page-aligned. */
bool e820_build(uint64_t mem, struct e820_map *out);

/* Xen public/arch-x86/hvm/start_info.h: one entry of the PVH memory map (24 bytes). */
struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;			/* XEN_HVM_MEMMAP_TYPE_*: the e820 values */
	uint32_t reserved;
} __attribute__((packed));

/* Multiboot 0.6.96, 3.3: an mmap entry; `size` counts the bytes after itself (20). */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

/* Linux boot_params.e820_table[] (arch/x86/include/uapi/asm/setup_data.h): 20 bytes. */
struct boot_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "PVH memmap entry layout");
_Static_assert(sizeof(struct multiboot_mmap_entry) == 24, "multiboot mmap entry layout");
_Static_assert(sizeof(struct boot_e820_entry) == 20, "zero-page e820 entry layout");

/* Each returns the number of entries written (all of the map, or 0 if max is too small). */
unsigned e820_to_pvh(const struct e820_map *m, struct hvm_memmap_table_entry *out, unsigned max);
unsigned e820_to_multiboot(const struct e820_map *m, struct multiboot_mmap_entry *out,
			   unsigned max);
unsigned e820_to_zeropage(const struct e820_map *m, struct boot_e820_entry *out, unsigned max);

/*
 * Multiboot mem_lower / mem_upper in KiB, as QEMU's multiboot option ROM computes them:
 * lower is the conventional memory INT 12h reports (RAM from 0), upper is the RAM
 * contiguous from 1 MiB.
 */
void e820_multiboot_mem(const struct e820_map *m, uint32_t *lower_kib, uint32_t *upper_kib);

#endif
