/* test_loader_elf: the ELF reader and segment loader on valid, truncated and hostile files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/loaders/elf.h"
#include "devices/loaders/loader_internal.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

#define FILE_SIZE 0x3000

static uint8_t file[FILE_SIZE];

/* The loaders' context: this RAM, and the firmware area no payload byte may cover. */
static struct loader_ctx ctx = {
	.tables = { { 0x9fc00, 0x100000, "the firmware area" } },
	.ntables = 1,
};

static int setup(void **state)
{
	ctx.mem = &mem;
	(void)state;
	return vm_setup(8 * MiB, 1);
}

/* Two loadable segments (text at 2 MiB, data + bss at 2 MiB + 8 KiB) and a note segment. */
static const struct fx_seg two_segs[] = {
	{ ELF_PT_LOAD, 0x1000, 0x200000, 0x100, 0x100, 0x1000 },
	{ ELF_PT_LOAD, 0x2000, 0x202000, 0x10, 0x800, 0x1000 },
};

static uint64_t make(bool is64, const struct fx_seg *segs, unsigned n)
{
	uint64_t end = fixture_elf(file, sizeof(file), is64, is64 ? ELF_EM_X86_64 : ELF_EM_386,
				   0x200000, segs, n);
	memset(file + 0x1000, 0x11, 0x100);
	memset(file + 0x2000, 0x22, 0x10);
	return end;
}

static void test_open_elf64_and_elf32(void **state)
{
	(void)state;
	struct elf_file f;
	struct elf_segment s;
	for (int is64 = 0; is64 <= 1; is64++) {
		make(is64, two_segs, 2);
		assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
		assert_int_equal(f.is64, is64);
		assert_int_equal(f.machine, is64 ? ELF_EM_X86_64 : ELF_EM_386);
		assert_int_equal(f.entry, 0x200000);
		assert_int_equal(f.phnum, 2);
		assert_int_equal(elf_segment(&f, 1, &s), LOADER_OK);
		assert_int_equal(s.type, ELF_PT_LOAD);
		assert_int_equal(s.offset, 0x2000);
		assert_int_equal(s.paddr, 0x202000);
		assert_int_equal(s.filesz, 0x10);
		assert_int_equal(s.memsz, 0x800);
		assert_int_equal(elf_segment(&f, 2, &s), LOADER_ERR_ELF_HEADER);
	}
}

static void expect_open(uint64_t size, enum loader_status want, const char *log)
{
	struct elf_file f;
	capture_reset();
	assert_int_equal(elf_open(&f, file, size), want);
	if (log)
		assert_true(capture_contains(log));
}

static void test_truncated_headers(void **state)
{
	(void)state;
	make(true, two_segs, 2);
	expect_open(0, LOADER_ERR_ELF_TRUNCATED, "shorter than the ELF ident");
	expect_open(15, LOADER_ERR_ELF_TRUNCATED, "shorter than the ELF ident");
	expect_open(63, LOADER_ERR_ELF_TRUNCATED, "shorter than its ELF header");
	/* Header complete, program header table (64 + 2 * 56 bytes) not. */
	expect_open(64 + 56, LOADER_ERR_ELF_TRUNCATED, "runs past the file end");
	make(false, two_segs, 2);
	expect_open(51, LOADER_ERR_ELF_TRUNCATED, "shorter than its ELF header");
	expect_open(52 + 32 + 31, LOADER_ERR_ELF_TRUNCATED, "runs past the file end");
}

static void test_bad_ident(void **state)
{
	(void)state;
	const struct { unsigned at; uint8_t value; } bad[] = {
		{ 0, 0x7e }, { 3, 'G' }, { 4, 0 }, { 4, 3 }, { 5, 2 }, { 6, 0 },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(true, two_segs, 2);
		file[bad[i].at] = bad[i].value;
		expect_open(sizeof(file), LOADER_ERR_ELF_HEADER, "ELF: ");
	}
}

static void test_bad_program_header_table(void **state)
{
	(void)state;
	uint16_t v;
	uint64_t off;

	make(true, two_segs, 2);
	v = 32;					/* ELF32 phentsize in an ELF64 file */
	memcpy(file + 54, &v, 2);
	expect_open(sizeof(file), LOADER_ERR_ELF_HEADER, "program headers of 32 bytes");

	make(true, two_segs, 2);
	v = 0xFFFF;				/* PN_XNUM */
	memcpy(file + 56, &v, 2);
	expect_open(sizeof(file), LOADER_ERR_ELF_HEADER, "65535 program headers");

	make(true, two_segs, 2);
	off = UINT64_MAX - 8;			/* phoff + size wraps around */
	memcpy(file + 32, &off, 8);
	expect_open(sizeof(file), LOADER_ERR_ELF_TRUNCATED, "runs past the file end");

	make(true, two_segs, 2);
	v = 1000;				/* 56000 bytes of headers in a 12 KiB file */
	memcpy(file + 56, &v, 2);
	expect_open(sizeof(file), LOADER_ERR_ELF_TRUNCATED, "1000 entries");
}

