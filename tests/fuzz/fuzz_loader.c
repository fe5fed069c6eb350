/* fuzz_loader: the payload loaders (bzImage, multiboot ELF/a.out, PVH ELF) on any kernel file. */
#include <string.h>

#include "devices/firmware/e820.h"
#include "devices/loaders/layout.h"
#include "devices/loaders/loader.h"
#include "tests/fuzz/fuzz.h"

/*
 * The input is the kernel file itself, so real kernels and the loader tests' fixtures
 * are seeds as they are; an initrd and a command line are always given, into 32 MiB of
 * guest RAM for 2 vCPUs. The file buffer is exactly the input (ASan reports any read
 * past its end). Beyond "no crash", checked:
 *  - a failure is one of the documented statuses and leaves kind NONE;
 *  - success: the image lies in [1 MiB, end of RAM), the entry point inside it, the
 *    initrd inside RAM above 1 MiB, clear of the image and byte for byte the file;
 *    the RSDP at 0xF0000 has both checksums right;
 *  - what the payload is told agrees with that: PVH start_info (magic, command line,
 *    RSDP, memory map size, the initrd module), the multiboot information (magic in
 *    EAX, "path cmdline", the module), the bzImage zero page (command line pointer,
 *    ramdisk fields, e820 entry count, RSI) and the long-mode CR3 below 1 MiB.
 */

#define RAM_SIZE (32ull << 20)
#define CMDLINE "console=ttyS0 fuzz=1"
#define INITRD_SIZE 3000u
#define PVH_MAGIC 0x336ec578u
#define MB_BOOTLOADER_MAGIC 0x2badb002u

static struct guest_mem mem;
static uint8_t initrd[INITRD_SIZE];

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;
	FUZZ_CHECK(gpa + 4 <= mem.size, "read at %#llx", (unsigned long long)gpa);
	memcpy(&v, mem.hva + gpa, 4);
	return v;
}

static uint64_t rd64(uint64_t gpa)
{
	return rd32(gpa) | (uint64_t)rd32(gpa + 4) << 32;
}

/* The NUL-terminated string the payload finds at gpa. */
static const char *guest_str(uint64_t gpa)
{
	FUZZ_CHECK(gpa < mem.size && memchr(mem.hva + gpa, 0, mem.size - gpa),
		   "no string at %#llx", (unsigned long long)gpa);
	return (const char *)mem.hva + gpa;
}

static uint8_t sum(uint64_t gpa, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + mem.hva[gpa + i]);
	return s;
}

static void check_pvh(const struct loader_result *r)
{
	uint64_t si = LAYOUT_PVH_START_INFO;

	FUZZ_CHECK(r->entry.gprs.r[GPR_RBX] == si && rd32(si) == PVH_MAGIC, "start_info");
	FUZZ_CHECK(!strcmp(guest_str(rd64(si + 24)), CMDLINE), "PVH command line '%s'",
		   guest_str(rd64(si + 24)));
	FUZZ_CHECK(rd64(si + 32) == r->acpi.rsdp, "PVH RSDP %#llx",
		   (unsigned long long)rd64(si + 32));
	FUZZ_CHECK(rd32(si + 48) == 5, "PVH memory map of %u entries", rd32(si + 48));
	FUZZ_CHECK(rd32(si + 12) == 1 && rd64(rd64(si + 16)) == r->initrd_start &&
		   rd64(rd64(si + 16) + 8) == r->initrd_size, "PVH module list");
}

/* Every table the XSDT lists, and the FADT's DSDT, still adds up to 0: no payload byte
 * went over the firmware area (ACPI 6.5 5.2.9, 5.2.8, 5.2.9 FADT X_DSDT at offset 140). */
static void check_acpi_tables(uint64_t rsdp)
{
	uint64_t xsdt = rd64(rsdp + 24);
	uint32_t n = (rd32(xsdt + 4) - 36) / 8;
	FUZZ_CHECK(xsdt < RAM_SIZE && sum(xsdt, rd32(xsdt + 4)) == 0 && n < 16, "XSDT at %#llx",
		   (unsigned long long)xsdt);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t = rd64(xsdt + 36 + 8 * i);
		FUZZ_CHECK(t < RAM_SIZE && sum(t, rd32(t + 4)) == 0, "table %u at %#llx", i,
			   (unsigned long long)t);
		if (!memcmp(mem.hva + t, "FACP", 4)) {
			uint64_t dsdt = rd64(t + 140);
			FUZZ_CHECK(dsdt < RAM_SIZE && sum(dsdt, rd32(dsdt + 4)) == 0, "DSDT at %#llx",
				   (unsigned long long)dsdt);
		}
	}
}

