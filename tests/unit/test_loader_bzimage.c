/* test_loader_bzimage: the Linux 64-bit boot protocol on a synthetic bzImage (and a real one if present). */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/firmware/e820.h"
#include "devices/loaders/loader.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

#define RAM (64 * MiB)
#define SETUP_SECTS 3
#define PM_OFFSET ((SETUP_SECTS + 1) * 512)
#define PM_SIZE 0x3000
#define KERNEL_SIZE (PM_OFFSET + PM_SIZE)
#define LOAD 0x1000000ull
#define INIT_SIZE 0x800000u
#define ZP 0x3000

static uint8_t kernel[KERNEL_SIZE];
static uint8_t initrd[7777];

static void put(unsigned at, uint64_t v, unsigned bytes)
{
	memcpy(kernel + at, &v, bytes);
}

/* A bzImage as the kernel's build makes it, as far as a 64-bit loader looks. */
static void make_kernel(void)
{
	memset(kernel, 0, sizeof(kernel));
	put(0x1F1, SETUP_SECTS, 1);
	put(0x1FE, 0xAA55, 2);
	put(0x200, 0x6AEB, 2);			/* jmp short: the header ends at 0x26C */
	memcpy(kernel + 0x202, "HdrS", 4);
	put(0x206, 0x020F, 2);			/* boot protocol 2.15 */
	put(0x211, 0x81, 1);			/* LOADED_HIGH | CAN_USE_HEAP */
	put(0x22C, 0x7FFFFFFF, 4);		/* initrd_addr_max */
	put(0x230, 0x200000, 4);		/* kernel_alignment */
	put(0x234, 1, 1);			/* relocatable */
	put(0x236, 0x3, 2);			/* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
	put(0x238, 2047, 4);			/* cmdline_size */
	put(0x258, LOAD, 8);			/* pref_address */
	put(0x260, INIT_SIZE, 4);		/* init_size */
	put(0x26C, 0xDEADBEEF, 4);		/* past the header: must not be copied */
	for (unsigned i = 0; i < PM_SIZE; i++)
		kernel[PM_OFFSET + i] = (uint8_t)(i * 13 + 1);
}

static int setup(void **state)
{
	(void)state;
	make_kernel();
	for (unsigned i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ 0xA5);
	return vm_setup(RAM, 2);
}

static enum loader_status load(size_t size, bool with_initrd, const char *cmdline,
			       struct loader_result *r)
{
	struct boot_file f[2] = {
		fixture_file("kernel", "\\vmlinuz", kernel, size),
		fixture_file("initrd", "\\initrd.img", initrd, sizeof(initrd)),
	};
	capture_reset();
	return loader_load(&mem, f, with_initrd ? 2 : 1, cmdline, &platform, r);
}

static void test_entry_state(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load(KERNEL_SIZE, true, "console=ttyS0", &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_BZIMAGE);
	assert_true(r.entry.long_mode);
	assert_int_equal(r.entry.rip, LOAD + 0x200);		/* startup_64 */
	assert_int_equal(r.entry.cr3, 0x10000);
	assert_int_equal(r.entry.gprs.r[GPR_RSI], ZP);
	assert_int_equal(r.image_start, LOAD);
	assert_int_equal(r.image_end, LOAD + INIT_SIZE);
	assert_memory_equal(mem.hva + LOAD, kernel + PM_OFFSET, PM_SIZE);
	assert_string_equal((char *)mem.hva + 0x2000, "console=ttyS0");
	assert_true(capture_contains("bzImage, image [0x1000000, 0x1800000), entry 0x1000200 (64-bit)"));
}

static void test_zero_page(void **state)
{
	(void)state;
	struct loader_result r;
	memset(mem.hva + ZP, 0xEE, 0x1000);
	assert_int_equal(load(KERNEL_SIZE, true, "", &r), LOADER_OK);
	const uint8_t *zp = mem.hva + ZP;
	/* The setup header is the file's, but for the fields the loader owns. */
	for (unsigned i = 0x1F1; i < 0x26C; i++) {
		bool loader_field = i == 0x210 || i == 0x211 || (i >= 0x218 && i < 0x220) ||
				    (i >= 0x228 && i < 0x22C);
		if (!loader_field)
			assert_int_equal(zp[i], kernel[i]);
	}
	assert_int_equal(zp[0x210], 0xFF);			/* type_of_loader: undefined */
	assert_int_equal(zp[0x211], 0x01);			/* CAN_USE_HEAP cleared */
	assert_int_equal(fx_rd32(&mem, ZP + 0x228), 0x2000);	/* cmd_line_ptr */
	assert_int_equal(fx_rd32(&mem, ZP + 0x218), r.initrd_start);
	assert_int_equal(fx_rd32(&mem, ZP + 0x21C), sizeof(initrd));
	assert_int_equal(fx_rd32(&mem, ZP + 0x26C), 0);		/* beyond the header: zero */
	assert_int_equal(fx_rd64(&mem, ZP + 0x070), 0xF0000);	/* acpi_rsdp_addr */
	assert_int_equal(zp[0x1EF], 0);				/* sentinel */
	for (unsigned i = 0; i < 0x1E8; i++)
		if (i < 0x70 || i >= 0x78)
			assert_int_equal(zp[i], 0);
	struct e820_map m;
	assert_true(e820_build(RAM, &m));
	assert_int_equal(zp[0x1E8], m.n);
	for (unsigned i = 0; i < m.n; i++) {
		assert_int_equal(fx_rd64(&mem, ZP + 0x2D0 + 20 * i), m.e[i].addr);
		assert_int_equal(fx_rd64(&mem, ZP + 0x2D0 + 20 * i + 8), m.e[i].size);
		assert_int_equal(fx_rd32(&mem, ZP + 0x2D0 + 20 * i + 16), m.e[i].type);
	}
}

