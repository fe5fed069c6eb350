/* test_loader_pvh: Linux PVH boot of a built ELF64 fixture, and every way it can be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/firmware/e820.h"
#include "devices/loaders/layout.h"
#include "devices/loaders/loader.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

#define RAM (64 * MiB)
#define INITRD_SIZE (100 * 1024 + 123)

static uint8_t *kernel, *initrd;
static size_t kernel_size;
static struct boot_file files[2];

static int setup(void **state)
{
	(void)state;
	kernel = fixture_load("pvh64.elf", &kernel_size);
	initrd = malloc(INITRD_SIZE);
	for (unsigned i = 0; i < INITRD_SIZE; i++)
		initrd[i] = (uint8_t)(i * 7);
	files[0] = fixture_file("kernel", "\\pvh64.elf", kernel, kernel_size);
	files[1] = fixture_file("initrd", "\\initrd.img", initrd, INITRD_SIZE);
	return vm_setup(RAM, 2);
}

static int teardown(void **state)
{
	free(kernel);
	free(initrd);
	return vm_teardown(state);
}

static enum loader_status load(const char *cmdline, unsigned nfiles, struct loader_result *r)
{
	capture_reset();
	return loader_load(&mem, files, nfiles, cmdline, &platform, r);
}

static void test_start_info(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load("console=ttyS0 quiet", 2, &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_PVH);
	assert_false(r.entry.long_mode);
	assert_int_equal(r.entry.rip, 0x200000);		/* pvh_start, from the note */
	assert_int_equal(r.entry.gprs.r[GPR_RBX], 0x1000);
	assert_int_equal(r.image_start, 0x200000);
	assert_int_equal(r.image_end, 0x204008);		/* data page + 0x3000 bss + 8 */

	assert_int_equal(fx_rd32(&mem, 0x1000), 0x336ec578);	/* magic */
	assert_int_equal(fx_rd32(&mem, 0x1004), 1);		/* version */
	assert_int_equal(fx_rd32(&mem, 0x100C), 1);		/* nr_modules */
	assert_int_equal(fx_rd64(&mem, 0x1010), 0x1040);	/* modlist_paddr */
	assert_int_equal(fx_rd64(&mem, 0x1018), 0x2000);	/* cmdline_paddr */
	assert_int_equal(fx_rd64(&mem, 0x1020), 0xF0000);	/* rsdp_paddr */
	assert_int_equal(fx_rd64(&mem, 0x1028), 0x1080);	/* memmap_paddr */
	assert_int_equal(fx_rd32(&mem, 0x1030), 5);		/* memmap_entries */
	assert_string_equal((char *)mem.hva + 0x2000, "console=ttyS0 quiet");
	assert_memory_equal(mem.hva + 0xF0000, "RSD PTR ", 8);
	assert_true(capture_contains("Linux PVH, image [0x200000, 0x204008), entry 0x200000"));
}

static void test_memmap_is_the_e820_map(void **state)
{
	(void)state;
	struct loader_result r;
	struct e820_map m;
	assert_int_equal(load("", 2, &r), LOADER_OK);
	assert_true(e820_build(RAM, &m));
	for (unsigned i = 0; i < m.n; i++) {
		uint64_t at = 0x1080 + i * 24;
		assert_int_equal(fx_rd64(&mem, at), m.e[i].addr);
		assert_int_equal(fx_rd64(&mem, at + 8), m.e[i].size);
		assert_int_equal(fx_rd32(&mem, at + 16), m.e[i].type);
		assert_int_equal(fx_rd32(&mem, at + 20), 0);
	}
}

static void test_initrd_at_top_of_ram(void **state)
{
	(void)state;
	struct loader_result r;
	assert_int_equal(load("", 2, &r), LOADER_OK);
	uint64_t want = (RAM - INITRD_SIZE) & ~0xFFFull;
	assert_int_equal(r.initrd_start, want);
	assert_int_equal(r.initrd_size, INITRD_SIZE);
	assert_int_equal(fx_rd64(&mem, 0x1040), want);		/* module paddr */
	assert_int_equal(fx_rd64(&mem, 0x1048), INITRD_SIZE);	/* module size */
	assert_memory_equal(mem.hva + want, initrd, INITRD_SIZE);
}

