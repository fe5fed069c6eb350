/* test_loader_multiboot_qemu: nestor's multiboot layout against QEMU's own -kernel, byte for byte. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "devices/loaders/loader.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

/*
 * The mbdump fixture, booted by QEMU with -kernel/-initrd/-append, prints EAX, EBX and
 * hex dumps of what QEMU (hw/i386/multiboot.c and its option ROM) put in memory. The
 * same files and strings then go through loader_load(), and the two must agree on
 * every address and byte the kernel can see, except where nestor differs on purpose:
 * the memory map and mem_upper (SeaBIOS's e820 map vs nestor's, docs/loaders.md) and
 * the boot loader name ("qemu" vs "nestor"). QEMU is part of tools/install-deps; its
 * absence fails this test.
 */

#define RAM_MB 32
#define MBQEMU_DIR "build/unit/mbqemu"
#define KERNEL LOADER_FIXTURE_DIR "/mbdump.elf"
#define MODULE MBQEMU_DIR "/mod.bin"
#define SERIAL MBQEMU_DIR "/serial.txt"
#define CMDLINE "foo=bar baz -x"
#define MODULE_SIZE 3001
#define DUMPS 4

struct dump {
	uint32_t addr;
	uint32_t len;
	uint8_t bytes[4096];
};

static uint32_t eax, ebx;
static struct dump dumps[DUMPS];	/* info, module list + strings, module start, mmap */

static void write_module(void)
{
	if (mkdir(MBQEMU_DIR, 0755) != 0 && errno != EEXIST)
		fail_msg("cannot create %s", MBQEMU_DIR);
	FILE *f = fopen(MODULE, "wb");
	assert_non_null(f);
	for (unsigned i = 0; i < MODULE_SIZE; i++)
		fputc((int)((i * 31 + 7) & 0xFF), f);
	fclose(f);
}

static void run_qemu(void)
{
	char cmd[1024];
	remove(SERIAL);
	snprintf(cmd, sizeof(cmd),
		 "timeout 60 qemu-system-x86_64 -machine pc -accel tcg -m %u -nodefaults "
		 "-display none -no-reboot -serial file:%s "
		 "-device isa-debug-exit,iobase=0xf4,iosize=4 "
		 "-kernel %s -initrd %s -append '%s' > %s/qemu.log 2>&1",
		 RAM_MB, SERIAL, KERNEL, MODULE, CMDLINE, MBQEMU_DIR);
	int rc = system(cmd);
	/* mbdump writes 0x10 to the debug-exit port: QEMU exits with (0x10 << 1) | 1. */
	if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 33)
		fail_msg("QEMU did not end through mbdump's debug exit (status %d); see %s/qemu.log",
			 rc == -1 ? -1 : WEXITSTATUS(rc), MBQEMU_DIR);
}

static unsigned hexval(char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
}

static void parse_serial(void)
{
	size_t n;
	char *text = (char *)fixture_read(SERIAL, &n);
	assert_non_null(text);
	text = realloc(text, n + 1);
	text[n] = 0;
	const char *p = strstr(text, "EAX ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "EAX %x\nEBX %x", &eax, &ebx), 2);
	for (unsigned d = 0; d < DUMPS; d++) {
		p = strstr(p, "DUMP ");
		assert_non_null(p);
		assert_int_equal(sscanf(p, "DUMP %x %x", &dumps[d].addr, &dumps[d].len), 2);
		assert_true(dumps[d].len <= sizeof(dumps[d].bytes));
		p = strchr(p, '\n');
		for (uint32_t i = 0; i < dumps[d].len; i++) {
			while (*p == '\n')
				p++;
			dumps[d].bytes[i] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
			p += 2;
		}
		assert_true(!strncmp(p, "\nEND", 4));
	}
	free(text);
}

static int setup(void **state)
{
	(void)state;
	write_module();
	run_qemu();
	parse_serial();
	return 0;
}

static struct loader_result result;

static void load_with_nestor(void)
{
	size_t kn, mn;
	uint8_t *k = fixture_read(KERNEL, &kn), *m = fixture_read(MODULE, &mn);
	assert_non_null(k);
	assert_non_null(m);
	struct boot_file f[2] = { fixture_file("kernel", KERNEL, k, kn),
				  fixture_file("initrd", MODULE, m, mn) };
	assert_int_equal(vm_setup(RAM_MB * MiB, 1), 0);
	assert_int_equal(loader_load(&mem, f, 2, CMDLINE, &platform, &result), LOADER_OK);
	free(k);
	free(m);
}

static void test_registers(void **state)
{
	(void)state;
	load_with_nestor();
	assert_int_equal(result.entry.gprs.r[GPR_RAX], eax);
	assert_int_equal(result.entry.gprs.r[GPR_RBX], ebx);
	vm_teardown(NULL);
}

static void test_information_structure(void **state)
{
	(void)state;
	load_with_nestor();
	const struct dump *d = &dumps[0];
	assert_int_equal(d->addr, 0x9500);
	static const struct { unsigned off; const char *name; } same[] = {
		{ 0, "flags" }, { 4, "mem_lower" }, { 12, "boot_device" }, { 16, "cmdline" },
		{ 20, "mods_count" }, { 24, "mods_addr" }, { 48, "mmap_addr" },
		{ 64, "boot_loader_name" },
	};
	for (unsigned i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		uint32_t q, n = fx_rd32(&mem, d->addr + same[i].off);
		memcpy(&q, d->bytes + same[i].off, 4);
		if (q != n)
			fail_msg("%s: QEMU %#x, nestor %#x", same[i].name, q, n);
	}
	uint32_t q_upper, q_mmap_len;
	memcpy(&q_upper, d->bytes + 8, 4);
	memcpy(&q_mmap_len, d->bytes + 44, 4);
	printf("mem_upper: QEMU %u KiB, nestor %u KiB; mmap: QEMU %u entries, nestor %u\n",
	       q_upper, fx_rd32(&mem, 0x9508), q_mmap_len / 24, fx_rd32(&mem, 0x9500 + 44) / 24);
	vm_teardown(NULL);
}

/* Module list, module command line, kernel command line: identical up to the loader name. */
static void test_modules_and_strings(void **state)
{
	(void)state;
	load_with_nestor();
	const struct dump *d = &dumps[1];
	uint32_t name;
	memcpy(&name, dumps[0].bytes + 64, 4);
	assert_true(name > d->addr && name - d->addr < d->len);
	assert_memory_equal(mem.hva + d->addr, d->bytes, name - d->addr);
	assert_string_equal((const char *)d->bytes + (name - d->addr), "qemu");
	assert_string_equal((const char *)mem.hva + name, "nestor");
	/* The command line QEMU builds: "<kernel file> <append>". */
	uint32_t cmdline;
	memcpy(&cmdline, dumps[0].bytes + 16, 4);
	assert_string_equal((const char *)mem.hva + cmdline, KERNEL " " CMDLINE);
	vm_teardown(NULL);
}

static void test_module_contents(void **state)
{
	(void)state;
	load_with_nestor();
	const struct dump *d = &dumps[2];
	assert_int_equal(result.initrd_start, d->addr);
	assert_memory_equal(mem.hva + d->addr, d->bytes, d->len);
	vm_teardown(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_information_structure),
		cmocka_unit_test(test_modules_and_strings),
		cmocka_unit_test(test_module_contents),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
