/* portio: the platform's fixed I/O ports and the default for ports nobody decodes. */
#include "guest.h"
#include "bootinfo.h"
#include "fwcfg.h"
#include "pit.h"

const char guest_name[] = "portio";

#define COM1_SCRATCH	0x3ff
#define COM1_LSR	0x3fd
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define PCI_ADDRESS	0xcf8
#define PCI_DATA	0xcfc

/* Ports no PC decodes (between the ISA devices, below any BAR firmware assigns). */
static const uint16_t unused_ports[] = { 0x0f00, 0x1234, 0x7000 };

static void check_unused_ports(void)
{
	struct multi_check m;

	/* Nothing drives the bus on an unclaimed read: it floats to all ones. */
	multi_begin(&m, "unused-port-reads-ones");
	for (unsigned i = 0; i < sizeof(unused_ports) / sizeof(unused_ports[0]); i++) {
		uint16_t p = unused_ports[i];
		uint8_t b = inb(p);
		uint16_t w = inw(p);
		uint32_t l = inl(p);
		multi_case(&m, b == 0xff && w == 0xffff && l == 0xffffffff,
			   "port %#x: %#x %#x %#x", p, b, w, l);
	}
	multi_end(&m);

	multi_begin(&m, "unused-port-write-ignored");
	for (unsigned i = 0; i < sizeof(unused_ports) / sizeof(unused_ports[0]); i++) {
		uint16_t p = unused_ports[i];
		outb(p, 0x5a);
		outl(p, 0xdeadbeef);
		multi_case(&m, inb(p) == 0xff && inl(p) == 0xffffffff, "port %#x kept %#x", p, inl(p));
	}
	multi_end(&m);
}

static uint8_t cmos_read(uint8_t index)
{
	outb(CMOS_INDEX, index);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t index, uint8_t val)
{
	outb(CMOS_INDEX, index);
	outb(CMOS_DATA, val);
}

static bool is_bcd(uint8_t v, uint8_t max)
{
	return (v & 0x0f) <= 9 && (v >> 4) <= 9 && v <= max;
}

/* MC146818: status B says BCD vs binary; D bit 7 says the RAM and time are valid. */
static void check_cmos(void)
{
	uint8_t b = cmos_read(0x0b);
	uint8_t sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);

	report_info("rtc %02x:%02x:%02x status A %#x B %#x", hour, min, sec, cmos_read(0x0a), b);
	report_check(cmos_read(0x0d) & 0x80, "rtc-valid", "status D = %#x, VRT clear", cmos_read(0x0d));
	bool bcd = !(b & 0x04);
	report_check(bcd ? is_bcd(sec, 0x59) && is_bcd(min, 0x59) : sec < 60 && min < 60,
		     "rtc-time-format", "%s mode but seconds %#x minutes %#x",
		     bcd ? "BCD" : "binary", sec, min);

	/* Battery-backed RAM beyond the clock registers keeps what is written. */
	uint8_t saved = cmos_read(0x38);
	cmos_write(0x38, 0x5a);
	uint8_t a = cmos_read(0x38);
	cmos_write(0x38, 0xa5);
	uint8_t c = cmos_read(0x38);
	cmos_write(0x38, saved);
	report_check(a == 0x5a && c == 0xa5, "cmos-ram", "wrote 5a/a5, read %#x/%#x", a, c);
}

static uint32_t pci_read(unsigned dev, unsigned fn, unsigned reg)
{
	outl(PCI_ADDRESS, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xfc));
	return inl(PCI_DATA);
}

/* Configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2): the host bridge at 00:00.0. */
static void check_pci(void)
{
	outl(PCI_ADDRESS, 0x80000000u);
	report_check(inl(PCI_ADDRESS) == 0x80000000u, "pci-address-latch",
		     "CONFIG_ADDRESS read back %#x", inl(PCI_ADDRESS));
	uint32_t id = pci_read(0, 0, 0);
	report_info("host bridge %04x:%04x class %#x", id & 0xffff, id >> 16, pci_read(0, 0, 8) >> 8);
	report_check((id & 0xffff) != 0xffff && (id & 0xffff) != 0, "pci-host-bridge",
		     "00:00.0 vendor/device %#x", id);
	report_check(pci_read(0, 0, 8) >> 16 == 0x0600, "pci-host-bridge-class",
		     "00:00.0 class %#x is not a host bridge", pci_read(0, 0, 8) >> 8);
	report_check(pci_read(0x15, 0, 0) == 0xffffffff, "pci-absent-device",
		     "00:15.0 reads %#x", pci_read(0x15, 0, 0));
}

static void check_uart(void)
{
	outb(COM1_SCRATCH, 0x5a);
	uint8_t a = inb(COM1_SCRATCH);
	outb(COM1_SCRATCH, 0xa5);
	uint8_t b = inb(COM1_SCRATCH);
	report_check(a == 0x5a && b == 0xa5, "uart-scratch", "read %#x/%#x", a, b);
	report_check(inb(COM1_LSR) & 0x20, "uart-thr-empty", "LSR %#x", inb(COM1_LSR));
}

/* Channel 2 counts down once its gate is high (8254 mode 0). */
static void check_pit(void)
{
	pit_ch2_start(0xffff);
	uint16_t first = pit_read_count(2);
	uint16_t second = first;
	for (int i = 0; i < 1000000 && second == first; i++)
		second = pit_read_count(2);
	pit_ch2_stop();
	report_check(second < first, "pit-ch2-counts-down", "count %#x then %#x", first, second);
}