static void check_multiboot(const struct loader_result *r, const char *path)
{
	uint64_t info = r->entry.gprs.r[GPR_RBX];
	const char *cmd;

	/* The information page is QEMU's 0x9000 unless the kernel is there; the structure sits
	 * at +0x500 in it, below 4 GiB, and no kernel byte shares its page. */
	uint64_t page = info - LAYOUT_MB_INFO_OFFSET;
	FUZZ_CHECK(r->entry.gprs.r[GPR_RAX] == MB_BOOTLOADER_MAGIC &&
		   (info & (LAYOUT_PAGE - 1)) == LAYOUT_MB_INFO_OFFSET && info < (1ull << 32) &&
		   (page + LAYOUT_PAGE <= r->image_start || page >= r->image_end),
		   "multiboot EAX %#llx EBX %#llx image [%#llx, %#llx)",
		   (unsigned long long)r->entry.gprs.r[GPR_RAX], (unsigned long long)info,
		   (unsigned long long)r->image_start, (unsigned long long)r->image_end);
	cmd = guest_str(rd32(info + 16));
	FUZZ_CHECK(!strncmp(cmd, path, strlen(path)) && cmd[strlen(path)] == ' ' &&
		   !strcmp(cmd + strlen(path) + 1, CMDLINE), "multiboot command line '%s'", cmd);
	FUZZ_CHECK(rd32(info + 20) == 1 && rd32(rd32(info + 24)) == r->initrd_start &&
		   rd32(rd32(info + 24) + 4) == r->initrd_start + r->initrd_size,
		   "multiboot module list");
}

static void check_bzimage(const struct loader_result *r)
{
	uint64_t zp = LAYOUT_ZERO_PAGE;

	FUZZ_CHECK(r->entry.gprs.r[GPR_RSI] == zp && r->entry.long_mode, "bzImage entry state");
	FUZZ_CHECK(r->entry.cr3 && r->entry.cr3 < LAYOUT_PAYLOAD_MIN, "CR3 %#llx",
		   (unsigned long long)r->entry.cr3);
	FUZZ_CHECK(!strcmp(guest_str(rd32(zp + 0x228)), CMDLINE), "bzImage command line");
	FUZZ_CHECK(rd32(zp + 0x218) == r->initrd_start && rd32(zp + 0x21c) == r->initrd_size,
		   "bzImage ramdisk %#x+%#x", rd32(zp + 0x218), rd32(zp + 0x21c));
	FUZZ_CHECK(mem.hva[zp + 0x1e8] == 5, "bzImage e820 entries %u", mem.hva[zp + 0x1e8]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot_file files[2] = {
		{ .role = "kernel", .path = "\\vmlinux", .size = size },
		{ .role = "initrd", .path = "\\initrd.img", .data = initrd, .size = INITRD_SIZE },
	};
	struct acpi_platform platform;
	struct loader_result r;
	enum loader_status st;
	uint8_t *copy = malloc(size ? size : 1);	/* exactly the file: ASan sees overreads */

	fuzz_quiet_log();
	if (!mem.hva) {
		mem.hva = calloc(1, RAM_SIZE);
		mem.size = RAM_SIZE;
		for (unsigned i = 0; i < INITRD_SIZE; i++)
			initrd[i] = (uint8_t)(i * 7 + 1);
	}
	memcpy(copy, data, size);
	files[0].data = copy;
	acpi_platform_defaults(&platform, 2);
	st = loader_load(&mem, files, 2, CMDLINE, &platform, &r);
	FUZZ_CHECK(st < LOADER_STATUS_COUNT && loader_status_name(st), "status %d", st);
	if (st != LOADER_OK) {
		FUZZ_CHECK(r.kind == PAYLOAD_NONE, "failure with kind %d", r.kind);
		free(copy);
		return 0;
	}
	/* A payload may load below 1 MiB (layout.h). [image_start, image_end) is the hull of
	 * its segments, which may lie on both sides of the firmware area: that no byte went
	 * over the firmware is checked below by the ACPI tables' checksums. */
	FUZZ_CHECK(r.image_start < r.image_end && r.image_end <= RAM_SIZE,
		   "image [%#llx, %#llx)", (unsigned long long)r.image_start,
		   (unsigned long long)r.image_end);
	FUZZ_CHECK(r.entry.rip >= r.image_start && r.entry.rip < r.image_end,
		   "entry %#llx outside [%#llx, %#llx)", (unsigned long long)r.entry.rip,
		   (unsigned long long)r.image_start, (unsigned long long)r.image_end);
	FUZZ_CHECK(r.initrd_size == INITRD_SIZE && r.initrd_start + r.initrd_size <= RAM_SIZE &&
		   /* a multiboot module follows a low kernel below 1 MiB: not over the firmware */
		   (r.initrd_start + r.initrd_size <= LAYOUT_FIRMWARE_AREA ||
		    r.initrd_start >= LAYOUT_PAYLOAD_MIN) &&
		   (r.initrd_start >= r.image_end || r.initrd_start + r.initrd_size <= r.image_start),
		   "initrd [%#llx, +%#llx), image [%#llx, %#llx)", (unsigned long long)r.initrd_start,
		   (unsigned long long)r.initrd_size, (unsigned long long)r.image_start,
		   (unsigned long long)r.image_end);
	FUZZ_CHECK(!memcmp(mem.hva + r.initrd_start, initrd, INITRD_SIZE), "initrd bytes differ");
	FUZZ_CHECK(r.acpi.rsdp == ACPI_RSDP_ADDR && sum(r.acpi.rsdp, 20) == 0 &&
		   sum(r.acpi.rsdp, 36) == 0, "RSDP checksums");
	check_acpi_tables(r.acpi.rsdp);
	switch (r.kind) {
	case PAYLOAD_PVH: check_pvh(&r); break;
	case PAYLOAD_MULTIBOOT: check_multiboot(&r, files[0].path); break;
	case PAYLOAD_BZIMAGE: check_bzimage(&r); break;
	default: FUZZ_CHECK(0, "success with kind %d", r.kind);
	}
	free(copy);
	return 0;
}