static void test_segments_loaded(void **state)
{
	(void)state;
	struct loader_result r;
	memset(mem.hva + 0x201000, 0xEE, 0x4000);
	assert_int_equal(load("", 1, &r), LOADER_OK);
	assert_memory_equal(mem.hva + 0x201000, "PVH-DATA", 8);
	for (unsigned i = 8; i < 0x3008; i++)
		assert_int_equal(mem.hva[0x201000 + i], 0);		/* bss */
	/* The code: mov $0x336ec578, %eax at the entry. */
	assert_int_equal(mem.hva[0x200000], 0xB8);
	assert_int_equal(fx_rd32(&mem, 0x200001), 0x336ec578);
	/* No initrd: no module. */
	assert_int_equal(fx_rd32(&mem, 0x100C), 0);
	assert_int_equal(fx_rd64(&mem, 0x1010), 0);
	assert_int_equal(r.initrd_size, 0);
}

static void test_quad_note(void **state)
{
	(void)state;
	size_t n;
	uint8_t *k = fixture_load("pvh64_quad.elf", &n);
	struct boot_file f = fixture_file("kernel", "q", k, n);
	struct loader_result r;
	assert_int_equal(loader_load(&mem, &f, 1, "", &platform, &r), LOADER_OK);
	assert_int_equal(r.kind, PAYLOAD_PVH);
	assert_int_equal(r.entry.rip, 0x200000);
	free(k);
}

/* The Xen note's header: namesz 4, descsz 4, type 18, "Xen\0". */
static long xen_note(const uint8_t *k, size_t n, uint32_t descsz)
{
	uint8_t pattern[16] = { 4, 0, 0, 0, (uint8_t)descsz, 0, 0, 0, 18, 0, 0, 0, 'X', 'e', 'n', 0 };
	long at = fixture_find(k, n, pattern, sizeof(pattern));
	assert_true(at > 0);
	return at;
}

static void expect_refused(const uint8_t *k, size_t n, enum loader_status want, const char *log)
{
	struct boot_file f = fixture_file("kernel", "bad", (uint8_t *)k, n);
	struct loader_result r;
	capture_reset();
	assert_int_equal(loader_load(&mem, &f, 1, "", &platform, &r), want);
	assert_int_equal(r.kind, PAYLOAD_NONE);
	if (!capture_contains(log))
		fail_msg("log lacks \"%s\":\n%s", log, capture_buf);
	assert_true(capture_contains(loader_status_name(want)));
}

static void test_bad_note_size(void **state)
{
	(void)state;
	long at = xen_note(kernel, kernel_size, 4);
	kernel[at + 4] = 2;
	expect_refused(kernel, kernel_size, LOADER_ERR_PVH_NOTE, "has 2 bytes (4 or 8 expected)");
}

static void test_entry_outside_image(void **state)
{
	(void)state;
	long at = xen_note(kernel, kernel_size, 4);
	uint32_t entry = 0x300000;
	memcpy(kernel + at + 16, &entry, 4);
	expect_refused(kernel, kernel_size, LOADER_ERR_ENTRY, "entry 0x300000 is outside");
}

static void test_entry_above_4g(void **state)
{
	(void)state;
	size_t n;
	uint8_t *k = fixture_load("pvh64_quad.elf", &n);
	long at = xen_note(k, n, 8);
	uint64_t entry = 0x100200000ull;
	memcpy(k + at + 16, &entry, 8);
	expect_refused(k, n, LOADER_ERR_PVH_NOTE, "above 4 GiB");
	free(k);
}

static void test_elf_without_note(void **state)
{
	(void)state;
	long at = xen_note(kernel, kernel_size, 4);
	kernel[at + 8] = 17;			/* another Xen note type */
	expect_refused(kernel, kernel_size, LOADER_ERR_UNKNOWN_FORMAT, "needs CONFIG_PVH");
}

static void test_initrd_too_large(void **state)
{
	(void)state;
	struct loader_result r;
	/* RAM top 64 MiB; the image ends at 0x204008: 62 MiB does not fit above it. */
	files[1].size = 62 * MiB;
	uint8_t *big = calloc(1, files[1].size);
	files[1].data = big;
	assert_int_equal(load("", 2, &r), LOADER_ERR_INITRD_TOO_LARGE);
	assert_true(capture_contains("does not fit between the kernel's end 0x205000"));
	free(big);
}

static void test_cmdline_too_long(void **state)
{
	(void)state;
	struct loader_result r;
	char *line = malloc(5000);
	memset(line, 'x', 4999);
	line[4999] = 0;
	assert_int_equal(load(line, 1, &r), LOADER_ERR_CMDLINE_TOO_LONG);
	assert_true(capture_contains("command line of 4999 bytes"));
	line[4095] = 0;				/* 4095 characters + NUL: the maximum */
	assert_int_equal(load(line, 1, &r), LOADER_OK);
	free(line);
}

