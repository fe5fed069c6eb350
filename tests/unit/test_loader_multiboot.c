/* test_loader_multiboot: multiboot v1 kernels (ELF32, a.out kludge, elf32-i386 containers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/loaders/loader.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

#define RAM (32 * MiB)
#define MODULE_SIZE 5000
#define MBI 0x9500

static uint8_t module_data[MODULE_SIZE];

static int setup(void **state)
{
	(void)state;
	for (unsigned i = 0; i < MODULE_SIZE; i++)
		module_data[i] = (uint8_t)(i ^ 0x5A);
	return vm_setup(RAM, 1);
}

static enum loader_status load_buf(uint8_t *k, size_t n, const char *path, bool with_module,
				   const char *cmdline, struct loader_result *r)
{
	struct boot_file f[2] = {
		fixture_file("kernel", path, k, n),
		fixture_file("initrd", "\\initrd.img", module_data, MODULE_SIZE),
	};
	capture_reset();
	return loader_load(&mem, f, with_module ? 2 : 1, cmdline, &platform, r);
}

static enum loader_status load_fixture(const char *name, const char *path, bool with_module,
				       const char *cmdline, struct loader_result *r)
{
	size_t n;
	uint8_t *k = fixture_load(name, &n);
	enum loader_status st = load_buf(k, n, path, with_module, cmdline, r);
	free(k);
	return st;
}

static const char *str(uint64_t gpa)
{
	assert_true(gpa > 0 && gpa < RAM);
	return (const char *)mem.hva + gpa;
}

static void test_elf32_info_structure(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load_fixture("mb32.elf", "\\mb32.elf", true, "foo=bar", &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_MULTIBOOT);
	assert_false(r.entry.long_mode);
	assert_int_equal(r.entry.rip, 0x10000C);			/* mb_start */
	assert_int_equal(r.entry.gprs.r[GPR_RAX], 0x2BADB002);
	assert_int_equal(r.entry.gprs.r[GPR_RBX], MBI);
	assert_int_equal(r.image_start, 0x100000);
	assert_int_equal(r.image_end, 0x103009);

	assert_int_equal(fx_rd32(&mem, MBI + 0), 0x24F);		/* flags */
	assert_int_equal(fx_rd32(&mem, MBI + 4), 639);			/* mem_lower */
	assert_int_equal(fx_rd32(&mem, MBI + 8), (RAM - MiB) / 1024);	/* mem_upper */
	assert_int_equal(fx_rd32(&mem, MBI + 12), 0x8000FFFF);		/* boot_device */
	assert_string_equal(str(fx_rd32(&mem, MBI + 16)), "\\mb32.elf foo=bar");
	assert_int_equal(fx_rd32(&mem, MBI + 20), 1);			/* mods_count */
	assert_int_equal(fx_rd32(&mem, MBI + 44), 5 * 24);		/* mmap_length */
	assert_int_equal(fx_rd32(&mem, MBI + 48), 0x9000);		/* mmap_addr */
	assert_string_equal(str(fx_rd32(&mem, MBI + 64)), "nestor");
	assert_true(capture_contains("multiboot, image [0x100000, 0x103009)"));
}

/* QEMU's layout: module list at base + page_up(image size), strings, then the module. */
static void test_module_layout_matches_qemu(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load_fixture("mb32.elf", "\\mb32.elf", true, "foo=bar", &r), LOADER_OK);
	uint32_t mods = fx_rd32(&mem, MBI + 24);
	assert_int_equal(mods, 0x104000);
	uint32_t start = fx_rd32(&mem, mods), end = fx_rd32(&mem, mods + 4);
	assert_int_equal(start, 0x105000);
	assert_int_equal(end, 0x105000 + MODULE_SIZE);
	assert_int_equal(fx_rd32(&mem, mods + 12), 0);
	/* Strings: the module's name, then the kernel's command line, then the loader name. */
	assert_int_equal(fx_rd32(&mem, mods + 8), 0x104010);
	assert_string_equal(str(0x104010), "\\initrd.img");
	assert_int_equal(fx_rd32(&mem, MBI + 16), 0x104010 + sizeof("\\initrd.img"));
	assert_int_equal(fx_rd32(&mem, MBI + 64),
			 0x104010 + sizeof("\\initrd.img") + sizeof("\\mb32.elf foo=bar"));
	assert_memory_equal(mem.hva + start, module_data, MODULE_SIZE);
	assert_int_equal(r.initrd_start, 0x105000);
	assert_int_equal(r.initrd_size, MODULE_SIZE);
}

