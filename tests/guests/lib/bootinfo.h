/* bootinfo: what the multiboot loader handed over (magic, memory sizes, command line). */
#ifndef GUEST_BOOTINFO_H
#define GUEST_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002

struct bootinfo {
	uint32_t magic;
	bool has_mem;
	uint32_t mem_lower_kb, mem_upper_kb;	/* below 640 KiB / above 1 MiB */
	char cmdline[256];
};

extern struct bootinfo bootinfo;

/* Copies the multiboot information out of loader memory before anything can overwrite it. */
void bootinfo_init(void);
/* The number after "key=" on the command line, or `fallback`. */
uint64_t bootinfo_param(const char *key, uint64_t fallback);

#endif
