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

void guest_main(void)
{
	check_unused_ports();
	check_uart();
	check_cmos();
	check_pci();
	check_pit();
	check_fwcfg();
	outb(0x80, 0x42);	/* POST code: accepted and forgotten, the guest goes on */
	report_pass("port80-write-accepted");
}
