/* lowmem: a multiboot kernel linked below 1 MiB (at 64 KiB) loads and finds its boot data. */
#include "guest.h"
#include "lib/string.h"
#include "smp.h"

const char guest_name[] = "lowmem";

#define MBI_FLAG_MMAP (1u << 6)
#define BIOS_AREA 0xe0000u
#define BIOS_AREA_END 0x100000u

extern char __image_start[], __image_end[];
extern uint32_t mb_magic, mb_info_addr;

/* Loaded data the loader must not have overwritten with anything of its own. */
static const uint8_t pattern[4096] = { [0 ... 4095] = 0x5a };

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

static uintptr_t image_start(void) { return (uintptr_t)__image_start; }
static uintptr_t image_end(void) { return (uintptr_t)__image_end; }

static bool in_image(uintptr_t a, uintptr_t len)
{
	return a < image_end() && image_start() < a + len;
}

/* The multiboot memory map (Multiboot 0.6.96, 3.3) says the image lies in RAM. */
static void check_mmap(const struct mb_info *mbi)
{
	bool covered = false;
	unsigned entries = 0;
	if (mbi->flags & MBI_FLAG_MMAP) {
		for (uintptr_t p = mbi->mmap_addr; p < (uintptr_t)mbi->mmap_addr + mbi->mmap_length;
		     p += ((const struct mb_mmap *)p)->size + 4) {
			const struct mb_mmap *e = (const void *)p;
			entries++;
			covered |= e->type == 1 && e->addr <= image_start() &&
				   e->addr + e->len >= image_end();
		}
	}
	report_check(covered && !in_image(mbi->mmap_addr, mbi->mmap_length), "mmap-covers-image",
		     "flags %#x, %u entries at %#x, none RAM over [%#lx, %#lx)", mbi->flags, entries,
		     mbi->mmap_addr, (unsigned long)image_start(), (unsigned long)image_end());
}

/* ACPI 6.4, 5.2.5.1: the RSDP on a 16-byte boundary of 0xE0000-0xFFFFF, 20-byte checksum. */
static void check_rsdp(void)
{
	uintptr_t found = 0;
	for (uintptr_t p = BIOS_AREA; p < BIOS_AREA_END && !found; p += 16) {
		if (memcmp((const void *)p, "RSD PTR ", 8))
			continue;
		uint8_t sum = 0;
		for (unsigned i = 0; i < 20; i++)
			sum += ((const uint8_t *)p)[i];
		found = sum == 0 ? p : 0;
	}
	report_check(found != 0, "rsdp-found", "no RSDP with a valid checksum in 0xE0000-0xFFFFF");
	if (found)
		report_info("RSDP at %#lx", (unsigned long)found);
}

static volatile bool ap_ran;

static void ap_work(void *arg)
{
	ap_ran = true;
}

void guest_main(void)
{
	report_info("image [%#lx, %#lx), multiboot information at %#x", (unsigned long)image_start(),
		    (unsigned long)image_end(), mb_info_addr);
	report_check(image_end() <= 0x100000 && (uintptr_t)guest_main < 0x100000,
		     "loaded-below-1mib", "image [%#lx, %#lx)", (unsigned long)image_start(),
		     (unsigned long)image_end());
	unsigned bad = 0;
	for (unsigned i = 0; i < sizeof(pattern); i++)
		bad += pattern[i] != 0x5a;
	report_check(bad == 0, "image-intact", "%u of %u pattern bytes changed", bad,
		     (unsigned)sizeof(pattern));

	const struct mb_info *mbi = (const void *)(uintptr_t)mb_info_addr;
	report_check(mb_magic == 0x2badb002 && mb_info_addr && !in_image(mb_info_addr, sizeof(*mbi)),
		     "info-outside-image", "magic %#x, information at %#x", mb_magic, mb_info_addr);
	report_check(!strncmp(bootinfo.cmdline + strlen(bootinfo.cmdline) - 9, "low=check", 9),
		     "cmdline", "command line \"%s\"", bootinfo.cmdline);
	check_mmap(mbi);
	check_rsdp();

	unsigned expected = smp_expected_cpus();
	bool ran = expected >= 2 && smp_start_aps(expected) >= 2;
	if (ran) {
		smp_run_on(1, ap_work, NULL);
		ran = smp_wait_done(1, 1000000) && ap_ran;
	}
	report_check(ran, "ap-runs", "the AP did not run (expected %u CPUs)", expected);
}