static void test_initrd_below_initrd_addr_max(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load(KERNEL_SIZE, true, "", &r), LOADER_OK);
	assert_int_equal(r.initrd_start, (RAM - sizeof(initrd)) & ~0xFFFull);
	assert_memory_equal(mem.hva + r.initrd_start, initrd, sizeof(initrd));
	put(0x22C, 48 * MiB - 1, 4);
	assert_int_equal(load(KERNEL_SIZE, true, "", &r), LOADER_OK);
	assert_int_equal(r.initrd_start, (48 * MiB - sizeof(initrd)) & ~0xFFFull);
	assert_true(r.initrd_start + sizeof(initrd) <= 48 * MiB);
}

/* Walks the loader's page tables the way the MMU would (4-level, 2 MiB pages). */
static uint64_t translate(uint64_t cr3, uint64_t va)
{
	uint64_t pml4e = fx_rd64(&mem, cr3 + ((va >> 39) & 511) * 8);
	assert_true(pml4e & 1);
	uint64_t pdpte = fx_rd64(&mem, (pml4e & ~0xFFFull) + ((va >> 30) & 511) * 8);
	assert_true(pdpte & 1);
	assert_false(pdpte & 0x80);
	uint64_t pde = fx_rd64(&mem, (pdpte & ~0xFFFull) + ((va >> 21) & 511) * 8);
	assert_true((pde & 0x83) == 0x83);			/* present, writable, 2 MiB */
	return (pde & ~0x1FFFFFull) | (va & 0x1FFFFF);
}

static void test_identity_map(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load(KERNEL_SIZE, false, "", &r), LOADER_OK);
	const uint64_t va[] = { 0, 0x3000, LOAD + 0x200, RAM - 1, 0xFEC00000, 0xFEE00300,
				0xFFFFFFFF, 0x80000000 + 0x123456 };
	for (unsigned i = 0; i < sizeof(va) / sizeof(va[0]); i++)
		assert_int_equal(translate(r.entry.cr3, va[i]), va[i]);
	for (unsigned i = 1; i < 512; i++)			/* nothing above 512 GiB */
		assert_int_equal(fx_rd64(&mem, r.entry.cr3 + i * 8), 0);
	for (unsigned i = 4; i < 512; i++)			/* nothing above 4 GiB */
		assert_int_equal(fx_rd64(&mem, r.entry.cr3 + 0x1000 + i * 8), 0);
}

static void test_old_protocol_has_no_rsdp_field(void **state)
{
	(void)state;
	struct loader_result r;
	put(0x206, 0x020C, 2);
	assert_int_equal(load(KERNEL_SIZE, false, "", &r), LOADER_OK);
	assert_int_equal(fx_rd64(&mem, ZP + 0x070), 0);
}

static void expect_refused(size_t size, const char *cmdline, enum loader_status want,
			   const char *log)
{
	struct loader_result r;
	enum loader_status st = load(size, true, cmdline, &r);
	if (st != want || !capture_contains(log))
		fail_msg("status %d (want %d), log:\n%s", st, want, capture_buf);
	assert_int_equal(r.kind, PAYLOAD_NONE);
}

