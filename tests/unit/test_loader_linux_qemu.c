/* test_loader_linux_qemu: a real Linux booted under QEMU from nestor's loader output, ACPI to poweroff. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "devices/firmware/acpi_tables.h"
#include "devices/loaders/loader.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

/*
 * When the L1 build has produced build/l1/vmlinux (PVH) or build/l1/vmlinuz (bzImage),
 * loader_load() prepares 256 MiB of guest RAM for it with a busybox initramfs whose
 * /init powers off. The replay fixture (a multiboot kernel) then stages that memory in
 * a QEMU q35 machine with 2 CPUs and enters it with loader_load()'s entry state. Linux
 * must accept nestor's RSDP, FADT, MADT and e820 map, bring up both CPUs, run /init and
 * power off through the DSDT's \_S5 and PM1a_CNT. QEMU's ICH9 PM block sits at 0x600
 * like nestor's, but powers off on SLP_TYP 0, so the platform says 0 here; and the
 * BIOS area is ROM in QEMU, so the tables are moved to 0x5000 for this run.
 */

#define RAM (256 * MiB)
#define WORK "build/unit/linuxqemu"
#define ACPI_MOVED 0x5000ull
#define LOW_COPY 0x9F000ull		/* low RAM the replay stages (tables, boot data) */

static const char *const cmdline = "console=ttyS0 panic=-1";

static void sh(const char *cmd)
{
	int rc = system(cmd);
	if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
		fail_msg("failed: %s", cmd);
}

static void make_initramfs(void)
{
	sh("rm -rf " WORK "/root && mkdir -p " WORK "/root/bin && "
	   "cp /bin/busybox " WORK "/root/bin/busybox && "
	   "printf '#!/bin/busybox sh\\n/bin/busybox mkdir /proc\\n"
	   "/bin/busybox mount -t proc proc /proc\\n/bin/busybox echo REPLAY-INIT-OK\\n"
	   "/bin/busybox cat /proc/interrupts\\n/bin/busybox poweroff -f\\n' > " WORK "/root/init && "
	   "chmod +x " WORK "/root/init && "
	   "(cd " WORK "/root && find . | cpio -o -H newc --quiet) > " WORK "/initramfs.cpio");
}

/* The ACPI page moved to ACPI_MOVED with every pointer and checksum redone. */
static uint64_t move_acpi(const struct acpi_layout *l)
{
	uint8_t *to = mem.hva + ACPI_MOVED;
	const int64_t delta = (int64_t)ACPI_MOVED - (int64_t)ACPI_AREA_BASE;
	memcpy(to, mem.hva + ACPI_AREA_BASE, ACPI_AREA_SIZE);
#define AT(gpa) (to + ((gpa) - ACPI_AREA_BASE))
	struct acpi_rsdp *r = (struct acpi_rsdp *)AT(l->rsdp);
	r->rsdt_address += (uint32_t)delta;
	r->xsdt_address += (uint64_t)delta;
	r->checksum = 0;
	r->checksum = (uint8_t)(0 - (uint8_t)(fx_sum(r, 20)));
	r->extended_checksum = 0;
	r->extended_checksum = (uint8_t)(0 - fx_sum(r, 36));
	for (unsigned i = 0; i < 2; i++) {
		uint64_t x;
		uint32_t y;
		memcpy(&x, AT(l->xsdt) + 36 + 8 * i, 8);
		x += (uint64_t)delta;
		memcpy(AT(l->xsdt) + 36 + 8 * i, &x, 8);
		memcpy(&y, AT(l->rsdt) + 36 + 4 * i, 4);
		y += (uint32_t)delta;
		memcpy(AT(l->rsdt) + 36 + 4 * i, &y, 4);
	}
	uint8_t *f = AT(l->fadt);
	uint32_t facs, dsdt;
	memcpy(&facs, f + 36, 4);
	memcpy(&dsdt, f + 40, 4);
	facs += (uint32_t)delta;
	dsdt += (uint32_t)delta;
	uint64_t xdsdt = dsdt;
	memcpy(f + 36, &facs, 4);
	memcpy(f + 40, &dsdt, 4);
	memcpy(f + 140, &xdsdt, 8);
	const uint64_t tables[] = { l->xsdt, l->rsdt, l->fadt };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t *t = AT(tables[i]);
		uint32_t len;
		memcpy(&len, t + 4, 4);
		t[9] = 0;
		t[9] = (uint8_t)(0 - fx_sum(t, len));
	}
#undef AT
	return l->rsdp + (uint64_t)delta;
}

static void put_chunk(FILE *f, uint64_t dst, uint64_t len, unsigned *n)
{
	uint32_t h[2] = { (uint32_t)dst, (uint32_t)len };
	static const uint8_t pad[4];
	fwrite(h, 4, 2, f);
	fwrite(mem.hva + dst, 1, len, f);
	fwrite(pad, 1, (4 - len % 4) % 4, f);
	(*n)++;
}