static void test_mmap_entries(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load_fixture("mb32.elf", "k", false, "", &r), LOADER_OK);
	/* size 20, base 0, length 0x9FC00, type 1; the third: 1 MiB up to the end of RAM. */
	assert_int_equal(fx_rd32(&mem, 0x9000), 20);
	assert_int_equal(fx_rd64(&mem, 0x9004), 0);
	assert_int_equal(fx_rd64(&mem, 0x900C), 0x9FC00);
	assert_int_equal(fx_rd32(&mem, 0x9014), 1);
	assert_int_equal(fx_rd64(&mem, 0x9000 + 48 + 4), MiB);
	assert_int_equal(fx_rd64(&mem, 0x9000 + 48 + 12), RAM - MiB);
	assert_int_equal(fx_rd32(&mem, 0x9000 + 48 + 20), 1);
}

static void test_no_module_and_empty_cmdline(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load_fixture("mb32.elf", "\\mb32.elf", false, "", &r), LOADER_OK);
	assert_int_equal(fx_rd32(&mem, MBI + 20), 0);
	assert_int_equal(fx_rd32(&mem, MBI + 24), 0x104000);	/* QEMU sets it regardless */
	/* QEMU formats "%s %s": the file name and a space even with no -append. */
	assert_string_equal(str(fx_rd32(&mem, MBI + 16)), "\\mb32.elf ");
	assert_int_equal(r.initrd_size, 0);
}

static void test_elf_segments_loaded(void **state)
{
	(void)state;
	struct loader_result r;
	memset(mem.hva + 0x101000, 0xEE, 0x3000);
	assert_int_equal(load_fixture("mb32.elf", "k", false, "", &r), LOADER_OK);
	assert_int_equal(fx_rd32(&mem, 0x100000), 0x1BADB002);
	assert_memory_equal(mem.hva + 0x101000, "MB32-DATA", 9);
	for (unsigned i = 9; i < 0x2009; i++)
		assert_int_equal(mem.hva[0x101000 + i], 0);
}

static void test_aout_kludge(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("mb_aout.bin", &n);
	memset(mem.hva + 0x100000, 0xEE, 0x3000);
	assert_int_equal(load_buf(k, n, "\\aout", false, "x", &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_MULTIBOOT);
	assert_int_equal(r.image_start, 0x100000);
	assert_int_equal(r.image_end, 0x101840);		/* bss_end_addr */
	assert_int_equal(r.entry.rip, 0x100024);		/* entry_addr */
	assert_memory_equal(mem.hva + 0x100000, k, 0x40);	/* load_end_addr - load_addr */
	for (unsigned i = 0x40; i < 0x1840; i++)
		assert_int_equal(mem.hva[0x100000 + i], 0);
	assert_int_equal(fx_rd32(&mem, MBI + 24), 0x102000);
	free(k);
}

/* kvm-unit-tests' x86_64 tests: 64-bit code shipped as an ELF32 i386 file. */
static void test_elf32_container_of_64bit_code(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load_fixture("mb64_elf32.elf", "\\x86\\apic.flat", false, "-smp 2", &r),
			 LOADER_OK);
	assert_int_equal(r.entry.rip, 0x4000BC);
	assert_memory_equal(mem.hva + 0x401000, "MB64-DATA", 9);
	/* cmp $imm32, %eax (5 bytes), jmp rel8 (2), then REX.W B8 imm64. */
	assert_int_equal(fx_rd64(&mem, 0x4000BC + 5 + 2 + 2), 0x1122334455667788ull);
	assert_string_equal(str(fx_rd32(&mem, MBI + 16)), "\\x86\\apic.flat -smp 2");
}

static void test_elf64_refused_like_qemu(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load_fixture("mb64.elf", "k", false, "", &r), LOADER_ERR_ELF_MACHINE);
	assert_true(capture_contains("objcopy -O elf32-i386"));
	assert_int_equal(r.kind, PAYLOAD_NONE);
}

static void test_module_too_large(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("mb32.elf", &n);
	/* The module goes at 0x105000: 31 MiB of it end past 32 MiB of RAM, 30 MiB do not. */
	uint8_t *big = calloc(1, RAM - MiB);
	struct boot_file f[2] = {
		fixture_file("kernel", "k", k, n),
		fixture_file("initrd", "big", big, RAM - MiB),
	};
	capture_reset();
	assert_int_equal(loader_load(&mem, f, 2, "", &platform, &r), LOADER_ERR_INITRD_TOO_LARGE);
	assert_true(capture_contains("runs past the end of guest RAM"));
	f[1].size = 1ull << 40;				/* larger than RAM */
	assert_int_equal(loader_load(&mem, f, 2, "", &platform, &r), LOADER_ERR_INITRD_TOO_LARGE);
	f[1].size = RAM - 2 * MiB;			/* fits */
	assert_int_equal(loader_load(&mem, f, 2, "", &platform, &r), LOADER_OK);
	free(big);
	free(k);
}