static void test_refusals(void **state)
{
	(void)state;
	put(0x206, 0x020B, 2);
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_BZIMAGE_HEADER, "boot protocol 2.11");
	make_kernel();
	put(0x236, 0x2, 2);
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_BZIMAGE_HEADER, "needs 2.12+ and XLF_KERNEL_64");
	make_kernel();
	put(0x211, 0x80, 1);			/* a zImage: loaded low */
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_BZIMAGE_HEADER, "no 64-bit entry");
	make_kernel();
	expect_refused(0x28F, "", LOADER_ERR_BZIMAGE_HEADER, "cut off inside the setup header");
	put(0x1F1, 30, 1);			/* 31 sectors of setup: more than the file */
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_BZIMAGE_HEADER, "leave no protected-mode kernel");
	make_kernel();
	put(0x258, 0x80000, 8);
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_SEGMENT_OVERLAP, "overlaps the firmware area");
	make_kernel();
	put(0x258, 0x14000, 8);
	put(0x260, 0x1000, 4);
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_SEGMENT_OVERLAP,
		       "overlaps the initial page tables at [0x10000, 0x16000)");
	make_kernel();
	put(0x258, RAM - MiB, 8);
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_SEGMENT_RAM, "beyond the end of guest RAM");
	make_kernel();
	put(0x258, UINT64_MAX - 0x1000, 8);
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_SEGMENT_RAM, "beyond the end of guest RAM");
	make_kernel();
	put(0x260, 60 * MiB, 4);		/* init_size: 16 + 60 MiB > 64 MiB */
	expect_refused(KERNEL_SIZE, "", LOADER_ERR_SEGMENT_RAM, "bzImage kernel");
	make_kernel();
	put(0x238, 10, 4);
	expect_refused(KERNEL_SIZE, "0123456789A", LOADER_ERR_CMDLINE_TOO_LONG, "the 10 this");
	struct loader_result r;
	assert_int_equal(load(KERNEL_SIZE, false, "0123456789", &r), LOADER_OK);
}

static void test_initrd_too_large(void **state)
{
	(void)state;
	/* The kernel needs [16 MiB, 48 MiB): a 17 MiB initrd no longer fits below 64 MiB. */
	put(0x260, 32 * MiB, 4);
	uint8_t *big = calloc(1, 17 * MiB);
	struct boot_file f[2] = {
		fixture_file("kernel", "k", kernel, KERNEL_SIZE),
		fixture_file("initrd", "big", big, 17 * MiB),
	};
	struct loader_result r;
	capture_reset();
	assert_int_equal(loader_load(&mem, f, 2, "", &platform, &r), LOADER_ERR_INITRD_TOO_LARGE);
	assert_true(capture_contains("does not fit between the kernel's end 0x3000000 and 0x4000000"));
	f[1].size = 16 * MiB;
	assert_int_equal(loader_load(&mem, f, 2, "", &platform, &r), LOADER_OK);
	assert_int_equal(r.initrd_start, 48 * MiB);
	free(big);
}

static void test_every_truncation_and_corruption(void **state)
{
	(void)state;
	struct loader_result r;
	for (size_t n = 0; n <= KERNEL_SIZE; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, kernel, n);
		struct boot_file f = fixture_file("kernel", "cut", copy, n);
		capture_reset();
		enum loader_status st = loader_load(&mem, &f, 1, "", &platform, &r);
		assert_true(n > PM_OFFSET + 0x200 ? st == LOADER_OK : st != LOADER_OK);
		free(copy);
	}
	srand(7);
	for (unsigned iter = 0; iter < 3000; iter++) {
		make_kernel();
		for (unsigned k = 0; k < 1 + iter % 3; k++)
			kernel[0x1F1 + rand() % (0x270 - 0x1F1)] = (uint8_t)rand();
		enum loader_status st = load(KERNEL_SIZE, true, "", &r);
		assert_true((unsigned)st < LOADER_STATUS_COUNT);
		if (st == LOADER_OK)
			assert_true(r.entry.rip == r.image_start + 0x200);
	}
}

/* A distribution kernel, when the machine has one: parse and place it, 512 MiB of RAM. */
static const char *real_kernel;

static void test_real_kernel(void **state)
{
	(void)state;
	size_t n;
	uint8_t *k = fixture_read(real_kernel, &n);
	assert_non_null(k);
	struct guest_mem big = fixture_guest_mem(512 * MiB);
	struct boot_file f = fixture_file("kernel", real_kernel, k, n);
	struct loader_result r;
	assert_int_equal(loader_load(&big, &f, 1, "console=ttyS0", &platform, &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_BZIMAGE);
	assert_int_equal(r.entry.rip, r.image_start + 0x200);
	free(big.hva);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry_state, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_zero_page, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_initrd_below_initrd_addr_max, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_identity_map, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_old_protocol_has_no_rsdp_field, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_initrd_too_large, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_every_truncation_and_corruption, setup, vm_teardown),
	};
	const struct CMUnitTest real[] = {
		cmocka_unit_test_setup_teardown(test_real_kernel, setup, vm_teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	glob_t g;
	if (glob("build/l1/vmlinuz", 0, NULL, &g) != 0 && glob("/boot/vmlinuz-*", 0, NULL, &g) != 0) {
		printf("note: no build/l1/vmlinuz or /boot/vmlinuz-*: the real-kernel check did not run\n");
		return failed;
	}
	real_kernel = g.gl_pathv[0];
	printf("real-kernel check with %s\n", real_kernel);
	failed += cmocka_run_group_tests_name("real kernel", real, NULL, NULL);
	globfree(&g);
	return failed;
}
