/* test_loader_dispatch: payload recognition, firmware set-up and the refusals loader_load() reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/loaders/loader.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

#define RAM (32 * MiB)

static int setup(void **state)
{
	(void)state;
	return vm_setup(RAM, 2);
}

static enum loader_status load_files(struct boot_file *f, unsigned n, struct loader_result *r)
{
	capture_reset();
	return loader_load(&mem, f, n, "", &platform, r);
}

static void expect(enum loader_status got, enum loader_status want, const char *log)
{
	if (got != want || !capture_contains(log))
		fail_msg("status %d (want %d), log:\n%s", got, want, capture_buf);
}

static void test_no_kernel(void **state)
{
	(void)state;
	struct loader_result r;
	uint8_t byte = 0;
	struct boot_file f[2] = { fixture_file("initrd", "i", &byte, 1),
				  fixture_file("kernel", "k", NULL, 0) };
	expect(load_files(f, 1, &r), LOADER_ERR_NO_KERNEL, "no kernel file was loaded");
	expect(load_files(f, 2, &r), LOADER_ERR_NO_KERNEL, "loader: k: no kernel file");
	expect(load_files(NULL, 0, &r), LOADER_ERR_NO_KERNEL, "(no kernel): no kernel file");
	assert_int_equal(r.kind, PAYLOAD_NONE);
}

static void test_unknown_formats(void **state)
{
	(void)state;
	struct loader_result r;
	uint8_t junk[300];
	for (unsigned i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37);
	struct boot_file f = fixture_file("kernel", "\\junk", junk, sizeof(junk));
	expect(load_files(&f, 1, &r), LOADER_ERR_UNKNOWN_FORMAT,
	       "\\junk is not a bzImage, a multiboot kernel or an ELF file");
	f.size = 0;
	expect(load_files(&f, 1, &r), LOADER_ERR_UNKNOWN_FORMAT, "is not a bzImage");
	/* An ELF executable with no multiboot header and no PVH note. */
	uint8_t elf[0x2000];
	const struct fx_seg seg[] = { { 1, 0x1000, 0x200000, 0x10, 0x10, 0x1000 } };
	fixture_elf(elf, sizeof(elf), true, 62, 0x200000, seg, 1);
	f = fixture_file("kernel", "\\plain.elf", elf, sizeof(elf));
	expect(load_files(&f, 1, &r), LOADER_ERR_UNKNOWN_FORMAT,
	       "neither a multiboot header nor a PVH entry note");
}

static void test_guest_ram_sizes(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("mb32.elf", &n);
	struct boot_file f = fixture_file("kernel", "k", k, n);
	struct guest_mem small = { .hva = mem.hva, .size = MiB };
	capture_reset();
	expect(loader_load(&small, &f, 1, "", &platform, &r), LOADER_ERR_MEMORY, "is not supported");
	/* The largest guest: 3 GiB, RAM reported up to its end. */
	struct guest_mem large = fixture_guest_mem(3072 * MiB);
	assert_non_null(large.hva);
	capture_reset();
	assert_int_equal(loader_load(&large, &f, 1, "", &platform, &r), LOADER_OK);
	assert_int_equal(fx_rd32(&large, 0x9500 + 8), 3071 * 1024);	/* mem_upper */
	free(large.hva);
	free(k);
}

static void test_bad_platform(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("mb32.elf", &n);
	struct boot_file f = fixture_file("kernel", "k", k, n);
	platform.ncpus = 0;
	expect(load_files(&f, 1, &r), LOADER_ERR_FIRMWARE, "firmware tables not written");
	free(k);
}

/* Low memory is nestor's: zero but for the tables, whatever was there before. */
static void test_low_memory_is_zeroed(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("mb32.elf", &n);
	struct boot_file f = fixture_file("kernel", "k", k, n);
	memset(mem.hva, 0xAA, MiB);
	assert_int_equal(load_files(&f, 1, &r), LOADER_OK);
	for (uint64_t a = 0; a < 0x9000; a++)
		assert_int_equal(mem.hva[a], 0);
	assert_int_equal(fx_rd32(&mem, 0x40E), 0);		/* no EBDA segment */
	for (uint64_t a = 0xA000; a < 0xF0000; a++)
		assert_int_equal(mem.hva[a], 0);
	assert_memory_equal(mem.hva + 0xF0000, "RSD PTR ", 8);
	assert_int_equal(r.acpi.rsdp, 0xF0000);
	free(k);
}

/* QEMU's order: "HdrS" before multiboot, multiboot before a PVH note. */
static void test_recognition_order(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("pvh64.elf", &n);
	/* A multiboot header (ELF path) inside the PVH ELF64: multiboot wins and refuses ELF64. */
	const uint32_t mb[3] = { 0x1BADB002, 0, (uint32_t)-0x1BADB002 };
	memcpy(k + 0x1800, mb, sizeof(mb));
	struct boot_file f = fixture_file("kernel", "both", k, n);
	expect(load_files(&f, 1, &r), LOADER_ERR_ELF_MACHINE, "multiboot: the kernel is an ELF64");
	/* "HdrS" at 0x202 wins over both. */
	memcpy(k + 0x202, "HdrS", 4);
	expect(load_files(&f, 1, &r), LOADER_ERR_BZIMAGE_HEADER, "bzImage: boot protocol");
	free(k);
}

static void test_files_found_by_role(void **state)
{
	(void)state;
	struct loader_result r;
	size_t n;
	uint8_t *k = fixture_load("pvh64.elf", &n);
	uint8_t rd[100] = { 1, 2, 3 };
	struct boot_file f[3] = {
		fixture_file("initrd", "\\rd", rd, sizeof(rd)),
		fixture_file("other", "\\x", rd, 1),
		fixture_file("kernel", "\\vmlinux", k, n),
	};
	assert_int_equal(load_files(f, 3, &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_PVH);
	assert_int_equal(r.initrd_size, sizeof(rd));
	assert_true(capture_contains("loader: initrd \\rd at [0x1fff000, +0x64)"));
	free(k);
}

static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < LOADER_STATUS_COUNT; i++) {
		assert_non_null(loader_status_name(i));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(loader_status_name(i), loader_status_name(j));
	}
	assert_string_equal(loader_status_name(LOADER_STATUS_COUNT), "invalid status");
	assert_string_equal(loader_status_name((enum loader_status)-1), "invalid status");
	assert_string_equal(payload_kind_name(PAYLOAD_PVH), "Linux PVH");
	assert_string_equal(payload_kind_name(PAYLOAD_MULTIBOOT), "multiboot");
	assert_string_equal(payload_kind_name(PAYLOAD_BZIMAGE), "bzImage");
	assert_string_equal(payload_kind_name(PAYLOAD_NONE), "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_kernel, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_formats, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_guest_ram_sizes, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_bad_platform, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_low_memory_is_zeroed, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_recognition_order, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_files_found_by_role, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, vm_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