static void write_replay(const struct loader_result *r, const char *path)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	uint32_t head[4] = { 0x594C5052, 0, r->entry.long_mode, 0 };
	uint64_t regs[5] = { r->entry.rip, r->entry.cr3, r->entry.gprs.r[GPR_RAX],
			     r->entry.gprs.r[GPR_RBX], r->entry.gprs.r[GPR_RSI] };
	fwrite(head, 4, 4, f);
	fwrite(regs, 8, 5, f);
	unsigned n = 0;
	put_chunk(f, 0, LOW_COPY, &n);
	put_chunk(f, r->image_start, r->image_end - r->image_start, &n);
	if (r->initrd_size)
		put_chunk(f, r->initrd_start, r->initrd_size, &n);
	fseek(f, 4, SEEK_SET);
	fwrite(&n, 4, 1, f);
	fclose(f);
}

static void boot(const char *kernel_path, enum payload_kind want)
{
	if (mkdir(WORK, 0755) != 0 && errno != EEXIST)
		fail_msg("cannot create %s", WORK);
	make_initramfs();
	size_t kn, in;
	uint8_t *k = fixture_read(kernel_path, &kn);
	uint8_t *rd = fixture_read(WORK "/initramfs.cpio", &in);
	assert_non_null(k);
	assert_non_null(rd);
	assert_int_equal(vm_setup(RAM, 2), 0);
	platform.s5_slp_typ = 0;		/* QEMU's ICH9: SLP_TYP 0 is soft-off */
	struct boot_file files[2] = { fixture_file("kernel", kernel_path, k, kn),
				      fixture_file("initrd", "initramfs", rd, in) };
	struct loader_result r;
	assert_int_equal(loader_load(&mem, files, 2, cmdline, &platform, &r), LOADER_OK);
	assert_int_equal(r.kind, want);
	uint64_t rsdp = move_acpi(&r.acpi);
	if (want == PAYLOAD_PVH)
		memcpy(mem.hva + 0x1020, &rsdp, 8);	/* hvm_start_info.rsdp_paddr */
	else
		memcpy(mem.hva + 0x3070, &rsdp, 8);	/* boot_params.acpi_rsdp_addr */
	write_replay(&r, WORK "/replay.img");
	free(k);
	free(rd);
	vm_teardown(NULL);

	sh("rm -f " WORK "/serial.txt");
	int rc = system("timeout 300 qemu-system-x86_64 -machine q35 -accel tcg -cpu max -smp 2 "
			"-m 768M -nodefaults -display none -no-reboot -serial file:" WORK "/serial.txt "
			"-device isa-debug-exit,iobase=0xf4,iosize=4 "
			"-kernel " LOADER_FIXTURE_DIR "/replay.elf -initrd " WORK "/replay.img "
			"> " WORK "/qemu.log 2>&1");
	size_t n;
	char *log = (char *)fixture_read(WORK "/serial.txt", &n);
	assert_non_null(log);
	log = realloc(log, n + 1);
	log[n] = 0;
	static const char *const expected[] = {
		"ACPI: RSDP 0x0000000000005000 000024 (v02 NESTOR)",
		"ACPI: FACP 0x",
		"ACPI: APIC 0x",
		"ACPI: DSDT 0x",
		"ACPI: PM-Timer IO Port: 0x608",
		"IOAPIC[0]: apic_id 2, version",
		"ACPI: INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2 high edge)",
		"ACPI: INT_SRC_OVR (bus 0 bus_irq 9 global_irq 9 high level)",
		"ACPI: LAPIC_NMI (acpi_id[0xff] high edge lint[0x1])",
		"smp: Brought up 1 node, 2 CPUs",
		"ACPI: PM: (supports S0 S5)",
		"REPLAY-INIT-OK",
		"IO-APIC   2-edge      timer",
		"IO-APIC   9-fasteoi   acpi",
		"reboot: Power down",
	};
	/* What Linux says about tables it does not like. */
	static const char *const forbidden[] = {
		"ACPI Error", "ACPI Warning", "ACPI BIOS Error", "ACPI BIOS Warning",
		"[Firmware Bug]", "[Firmware Warn]", "Kernel panic",
	};
	const char *missing = NULL, *found = NULL;
	for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]) && !missing; i++)
		if (!strstr(log, expected[i]))
			missing = expected[i];
	for (unsigned i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]) && !found; i++)
		if (strstr(log, forbidden[i]))
			found = forbidden[i];
	free(log);
	if (missing)
		fail_msg("serial log lacks \"%s\" (QEMU status %d); see %s/serial.txt", missing,
			 rc, WORK);
	if (found)
		fail_msg("serial log has \"%s\"; see %s/serial.txt", found, WORK);
}

static void test_pvh_vmlinux(void **state)
{
	(void)state;
	boot("build/l1/vmlinux", PAYLOAD_PVH);
}

static void test_bzimage(void **state)
{
	(void)state;
	boot("build/l1/vmlinuz", PAYLOAD_BZIMAGE);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

int main(void)
{
	struct CMUnitTest tests[2];
	size_t n = 0;
	if (exists("build/l1/vmlinux"))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_pvh_vmlinux);
	if (exists("build/l1/vmlinuz"))
		tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_bzimage);
	if (!n) {
		printf("note: no build/l1/vmlinux or build/l1/vmlinuz: the Linux boot check did not run\n");
		return 0;
	}
	return _cmocka_run_group_tests("linux under qemu", tests, n, NULL, NULL);
}