static void check_fwcfg(void)
{
	if (!report_check(fwcfg_present(), "fwcfg-signature", "selector 0 did not read \"QEMU\""))
		return;
	unsigned cpus = fwcfg_read_le(FW_CFG_NB_CPUS, 2);
	uint64_t ram = fwcfg_read_le(FW_CFG_RAM_SIZE, 8);
	report_info("fw_cfg: %u CPUs, RAM %lu MiB", cpus, (unsigned long)(ram >> 20));
	report_check(cpus >= 1 && cpus <= 255, "fwcfg-cpus", "NB_CPUS = %u", cpus);
	if (!bootinfo.has_mem) {
		report_fail("fwcfg-ram-matches-multiboot", "no multiboot memory information");
		return;
	}
	/* mem_upper counts the KiB of contiguous RAM above 1 MiB (below the 4 GiB hole). */
	uint64_t mb_ram = ((uint64_t)bootinfo.mem_upper_kb + 1024) * 1024;
	uint64_t low_ram = ram < 0xb0000000ull ? ram : 0xb0000000ull;
	uint64_t diff = mb_ram > low_ram ? mb_ram - low_ram : low_ram - mb_ram;
	report_check(diff <= 0x100000, "fwcfg-ram-matches-multiboot",
		     "fw_cfg RAM %#lx vs multiboot %#lx", (unsigned long)ram, (unsigned long)mb_ram);
}

/* String port I/O: the registers a REP INS/OUTS leaves behind (SDM Vol. 2, INS, OUTS). */
struct string_io_regs {
	unsigned long mem;	/* rDI for INS, rSI for OUTS */
	unsigned long count;	/* rCX */
};

static struct string_io_regs rep_insb(uint16_t port, void *dst, unsigned long n, bool backwards)
{
	struct string_io_regs r = { (unsigned long)dst, n };

	if (backwards)
		__asm__ volatile("std; rep insb; cld" : "+D"(r.mem), "+c"(r.count) : "d"(port)
				 : "memory", "cc");
	else
		__asm__ volatile("rep insb" : "+D"(r.mem), "+c"(r.count) : "d"(port) : "memory");
	return r;
}

static struct string_io_regs rep_outsb(uint16_t port, const void *src, unsigned long n)
{
	struct string_io_regs r = { (unsigned long)src, n };

	__asm__ volatile("rep outsb" : "+S"(r.mem), "+c"(r.count) : "d"(port) : "memory");
	return r;
}

/*
 * INS and OUTS against devices whose answers are known: the UART scratch register keeps the
 * last byte written, fw_cfg's data port streams an item (zeros past its end). 200 bytes
 * take more than one batch of a hypervisor that emulates REP in slices.
 */
static void check_string_io(void)
{
	static const char text[] = "xyz";
	static uint8_t buf[200];
	struct string_io_regs r;

	r = rep_outsb(COM1_SCRATCH, text, 3);
	uint8_t scratch = inb(COM1_SCRATCH);
	report_check(scratch == 'z' && r.count == 0 && r.mem == (unsigned long)text + 3,
		     "string-outs-uart-scratch", "scratch %#x, rcx %lu, rsi +%ld", scratch, r.count,
		     (long)(r.mem - (unsigned long)text));

	fwcfg_select(FW_CFG_SIGNATURE);
	r = rep_insb(FW_CFG_PORT_DATA, buf, 4, false);
	report_check(buf[0] == 'Q' && buf[1] == 'E' && buf[2] == 'M' && buf[3] == 'U' &&
		     r.count == 0 && r.mem == (unsigned long)buf + 4, "string-ins-fwcfg",
		     "read %02x %02x %02x %02x, rcx %lu, rdi +%ld", buf[0], buf[1], buf[2], buf[3],
		     r.count, (long)(r.mem - (unsigned long)buf));

	/* DF = 1: the first byte goes to the highest address, rDI counts down */
	fwcfg_select(FW_CFG_SIGNATURE);
	r = rep_insb(FW_CFG_PORT_DATA, buf + 3, 4, true);
	report_check(buf[0] == 'U' && buf[1] == 'M' && buf[2] == 'E' && buf[3] == 'Q' &&
		     r.mem == (unsigned long)buf - 1, "string-ins-backwards",
		     "read %02x %02x %02x %02x, rdi %+ld", buf[0], buf[1], buf[2], buf[3],
		     (long)(r.mem - (unsigned long)buf));

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = 0xa5;
	fwcfg_select(FW_CFG_SIGNATURE);
	r = rep_insb(FW_CFG_PORT_DATA, buf, sizeof(buf), false);
	unsigned nonzero_tail = 0;
	for (unsigned i = 4; i < sizeof(buf); i++)
		nonzero_tail += buf[i] != 0;
	report_check(buf[0] == 'Q' && buf[3] == 'U' && nonzero_tail == 0 && r.count == 0 &&
		     r.mem == (unsigned long)buf + sizeof(buf), "string-ins-long",
		     "%u non-zero bytes past the item, rcx %lu, rdi +%ld", nonzero_tail, r.count,
		     (long)(r.mem - (unsigned long)buf));
}

void guest_main(void)
{
	check_unused_ports();
	check_uart();
	check_cmos();
	check_pci();
	check_pit();
	check_fwcfg();
	check_string_io();
	outb(0x80, 0x42);	/* POST code */
	uint8_t back = inb(0x80);
	outb(0x80, 0xa5);
	uint8_t back2 = inb(0x80);
	report_info("port 0x80 reads back %#x after 0x42, %#x after 0xa5", back, back2);
	report_check(back == 0x42 && back2 == 0xa5, "port80-write-accepted",
		     "the POST latch reads back %#x and %#x (want 0x42, 0xa5)", back, back2);
}