static void test_segment_outside_file(void **state)
{
	(void)state;
	struct elf_file f;
	struct elf_segment s;
	const struct fx_seg past_end[] = { { ELF_PT_LOAD, 0x2F00, 0x200000, 0x200, 0x200, 0 } };
	const struct fx_seg wraps[] = { { ELF_PT_LOAD, UINT64_MAX - 0xF, 0x200000, 0x20, 0x20, 0 } };

	make(true, past_end, 1);
	assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
	capture_reset();
	assert_int_equal(elf_segment(&f, 0, &s), LOADER_ERR_SEGMENT_FILE);
	assert_true(capture_contains("run past the file end"));
	make(true, wraps, 1);
	assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
	assert_int_equal(elf_segment(&f, 0, &s), LOADER_ERR_SEGMENT_FILE);
}

static const uint32_t xen_entry = 0x200010;

/* A PT_NOTE segment at 0x1800 holding a GNU note and then the Xen note. */
static void make_notes(bool is64, uint64_t align)
{
	const struct fx_seg segs[] = {
		{ ELF_PT_LOAD, 0x1000, 0x200000, 0x100, 0x100, 0x1000 },
		{ ELF_PT_NOTE, 0x1800, 0, 0, 0, align },
	};
	make(is64, segs, 2);
	uint64_t end = fixture_note(file, 0x1800, "GNU", 3, "0123456789abcdef0123", 20);
	end = fixture_note(file, end, "Xen", 18, &xen_entry, 4);
	uint64_t size = end - 0x1800;
	unsigned at = is64 ? 64 + 56 : 52 + 32;	/* second program header */
	if (is64)
		memcpy(file + at + 32, &size, 8);	/* p_filesz */
	else
		memcpy(file + at + 16, &size, 4);
}

static void test_note_found_after_another(void **state)
{
	(void)state;
	struct elf_file f;
	struct elf_note n;
	bool found;
	for (int is64 = 0; is64 <= 1; is64++) {
		make_notes(is64, 4);
		assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
		assert_int_equal(elf_find_note(&f, "Xen", 18, &n, &found), LOADER_OK);
		assert_true(found);
		assert_int_equal(n.descsz, 4);
		uint32_t v;
		memcpy(&v, n.desc, 4);
		assert_int_equal(v, xen_entry);
		assert_int_equal(elf_find_note(&f, "Xen", 17, &n, &found), LOADER_OK);
		assert_false(found);
		assert_int_equal(elf_find_note(&f, "Xe", 18, &n, &found), LOADER_OK);
		assert_false(found);
	}
}

/* With p_align 8, names and descriptors are padded to 8: the 4-padded file misparses. */
static void test_note_alignment_follows_the_segment(void **state)
{
	(void)state;
	struct elf_file f;
	struct elf_note n;
	bool found;
	make_notes(true, 8);
	assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
	enum loader_status st = elf_find_note(&f, "Xen", 18, &n, &found);
	assert_true(st != LOADER_OK || !found);
}

static void test_malformed_notes(void **state)
{
	(void)state;
	struct elf_file f;
	struct elf_note n;
	bool found;
	const uint32_t huge[] = { 0xFFFFFFF0u, 0x100, 0x30 };

	for (unsigned i = 0; i < 3; i++) {
		make_notes(true, 4);
		/* Corrupt the GNU note's namesz, descsz, or both to run past the segment. */
		if (i != 1)
			memcpy(file + 0x1800, &huge[i], 4);
		if (i != 0)
			memcpy(file + 0x1804, &huge[i], 4);
		assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
		capture_reset();
		assert_int_equal(elf_find_note(&f, "Xen", 18, &n, &found), LOADER_ERR_ELF_TRUNCATED);
		assert_false(found);
		assert_true(capture_contains("runs past the segment"));
	}
	/* A note segment whose bytes are outside the file. */
	make_notes(true, 4);
	uint64_t off = FILE_SIZE - 8;
	memcpy(file + 64 + 56 + 8, &off, 8);
	assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
	assert_int_equal(elf_find_note(&f, "Xen", 18, &n, &found), LOADER_ERR_SEGMENT_FILE);
}