/* A flat a.out-kludge kernel: header at `off` with the given address fields. */
struct aout {
	uint32_t off, header, load, load_end, bss_end, entry;
};

static uint8_t *make_aout(const struct aout *a, size_t n)
{
	uint8_t *k = calloc(1, n);
	uint32_t h[8] = { 0x1BADB002, 0x10000, (uint32_t)-(0x1BADB002 + 0x10000), a->header,
			  a->load, a->load_end, a->bss_end, a->entry };
	memcpy(k + a->off, h, n - a->off < sizeof(h) ? n - a->off : sizeof(h));
	return k;
}

static void expect_aout(const struct aout *a, size_t n, enum loader_status want, const char *log)
{
	struct loader_result r;
	uint8_t *k = make_aout(a, n);
	enum loader_status st = load_buf(k, n, "aout", false, "", &r);
	if (st != want || !capture_contains(log))
		fail_msg("status %d (want %d), log:\n%s", st, want, capture_buf);
	free(k);
}

static void test_aout_fields_checked(void **state)
{
	(void)state;
	const uint32_t L = 0x200000;
	/* The reference: header at file offset 64, so load_addr = header_addr - 64. */
	const struct aout good = { 64, L + 64, L, L + 0x1000, L + 0x2000, L + 100 };
	expect_aout(&good, 0x1000, LOADER_OK, "multiboot, image [0x200000, 0x202000)");

	struct aout a = good;
	a.load = a.header + 4;
	expect_aout(&a, 0x1000, LOADER_ERR_MULTIBOOT_HEADER, "before the file start");
	a = good;
	a.load = a.header - 128;			/* would start 64 bytes before the file */
	expect_aout(&a, 0x1000, LOADER_ERR_MULTIBOOT_HEADER, "before the file start");
	a = good;
	a.load_end = L - 4;
	expect_aout(&a, 0x1000, LOADER_ERR_MULTIBOOT_HEADER, "is not all there");
	a = good;
	a.load_end = L + 0x1001;			/* one byte more than the file */
	expect_aout(&a, 0x1000, LOADER_ERR_MULTIBOOT_HEADER, "is not all there");
	a = good;
	a.bss_end = L + 0xFFF;
	expect_aout(&a, 0x1000, LOADER_ERR_MULTIBOOT_HEADER, "below the loaded end");
	a = good;
	a.entry = L + 0x2000;
	expect_aout(&a, 0x1000, LOADER_ERR_ENTRY, "entry 0x202000 is outside");
	/* load_end 0: the rest of the file; bss_end 0: no bss. */
	a = good;
	a.load_end = 0;
	a.bss_end = 0;
	expect_aout(&a, 0x1000, LOADER_OK, "multiboot, image [0x200000, 0x201000)");
	/* The header itself cut off by the end of the file. */
	a = good;
	expect_aout(&a, 64 + 20, LOADER_ERR_MULTIBOOT_HEADER, "cut off by the file end");
	/* Loaded into the firmware area, or past the end of RAM. */
	const struct aout bios = { 64, 0x9f040, 0x9f000, 0xa0000, 0, 0x9f040 };
	expect_aout(&bios, 0x1000, LOADER_ERR_SEGMENT_OVERLAP,
		    "overlaps the firmware area (EBDA, VGA hole, ROM area, ACPI tables)");
	const struct aout high = { 64, RAM - 0x800 + 64, RAM - 0x800, 0, 0, RAM - 0x800 + 64 };
	expect_aout(&high, 0x1000, LOADER_ERR_SEGMENT_RAM, "beyond the end of guest RAM");
}

/*
 * Below 1 MiB (real-mode test kernels): the kernel loads where it asks; the memory map and
 * information structure go to QEMU's 0x9000 when that is free, else to a free page.
 */
