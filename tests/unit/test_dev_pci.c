/* test_dev_pci: configuration mechanism #1, the host bridge's registers, and 0xcf9 resets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/pci_host.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

static struct pci_host pci;
static struct reset_control rc;
static struct fake_resets resets;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	resets = (struct fake_resets){ 0 };
	reset_control_init(&rc, fake_reset, &resets);
	pci_host_init(&pci, &rc);
	return 0;
}

static uint32_t conf_read(unsigned bus, unsigned dev, unsigned fn, unsigned reg, unsigned size)
{
	uint32_t address = PCI_ADDRESS_ENABLE | bus << 16 | dev << 11 | fn << 8 | (reg & 0xfc);
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, address);
	return pci_host_io_ops.read(&pci, (uint16_t)(PCI_CONFIG_DATA + (reg & 3)), size);
}

static void conf_write(unsigned reg, unsigned size, uint32_t value)
{
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, PCI_ADDRESS_ENABLE | (reg & 0xfc));
	pci_host_io_ops.write(&pci, (uint16_t)(PCI_CONFIG_DATA + (reg & 3)), size, value);
}

static void test_host_bridge_identity(void **state)
{
	(void)state;
	assert_int_equal(conf_read(0, 0, 0, 0x00, 4), 0x29c08086u);
	assert_int_equal(conf_read(0, 0, 0, 0x00, 2), 0x8086);
	assert_int_equal(conf_read(0, 0, 0, 0x02, 2), 0x29c0);
	assert_int_equal(conf_read(0, 0, 0, 0x04, 2), PCI_HOST_COMMAND);
	assert_int_equal(conf_read(0, 0, 0, 0x06, 2), 0);	/* status */
	assert_int_equal(conf_read(0, 0, 0, 0x08, 4), 0x06000000u);	/* class, rev 0 */
	assert_int_equal(conf_read(0, 0, 0, 0x0a, 2), 0x0600);	/* Linux's sanity check */
	assert_int_equal(conf_read(0, 0, 0, 0x0e, 1), 0x00);	/* header 0, single function */
	assert_int_equal(conf_read(0, 0, 0, 0x10, 4), 0);	/* no BARs */
	assert_int_equal(conf_read(0, 0, 0, 0x34, 1), 0);	/* no capabilities */
	assert_int_equal(conf_read(0, 0, 0, 0x3d, 1), 0);	/* no interrupt pin */
	assert_int_equal(conf_read(0, 0, 0, 0xfc, 4), 0);
}

static void test_absent_functions_read_all_ones(void **state)
{
	(void)state;
	assert_int_equal(conf_read(0, 0, 1, 0x00, 4), 0xffffffffu);
	assert_int_equal(conf_read(0, 1, 0, 0x00, 2), 0xffff);
	assert_int_equal(conf_read(0, 31, 7, 0x0e, 1), 0xff);
	assert_int_equal(conf_read(1, 0, 0, 0x00, 4), 0xffffffffu);
	assert_int_equal(conf_read(255, 0, 0, 0x00, 4), 0xffffffffu);
	assert_int_equal(pci.stats.absent_reads, 5);
	/* writes to absent functions vanish and do not touch the bridge */
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, PCI_ADDRESS_ENABLE | 1 << 11 | 0x0c);
	pci_host_io_ops.write(&pci, PCI_CONFIG_DATA, 1, 0x55);
	assert_int_equal(conf_read(0, 0, 0, 0x0c, 1), 0);
}

static void test_read_only_and_writable_bytes(void **state)
{
	(void)state;
	conf_write(0x00, 4, 0x12345678);
	conf_write(0x04, 2, 0x0007);
	conf_write(0x08, 4, 0xffffffff);
	assert_int_equal(conf_read(0, 0, 0, 0x00, 4), 0x29c08086u);
	assert_int_equal(conf_read(0, 0, 0, 0x04, 2), PCI_HOST_COMMAND);
	assert_int_equal(conf_read(0, 0, 0, 0x08, 4), 0x06000000u);
	assert_true(capture_contains("hits read-only or absent registers"));
	/* cache line size and interrupt line are scratch bytes; their neighbours are not */
	conf_write(0x0c, 4, 0xaabbcc10);
	assert_int_equal(conf_read(0, 0, 0, 0x0c, 4), 0x10);
	conf_write(0x3d, 1, 0x01);
	conf_write(0x3c, 2, 0x020b);
	assert_int_equal(conf_read(0, 0, 0, 0x3c, 4), 0x0b);
	assert_int_equal(pci.stats.ignored_writes, 6);
}

