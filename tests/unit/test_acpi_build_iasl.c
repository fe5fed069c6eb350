/* test_acpi_build_iasl: ACPICA's own disassembler and compiler must accept every table. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "devices/firmware/acpi_platform.h"
#include "tests/unit/capture.h"

/*
 * Each table is written to ACPI_IASL_DIR/<name>.dat and disassembled with `iasl -d`;
 * the .dsl is compiled back with `iasl`. iasl exits 0 even when it finds a bad
 * checksum or a malformed subtable (it says so in its log and in the .dsl), so the
 * logs are searched for its complaint words, and the recompiled table must equal ours
 * except for the checksum and the compiler ID/revision that iasl rewrites. iasl
 * cannot disassemble a bare RSDP, so the RSDP goes the other way: its fields are
 * written as data-table source, compiled by iasl (which computes both checksums) and
 * compared byte for byte. A missing iasl fails the test (tools/install-deps has it).
 */

#define MEM_SIZE (2u << 20)
#define CMD_MAX 1024

static struct guest_mem mem;
static struct acpi_layout layout;

static int setup(void **state)
{
	(void)state;
	struct acpi_platform p;
	mem.size = MEM_SIZE;
	mem.hva = calloc(1, MEM_SIZE);
	if (!mem.hva)
		return -1;
	capture_reset();
	acpi_platform_defaults(&p, 2);
	if (!acpi_build(&mem, &p, &layout))
		return -1;
	if (mkdir(ACPI_IASL_DIR, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(mem.hva);
	return 0;
}

static void path(char *buf, const char *name, const char *ext)
{
	snprintf(buf, CMD_MAX, "%s/%s.%s", ACPI_IASL_DIR, name, ext);
}

static void write_file(const char *name, const char *ext, const void *data, size_t len)
{
	char p[CMD_MAX];
	path(p, name, ext);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Reads a whole file into a malloc'd NUL-terminated buffer. */
static char *read_file(const char *name, const char *ext, size_t *len)
{
	char p[CMD_MAX];
	path(p, name, ext);
	FILE *f = fopen(p, "rb");
	if (!f)
		fail_msg("iasl did not produce %s", p);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

/*
 * Runs iasl with args on DIR/name.<in_ext> from inside DIR, its messages to
 * name.<log_ext>, after removing the name.<out_ext> a previous run left.
 */
static int run_iasl(const char *args, const char *name, const char *in_ext, const char *out_ext,
		    const char *log_ext)
{
	char cmd[CMD_MAX];
	snprintf(cmd, sizeof(cmd), "cd '%s' && rm -f %s.%s && iasl %s %s.%s > %s.%s 2>&1",
		 ACPI_IASL_DIR, name, out_ext, args, name, in_ext, name, log_ext);
	int rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc))
		fail_msg("could not run: %s", cmd);
	return WEXITSTATUS(rc);
}

/* The words iasl uses for every problem it reports, in its log or in the .dsl. */
static const char *complaint(const char *text)
{
	static const char *const words[] = { "Error", "Warning", "Invalid", "Incorrect",
					     "Unknown", "**** " };
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(text, words[i]))
			return words[i];
	return NULL;
}

/*
 * True when iasl disassembles the table and compiles it back to the same bytes; on
 * false, *why says what went wrong. The negative test below feeds it a broken table.
 */
static bool iasl_round_trip(const char *name, const uint8_t *t, uint32_t len, const char **why)
{
	write_file(name, "dat", t, len);
	if (run_iasl("-d", name, "dat", "dsl", "dlog") != 0) {
		*why = "iasl -d failed";
		return false;
	}
	char *log = read_file(name, "dlog", NULL);
	char *dsl = read_file(name, "dsl", NULL);
	const char *word = complaint(log) ? complaint(log) : complaint(dsl);
	free(log);
	free(dsl);
	if (word) {
		*why = "iasl -d complained";
		return false;
	}
	if (run_iasl("", name, "dsl", "aml", "clog") != 0) {
		*why = "iasl could not compile the disassembly";
		return false;
	}
	log = read_file(name, "clog", NULL);
	bool clean = strstr(log, "Compilation successful") &&
		     strstr(log, " 0 Errors, 0 Warnings");
	free(log);
	if (!clean) {
		*why = "iasl compiled the disassembly with errors or warnings";
		return false;
	}
	size_t n;
	uint8_t *aml = (uint8_t *)read_file(name, "aml", &n);
	bool same = n == len;
	for (uint32_t i = 0; same && i < len; i++) {
		bool rewritten = i == 9 || (i >= 28 && i < 36);	/* checksum, compiler ID/rev */
		same = rewritten || aml[i] == t[i];
	}
	free(aml);
	if (!same)
		*why = "the recompiled table differs from ours";
	return same;
}

static const uint8_t *table_at(uint64_t gpa, uint32_t *len)
{
	const uint8_t *t = mem.hva + gpa;
	memcpy(len, t + 4, 4);
	return t;
}

static void check_table(const char *name, uint64_t gpa)
{
	uint32_t len;
	const uint8_t *t = table_at(gpa, &len);
	const char *why = "";
	if (!iasl_round_trip(name, t, len, &why))
		fail_msg("%s: %s (see %s/%s.*)", name, why, ACPI_IASL_DIR, name);
}

static void test_fadt(void **state) { (void)state; check_table("facp", layout.fadt); }
static void test_facs(void **state) { (void)state; check_table("facs", layout.facs); }
static void test_dsdt(void **state) { (void)state; check_table("dsdt", layout.dsdt); }
static void test_madt(void **state) { (void)state; check_table("apic", layout.madt); }
static void test_xsdt(void **state) { (void)state; check_table("xsdt", layout.xsdt); }
static void test_rsdt(void **state) { (void)state; check_table("rsdt", layout.rsdt); }

static void test_rsdp_compiled_by_iasl_is_ours(void **state)
{
	(void)state;
	const uint8_t *r = mem.hva + layout.rsdp;
	uint32_t rsdt, xsdt_lo, xsdt_hi;
	memcpy(&rsdt, r + 16, 4);
	memcpy(&xsdt_lo, r + 24, 4);
	memcpy(&xsdt_hi, r + 28, 4);
	char src[CMD_MAX];
	int n = snprintf(src, sizeof(src),
			 "Signature : \"RSD PTR \"\nChecksum : 00\nOem ID : \"%.6s\"\n"
			 "Revision : %02X\nRSDT Address : %08X\nLength : 00000024\n"
			 "XSDT Address : %08X%08X\nExtended Checksum : 00\nReserved : 000000\n",
			 (const char *)r + 9, r[15], rsdt, xsdt_hi, xsdt_lo);
	write_file("rsdp", "asl", src, (size_t)n);
	assert_int_equal(run_iasl("", "rsdp", "asl", "aml", "clog"), 0);
	char *log = read_file("rsdp", "clog", NULL);
	assert_non_null(strstr(log, " 0 Errors, 0 Warnings"));
	free(log);
	size_t len;
	uint8_t *aml = (uint8_t *)read_file("rsdp", "aml", &len);
	assert_int_equal(len, 36);
	assert_memory_equal(aml, r, 36);
	free(aml);
}

/* The checker must be able to fail: a bad checksum and a zero-length MADT entry. */
static void test_checker_catches_broken_tables(void **state)
{
	(void)state;
	uint32_t len;
	const uint8_t *t = table_at(layout.fadt, &len);
	uint8_t broken[512];
	const char *why = NULL;
	memcpy(broken, t, len);
	broken[9] ^= 1;
	assert_false(iasl_round_trip("broken_facp", broken, len, &why));
	assert_string_equal(why, "iasl -d complained");

	t = table_at(layout.madt, &len);
	memcpy(broken, t, len);
	broken[45] = 0;			/* first subtable's length */
	broken[9] = 0;
	uint8_t s = 0;
	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + broken[i]);
	broken[9] = (uint8_t)(0 - s);	/* checksum right, structure wrong */
	why = NULL;
	assert_false(iasl_round_trip("broken_apic", broken, len, &why));
	assert_non_null(why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fadt),
		cmocka_unit_test(test_facs),
		cmocka_unit_test(test_dsdt),
		cmocka_unit_test(test_madt),
		cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_rsdt),
		cmocka_unit_test(test_rsdp_compiled_by_iasl_is_ours),
		cmocka_unit_test(test_checker_catches_broken_tables),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