static void test_load_copies_and_zeroes(void **state)
{
	(void)state;
	struct elf_file f;
	struct image_span span;
	make(true, two_segs, 2);
	memset(mem.hva + 0x200000, 0xCC, 0x4000);	/* stale contents */
	assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
	assert_int_equal(elf_load_image(&f, &ctx, &span), LOADER_OK);
	assert_int_equal(span.start, 0x200000);
	assert_int_equal(span.end, 0x202800);
	assert_int_equal(span.segments, 2);
	for (unsigned i = 0; i < 0x100; i++)
		assert_int_equal(mem.hva[0x200000 + i], 0x11);
	for (unsigned i = 0x100; i < 0x2000; i++)		/* gap between segments */
		assert_int_equal(mem.hva[0x200000 + i], 0);
	for (unsigned i = 0; i < 0x10; i++)
		assert_int_equal(mem.hva[0x202000 + i], 0x22);
	for (unsigned i = 0x10; i < 0x800; i++)			/* bss */
		assert_int_equal(mem.hva[0x202000 + i], 0);
	assert_int_equal(mem.hva[0x202800], 0xCC);		/* after the image: untouched */
}

static void expect_load(const struct fx_seg *segs, unsigned n, enum loader_status want,
			const char *log)
{
	struct elf_file f;
	struct image_span span;
	make(true, segs, n);
	memset(mem.hva + 0x200000, 0xCC, 0x1000);
	assert_int_equal(elf_open(&f, file, sizeof(file)), LOADER_OK);
	capture_reset();
	assert_int_equal(elf_load_image(&f, &ctx, &span), want);
	assert_true(capture_contains(log));
	assert_int_equal(mem.hva[0x200000], 0xCC);		/* nothing written */
}

static void test_bad_segments_load_nothing(void **state)
{
	(void)state;
	const struct fx_seg filesz_gt_memsz[] = {
		two_segs[0], { ELF_PT_LOAD, 0x2000, 0x202000, 0x20, 0x10, 0 } };
	const struct fx_seg firmware_area[] = {
		two_segs[0], { ELF_PT_LOAD, 0x2000, 0xF8000, 0x10, 0x10, 0 } };
	const struct fx_seg past_ram[] = {
		two_segs[0], { ELF_PT_LOAD, 0x2000, 8 * MiB - 0x8, 0x10, 0x10, 0 } };
	const struct fx_seg wraps[] = {
		two_segs[0], { ELF_PT_LOAD, 0x2000, UINT64_MAX - 0x8, 0x10, 0x10, 0 } };
	const struct fx_seg file_past_end[] = {
		two_segs[0], { ELF_PT_LOAD, 0x2FF0, 0x202000, 0x20, 0x20, 0 } };
	const struct fx_seg none[] = {
		{ ELF_PT_NOTE, 0x1000, 0, 0, 0, 4 }, { ELF_PT_LOAD, 0x2000, 0x202000, 0, 0, 0 } };

	expect_load(filesz_gt_memsz, 2, LOADER_ERR_SEGMENT_FILE, "filesz 0x20 > memsz 0x10");
	expect_load(firmware_area, 2, LOADER_ERR_SEGMENT_OVERLAP,
		    "overlaps the firmware area at [0x9fc00, 0x100000)");
	expect_load(past_ram, 2, LOADER_ERR_SEGMENT_RAM, "beyond the end of guest RAM");
	expect_load(wraps, 2, LOADER_ERR_SEGMENT_RAM, "beyond the end of guest RAM");
	expect_load(file_past_end, 2, LOADER_ERR_SEGMENT_FILE, "run past the file end");
	expect_load(none, 2, LOADER_ERR_NO_SEGMENTS, "no loadable segment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_elf64_and_elf32),
		cmocka_unit_test(test_truncated_headers),
		cmocka_unit_test(test_bad_ident),
		cmocka_unit_test(test_bad_program_header_table),
		cmocka_unit_test(test_segment_outside_file),
		cmocka_unit_test(test_note_found_after_another),
		cmocka_unit_test(test_note_alignment_follows_the_segment),
		cmocka_unit_test(test_malformed_notes),
		cmocka_unit_test(test_load_copies_and_zeroes),
		cmocka_unit_test(test_bad_segments_load_nothing),
	};
	return cmocka_run_group_tests(tests, setup, vm_teardown);
}