/* Linux's pci_check_type1: outb(1, 0xcfb); save; outl(0x80000000); read back; restore. */
static void test_address_register_and_linux_probe(void **state)
{
	(void)state;
	pci_host_io_ops.write(&pci, 0xcfb, 1, 0x01);
	uint32_t saved = pci_host_io_ops.read(&pci, PCI_CONFIG_ADDRESS, 4);
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, 0x80000000u);
	assert_int_equal(pci_host_io_ops.read(&pci, PCI_CONFIG_ADDRESS, 4), 0x80000000u);
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, saved);
	assert_int_equal(pci_host_io_ops.read(&pci, PCI_CONFIG_ADDRESS, 4), 0);
	/* reserved bits 30:24 and 1:0 read back as 0 */
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, 0xffffffffu);
	assert_int_equal(pci_host_io_ops.read(&pci, PCI_CONFIG_ADDRESS, 4), 0x80fffffcu);
	assert_true(capture_contains("sets reserved bits"));
	/* narrow accesses to 0xcf8-0xcfb (other than a byte at 0xcf9) are not the register */
	assert_int_equal(pci_host_io_ops.read(&pci, PCI_CONFIG_ADDRESS, 2), 0xffffffffu);
	assert_int_equal(pci_host_io_ops.read(&pci, 0xcfa, 1), 0xffffffffu);
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 1, 0);
	assert_int_equal(pci_host_io_ops.read(&pci, PCI_CONFIG_ADDRESS, 4), 0x80fffffcu);
}

static void test_data_port_offsets_and_bad_cycles(void **state)
{
	(void)state;
	/* byte and word offsets within the dword */
	assert_int_equal(conf_read(0, 0, 0, 0x01, 1), 0x80);
	assert_int_equal(conf_read(0, 0, 0, 0x03, 1), 0x29);
	assert_int_equal(conf_read(0, 0, 0, 0x02, 2), 0x29c0);
	/* straddling the dword: not decoded */
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, PCI_ADDRESS_ENABLE);
	assert_int_equal(pci_host_io_ops.read(&pci, 0xcfd, 4), 0xffffffffu);
	assert_int_equal(pci_host_io_ops.read(&pci, 0xcff, 2), 0xffffffffu);
	/* enable bit clear: no configuration cycle */
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, 0);
	assert_int_equal(pci_host_io_ops.read(&pci, PCI_CONFIG_DATA, 4), 0xffffffffu);
	pci_host_io_ops.write(&pci, PCI_CONFIG_ADDRESS, 4, 0x3c);
	pci_host_io_ops.write(&pci, PCI_CONFIG_DATA, 1, 0x42);
	assert_int_equal(conf_read(0, 0, 0, 0x3c, 1), 0);
	assert_int_equal(pci.stats.undecoded, 4);
	assert_true(capture_contains("is not a configuration cycle"));
}

/* Linux's reboot=pci: SYS_RST, then SYS_RST|RST_CPU. */
static void test_cf9_reset_register(void **state)
{
	(void)state;
	assert_int_equal(pci_host_io_ops.read(&pci, RESET_CF9_PORT, 1), 0);
	pci_host_io_ops.write(&pci, RESET_CF9_PORT, 1, CF9_SYS_RST);
	assert_int_equal(resets.count, 0);
	assert_int_equal(pci_host_io_ops.read(&pci, RESET_CF9_PORT, 1), CF9_SYS_RST);
	pci_host_io_ops.write(&pci, RESET_CF9_PORT, 1, CF9_SYS_RST | CF9_RST_CPU);
	assert_int_equal(resets.count, 1);
	assert_string_equal(resets.source, "0xcf9 hard reset");
	assert_int_equal(pci_host_io_ops.read(&pci, RESET_CF9_PORT, 1), CF9_SYS_RST);	/* RST_CPU reads 0 */
	pci_host_io_ops.write(&pci, RESET_CF9_PORT, 1, CF9_RST_CPU | 0xf1);
	assert_int_equal(resets.count, 2);
	assert_string_equal(resets.source, "0xcf9 soft reset");
	assert_int_equal(reset_cf9_read(&rc), 0);
	assert_true(capture_contains("0xcf9 reserved bits written"));
	assert_int_equal(rc.requests, 2);
}

static void test_port92(void **state)
{
	(void)state;
	assert_int_equal(io_byte_block_ops.read(&rc.port92_io, PORT92, 1), PORT92_A20);
	io_byte_block_ops.write(&rc.port92_io, PORT92, 1, 0x00);	/* A20 off: kept, nothing else */
	assert_int_equal(io_byte_block_ops.read(&rc.port92_io, PORT92, 1), 0);
	assert_int_equal(resets.count, 0);
	io_byte_block_ops.write(&rc.port92_io, PORT92, 1, PORT92_A20 | PORT92_FAST_RESET);
	assert_int_equal(resets.count, 1);
	assert_string_equal(resets.source, "port 0x92 fast reset");
	assert_int_equal(io_byte_block_ops.read(&rc.port92_io, PORT92, 1), PORT92_A20);	/* bit 0 reads 0 */
	assert_true(capture_contains("reset: guest requested a reset through port 0x92"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_host_bridge_identity, setup),
		cmocka_unit_test_setup(test_absent_functions_read_all_ones, setup),
		cmocka_unit_test_setup(test_read_only_and_writable_bytes, setup),
		cmocka_unit_test_setup(test_address_register_and_linux_probe, setup),
		cmocka_unit_test_setup(test_data_port_offsets_and_bad_cycles, setup),
		cmocka_unit_test_setup(test_cf9_reset_register, setup),
		cmocka_unit_test_setup(test_port92, setup),
	};
	return cmocka_run_group_tests_name("dev_pci", tests, NULL, NULL);
}