static void test_segment_beyond_ram(void **state)
{
	(void)state;
	struct loader_result r;
	struct guest_mem small = { .hva = mem.hva, .size = 2 * MiB };
	capture_reset();
	assert_int_equal(loader_load(&small, files, 1, "", &platform, &r), LOADER_ERR_SEGMENT_RAM);
	assert_true(capture_contains("beyond the end of guest RAM (0x200000)"));
}

/* Every prefix of the file is refused until its last loadable byte is there; none crashes. */
static void test_every_truncation(void **state)
{
	(void)state;
	struct loader_result r;
	const size_t last_loaded_byte = 0x2008;	/* data segment: offset 0x2000, 8 bytes */
	for (size_t n = 0; n <= kernel_size; n++) {
		uint8_t *copy = malloc(n ? n : 1);	/* exact size: ASan sees any overread */
		memcpy(copy, kernel, n);
		struct boot_file f = fixture_file("kernel", "cut", copy, n);
		capture_reset();
		enum loader_status st = loader_load(&mem, &f, 1, "", &platform, &r);
		if (n < last_loaded_byte)
			assert_int_not_equal(st, LOADER_OK);
		else
			assert_int_equal(st, LOADER_OK);
		free(copy);
	}
}

/* Random corruption of the headers and notes: a defined status every time, no crash. */
static void test_corrupted_headers(void **state)
{
	(void)state;
	struct loader_result r;
	uint8_t *copy = malloc(kernel_size);
	unsigned ok = 0, refused = 0;
	srand(4);
	for (unsigned iter = 0; iter < 3000; iter++) {
		memcpy(copy, kernel, kernel_size);
		for (unsigned k = 0; k < 1 + iter % 4; k++) {
			size_t at = (size_t)rand() % 0x1100;	/* ELF + program headers + notes */
			if (at >= 0x200 && at < 0x1000)
				at = 0x1000 + at % 0x100;
			copy[at] = (uint8_t)rand();
		}
		struct boot_file f = fixture_file("kernel", "fuzz", copy, kernel_size);
		capture_reset();
		enum loader_status st = loader_load(&mem, &f, 1, "", &platform, &r);
		assert_true((unsigned)st < LOADER_STATUS_COUNT);
		if (st == LOADER_OK) {
			assert_true(r.entry.rip >= r.image_start && r.entry.rip < r.image_end);
			ok++;
		} else {
			assert_true(capture_contains("loader: fuzz: "));
			refused++;
		}
	}
	assert_true(ok > 0 && refused > 0);
	free(copy);
}

/* A real vmlinux, when the L1 build has made one: its PVH note and all its segments. */
static const char *real_vmlinux = "build/l1/vmlinux";

static void test_real_vmlinux(void **state)
{
	(void)state;
	size_t n;
	uint8_t *k = fixture_read(real_vmlinux, &n);
	assert_non_null(k);
	struct guest_mem big = fixture_guest_mem(512 * MiB);
	struct boot_file f[2] = { fixture_file("kernel", real_vmlinux, k, n), files[1] };
	struct loader_result r;
	capture_reset();
	assert_int_equal(loader_load(&big, f, 2, "console=ttyS0", &platform, &r), LOADER_OK);
	printf("%s", capture_buf);
	assert_int_equal(r.kind, PAYLOAD_PVH);
	assert_true(r.entry.rip >= r.image_start && r.entry.rip < r.image_end);
	assert_int_equal(r.initrd_start, (512 * MiB - INITRD_SIZE) & ~0xFFFull);
	assert_true(r.image_end <= r.initrd_start);
	free(big.hva);
	free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_start_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memmap_is_the_e820_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_at_top_of_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segments_loaded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quad_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_note_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_outside_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_above_4g, setup, teardown),
		cmocka_unit_test_setup_teardown(test_elf_without_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initrd_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmdline_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segment_beyond_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted_headers, setup, teardown),
	};
	const struct CMUnitTest real[] = {
		cmocka_unit_test_setup_teardown(test_real_vmlinux, setup, teardown),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	FILE *probe = fopen(real_vmlinux, "rb");
	if (!probe) {
		printf("note: no %s: the real-kernel check did not run\n", real_vmlinux);
		return failed;
	}
	fclose(probe);
	return failed + cmocka_run_group_tests_name("real vmlinux", real, NULL, NULL);
}