static struct loader_result load_low(uint32_t load, uint32_t size, uint32_t bss_end)
{
	struct loader_result r;
	const struct aout a = { 64, load + 64, load, load + size, bss_end, load + 64 };
	uint8_t *k = make_aout(&a, size);
	memset(mem.hva, 0xcc, MiB);
	enum loader_status st = load_buf(k, size, "\\low", false, "x", &r);
	if (st != LOADER_OK)
		fail_msg("status %d, log:\n%s", st, capture_buf);
	free(k);
	assert_int_equal(r.image_start, load);
	assert_int_equal(fx_rd32(&mem, load + 64), 0x1BADB002);	/* the image is intact */
	return r;
}

static void test_below_1mib(void **state)
{
	(void)state;
	struct loader_result r = load_low(0x10000, 0x1000, 0);
	assert_int_equal(r.entry.gprs.r[GPR_RBX], MBI);			/* QEMU's place */
	assert_int_equal(fx_rd32(&mem, MBI + 48), 0x9000);
	/* Over 0x9000: the information moves to the first free page. */
	r = load_low(0x8000, 0x2000, 0);
	assert_int_equal(r.entry.gprs.r[GPR_RBX], 0x1500);
	assert_int_equal(fx_rd32(&mem, 0x1500 + 48), 0x1000);		/* mmap_addr */
	assert_int_equal(fx_rd32(&mem, 0x1000 + 4), 0);		/* first entry: RAM at 0 */
	assert_int_equal(fx_rd32(&mem, 0x1000 + 20), 1);		/* type RAM */
	assert_string_equal(str(fx_rd32(&mem, 0x1500 + 16)), "\\low x");	/* after the image */
	assert_int_equal(fx_rd32(&mem, 0x1500 + 16), 0xa000);
	/* Every low page taken (bss up to the tail's page below the firmware area): from 1 MiB. */
	r = load_low(0x1000, 0x1000, 0x9e000);
	assert_int_equal(r.entry.gprs.r[GPR_RBX], 0x100500);
	assert_int_equal(fx_rd32(&mem, 0x100500 + 48), 0x100000);
	assert_int_equal(fx_rd32(&mem, 0x100500 + 16), 0x9e000);	/* the tail's cmdline */
	/* The ACPI tables are still where the firmware put them. */
	assert_memory_equal(mem.hva + 0xf0000, "RSD PTR ", 8);
}

static void test_header_search_window(void **state)
{
	(void)state;
	const uint32_t L = 0x200000;
	/* The last offset QEMU looks at is 8140 (it stops below 8192 - 48). */
	struct aout a = { 8140, L + 8140, L, 0, 0, L + 8140 };
	expect_aout(&a, 9000, LOADER_OK, "multiboot");
	a = (struct aout){ 8144, L + 8144, L, 0, 0, L + 8144 };
	expect_aout(&a, 9000, LOADER_ERR_UNKNOWN_FORMAT, "not a bzImage, a multiboot kernel");
	a = (struct aout){ 66, L + 66, L, 0, 0, L + 66 };	/* not 4-byte aligned */
	expect_aout(&a, 4096, LOADER_ERR_UNKNOWN_FORMAT, "not a bzImage");
	/* Bad checksum: not a header. */
	struct loader_result r;
	a = (struct aout){ 64, L + 64, L, 0, 0, L + 64 };
	uint8_t *k = make_aout(&a, 4096);
	k[64 + 8] ^= 1;
	assert_int_equal(load_buf(k, 4096, "k", false, "", &r), LOADER_ERR_UNKNOWN_FORMAT);
	free(k);
}

/* Every prefix of each fixture: a status each time, never a crash or an overread. */
static void test_every_truncation(void **state)
{
	(void)state;
	const char *names[] = { "mb32.elf", "mb_aout.bin", "mb64_elf32.elf" };
	for (unsigned i = 0; i < 3; i++) {
		size_t n;
		uint8_t *k = fixture_load(names[i], &n);
		for (size_t len = 0; len <= n; len++) {
			uint8_t *copy = malloc(len ? len : 1);
			memcpy(copy, k, len);
			struct loader_result r;
			enum loader_status st = load_buf(copy, len, "cut", false, "", &r);
			assert_true((unsigned)st < LOADER_STATUS_COUNT);
			if (len == n)
				assert_int_equal(st, LOADER_OK);
			free(copy);
		}
		free(k);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_elf32_info_structure, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_module_layout_matches_qemu, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_mmap_entries, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_no_module_and_empty_cmdline, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_elf_segments_loaded, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_aout_kludge, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_elf32_container_of_64bit_code, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_elf64_refused_like_qemu, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_module_too_large, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_aout_fields_checked, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_below_1mib, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_header_search_window, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_every_truncation, setup, vm_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
