/* bootinfo: parses the multiboot v1 information structure (Multiboot Specification, 3.3). */
#include "bootinfo.h"

#include "lib/string.h"

#define MBI_FLAG_MEM		(1u << 0)
#define MBI_FLAG_CMDLINE	(1u << 2)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
};

extern uint32_t mb_magic, mb_info_addr;

struct bootinfo bootinfo;

void bootinfo_init(void)
{
	bootinfo.magic = mb_magic;
	if (mb_magic != MULTIBOOT_BOOTLOADER_MAGIC || !mb_info_addr)
		return;

	const struct multiboot_info *mbi = (const void *)(uintptr_t)mb_info_addr;
	if (mbi->flags & MBI_FLAG_MEM) {
		bootinfo.has_mem = true;
		bootinfo.mem_lower_kb = mbi->mem_lower;
		bootinfo.mem_upper_kb = mbi->mem_upper;
	}
	if ((mbi->flags & MBI_FLAG_CMDLINE) && mbi->cmdline) {
		const char *src = (const char *)(uintptr_t)mbi->cmdline;
		size_t n = 0;
		while (n + 1 < sizeof(bootinfo.cmdline) && src[n])
			n++;
		memcpy(bootinfo.cmdline, src, n);
		bootinfo.cmdline[n] = 0;
	}
}

static uint64_t parse_number(const char *s)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return v;
		v = v * base + d;
	}
}

uint64_t bootinfo_param(const char *key, uint64_t fallback)
{
	size_t klen = strlen(key);
	const char *p = bootinfo.cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return parse_number(p + klen + 1);
		while (*p && *p != ' ')
			p++;
	}
	return fallback;
}
