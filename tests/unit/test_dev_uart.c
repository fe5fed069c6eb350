/* test_dev_uart: the 16550A model: reset values, DLAB, THRE semantics, priorities, FIFO, loopback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/uart16550.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

#define BASE 0x3f8
#define IRQ  4

static struct uart16550 uart;
static struct fake_irqs irqs;
static struct irq_line_sink sink;
static uint8_t sent[64];
static unsigned nsent;

static void record_tx(void *ctx, uint8_t byte)
{
	(void)ctx;
	if (nsent < sizeof(sent))
		sent[nsent] = byte;
	nsent++;
}

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	sink = fake_irqs_sink(&irqs);
	nsent = 0;
	uart16550_init(&uart, BASE, IRQ, &sink, record_tx, NULL);
	return 0;
}

static uint8_t rd(unsigned reg)
{
	return (uint8_t)io_byte_block_ops.read(&uart.io, (uint16_t)(BASE + reg), 1);
}

static void wr(unsigned reg, uint8_t value)
{
	io_byte_block_ops.write(&uart.io, (uint16_t)(BASE + reg), 1, value);
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(rd(UART_IER_DLM), 0);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_NONE);
	assert_int_equal(rd(UART_LCR), 0);
	assert_int_equal(rd(UART_MCR), 0);
	assert_int_equal(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(rd(UART_MSR), UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	assert_int_equal(rd(UART_SCR), 0);
	assert_int_equal(rd(UART_RBR_THR_DLL), 0);
	wr(UART_LCR, UART_LCR_DLAB);
	assert_int_equal(rd(UART_RBR_THR_DLL), 1);
	assert_int_equal(rd(UART_IER_DLM), 0);
	assert_false(irqs.level[IRQ]);
}

static void test_dlab_divisor_latch(void **state)
{
	(void)state;
	wr(UART_LCR, UART_LCR_DLAB | 0x03);
	wr(UART_RBR_THR_DLL, 0x0c);
	wr(UART_IER_DLM, 0x01);
	assert_int_equal(rd(UART_RBR_THR_DLL), 0x0c);
	assert_int_equal(rd(UART_IER_DLM), 0x01);
	assert_int_equal(nsent, 0);	/* DLL writes are not transmitted */
	wr(UART_LCR, 0x03);
	assert_int_equal(rd(UART_IER_DLM), 0);	/* IER untouched by the DLM write */
	assert_int_equal(rd(UART_LCR), 0x03);
	wr(UART_RBR_THR_DLL, 'A');
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], 'A');
	assert_int_equal(uart.stats.tx_bytes, 1);
}

static void test_scratch_and_ier_reserved_bits(void **state)
{
	(void)state;
	wr(UART_SCR, 0x5a);
	assert_int_equal(rd(UART_SCR), 0x5a);
	/* Linux's 8250 probe: IER bits 3:0 stick, bits 7:4 read zero on a 16550A */
	wr(UART_IER_DLM, 0xff);
	assert_int_equal(rd(UART_IER_DLM), 0x0f);
	wr(UART_IER_DLM, 0);
	assert_int_equal(rd(UART_IER_DLM), 0);
	assert_true(capture_contains("IER bits 7:4 are reserved"));
	assert_int_equal(uart.stats.ignored_writes, 1);
}

/* The exact sequence serial8250_do_startup runs to decide whether THRE re-asserts. */
static void test_thre_linux_startup_test(void **state)
{
	(void)state;
	wr(UART_MCR, UART_MCR_OUT2 | UART_MCR_DTR | UART_MCR_RTS);
	wr(UART_IER_DLM, UART_IER_THRI);
	assert_true(irqs.level[IRQ]);
	uint8_t iir1 = rd(UART_IIR_FCR);
	assert_int_equal(iir1, UART_IIR_THRI);
	/* reading IIR while it reports THRE clears it */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_NONE);
	assert_false(irqs.level[IRQ]);
	wr(UART_IER_DLM, 0);
	wr(UART_IER_DLM, UART_IER_THRI);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_THRI);
	assert_int_equal(irqs.rises[IRQ], 2);
	/* rewriting IER with THRI already set is not a new 0->1 transition */
	wr(UART_IER_DLM, UART_IER_THRI);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_NONE);
}

static void test_thre_rearms_with_fresh_edge_per_byte(void **state)
{
	(void)state;
	wr(UART_MCR, UART_MCR_OUT2);
	wr(UART_IER_DLM, UART_IER_THRI);
	assert_int_equal(irqs.rises[IRQ], 1);
	wr(UART_RBR_THR_DLL, 'x');	/* pending THRE cleared, then raised again */
	assert_int_equal(irqs.rises[IRQ], 2);
	assert_int_equal(irqs.falls[IRQ], 1);
	assert_true(irqs.level[IRQ]);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_THRI);
	assert_false(irqs.level[IRQ]);
	wr(UART_RBR_THR_DLL, 'y');
	assert_true(irqs.level[IRQ]);
	/* clearing ETBEI drops the pending THRE */
	wr(UART_IER_DLM, 0);
	assert_false(irqs.level[IRQ]);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_NONE);
	assert_int_equal(uart.irq.raised, 3);
}

static void test_out2_gates_the_line(void **state)
{
	(void)state;
	wr(UART_IER_DLM, UART_IER_THRI);
	assert_false(irqs.level[IRQ]);	/* pending, but OUT2 is off */
	wr(UART_MCR, UART_MCR_OUT2);
	assert_true(irqs.level[IRQ]);
	/* loopback forces OUT2 inactive on the pin: no interrupt reaches the bus */
	wr(UART_MCR, UART_MCR_OUT2 | UART_MCR_LOOP);
	assert_false(irqs.level[IRQ]);
	wr(UART_MCR, 0);
	assert_false(irqs.level[IRQ]);
	/* still pending inside the chip */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_THRI);
}

static void test_loopback_linux_probe(void **state)
{
	(void)state;
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	uint8_t msr = rd(UART_MSR);
	assert_int_equal(msr & 0xf0, 0x90);
	/* leaving DSR (lost: DTR off) latched DDSR on the way in */
	assert_int_equal(msr & UART_MSR_DELTAS, 0x02);
	assert_int_equal(rd(UART_MSR) & UART_MSR_DELTAS, 0);
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
	msr = rd(UART_MSR);
	assert_int_equal(msr & 0xf0, UART_MSR_DSR | UART_MSR_RI);
	assert_int_equal(msr & UART_MSR_DELTAS, 0x01 | 0x02 | 0x08);	/* DCTS DDSR DDCD */
	wr(UART_MCR, UART_MCR_LOOP);
	assert_int_equal(rd(UART_MSR) & UART_MSR_DELTAS, 0x02 | UART_MSR_TERI);
	/* loopback data goes to the receiver, not the console */
	wr(UART_RBR_THR_DLL, 0x42);
	assert_int_equal(nsent, 0);
	assert_int_equal(rd(UART_LSR) & UART_LSR_DR, UART_LSR_DR);
	assert_int_equal(rd(UART_RBR_THR_DLL), 0x42);
	assert_int_equal(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	/* empty RBR keeps showing the last byte */
	assert_int_equal(rd(UART_RBR_THR_DLL), 0x42);
	wr(UART_MCR, 0);
	assert_int_equal(rd(UART_MSR) & 0xf0, UART_MSR_CONSOLE);
}

static void test_interrupt_priority(void **state)
{
	(void)state;
	wr(UART_IER_DLM, UART_IER_RDI | UART_IER_THRI | UART_IER_RLSI | UART_IER_MSI);
	wr(UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);	/* CTS changes: modem status pending */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_THRI);	/* THRE above modem status */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_MSI);	/* THRE acknowledged by that read */
	wr(UART_RBR_THR_DLL, 1);	/* received data outranks THRE */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_RDI);
	wr(UART_RBR_THR_DLL, 2);	/* 16450 mode: second byte overruns */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_RLSI);
	assert_int_equal(rd(UART_LSR) & UART_LSR_OE, UART_LSR_OE);	/* read clears OE */
	assert_int_equal(rd(UART_LSR) & UART_LSR_OE, 0);
	assert_int_equal(rd(UART_RBR_THR_DLL), 2);	/* the new byte overwrote RBR */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_THRI);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_MSI);
	rd(UART_MSR);
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_NONE);
	assert_int_equal(uart.stats.rx_overruns, 1);
}

static void test_fifo_modes_and_trigger(void **state)
{
	(void)state;
	wr(UART_IIR_FCR, UART_FCR_ENABLE | 0x80);	/* trigger level 8 */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_FIFOS | UART_IIR_NONE);
	wr(UART_IER_DLM, UART_IER_RDI);
	wr(UART_MCR, UART_MCR_LOOP);
	for (int i = 0; i < 3; i++)
		wr(UART_RBR_THR_DLL, (uint8_t)('a' + i));
	/* below the trigger level: character timeout */
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_FIFOS | UART_IIR_CTI);
	for (int i = 3; i < 8; i++)
		wr(UART_RBR_THR_DLL, (uint8_t)('a' + i));
	assert_int_equal(rd(UART_IIR_FCR), UART_IIR_FIFOS | UART_IIR_RDI);
	assert_int_equal(rd(UART_RBR_THR_DLL), 'a');
	assert_int_equal(rd(UART_RBR_THR_DLL), 'b');
	/* FCR bits other than bit 0 are ignored while bit 0 is written 0 ... */
	wr(UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | 0x80);
	assert_int_equal(rd(UART_LSR) & UART_LSR_DR, 0);
	for (int i = 0; i < 17; i++)
		wr(UART_RBR_THR_DLL, (uint8_t)i);
	/* ... the 17th byte overran a full FIFO and was lost */
	assert_int_equal(uart.rx_count, UART_FIFO_SIZE);
	assert_int_equal(rd(UART_LSR) & (UART_LSR_OE | UART_LSR_DR), UART_LSR_OE | UART_LSR_DR);
	assert_int_equal(rd(UART_RBR_THR_DLL), 0);
	/* ... and turning the FIFO off clears it */
	wr(UART_IIR_FCR, 0);
	assert_int_equal(rd(UART_IIR_FCR) & UART_IIR_FIFOS, 0);
	assert_int_equal(rd(UART_LSR) & UART_LSR_DR, 0);
	wr(UART_IIR_FCR, UART_FCR_ENABLE | 0x30);
	assert_true(capture_contains("FCR bits 5:4 are reserved"));
	assert_int_equal(uart16550_rx_trigger_level(&uart), 1);
}

/* autoconfig() / autoconfig_16550a() decide "16550A" from these answers. */
static void test_linux_type_detection(void **state)
{
	(void)state;
	wr(UART_IIR_FCR, UART_FCR_ENABLE);
	assert_int_equal(rd(UART_IIR_FCR) >> 6, 3);	/* FIFO present */
	wr(UART_LCR, 0xbf);				/* EFR probe reads IIR: nonzero */
	assert_int_not_equal(rd(UART_IIR_FCR), 0);
	wr(UART_LCR, 0);
	wr(UART_IIR_FCR, UART_FCR_ENABLE | 0x20);	/* 64-byte bit: not a 16750 */
	assert_int_equal(rd(UART_IIR_FCR) >> 5, 6);
	wr(UART_LCR, UART_LCR_DLAB);
	assert_int_equal(rd(UART_IIR_FCR) >> 5, 6);
}

static void test_status_registers_read_only(void **state)
{
	(void)state;
	wr(UART_LSR, 0x00);
	wr(UART_MSR, 0x00);
	assert_int_equal(rd(UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(rd(UART_MSR), UART_MSR_CONSOLE);
	assert_int_equal(uart.stats.ignored_writes, 2);
	assert_true(capture_contains("read-only LSR ignored"));
	wr(UART_MCR, 0xff);
	assert_int_equal(rd(UART_MCR), UART_MCR_MASK);
}

static void test_host_receive_raises_rdi(void **state)
{
	(void)state;
	wr(UART_MCR, UART_MCR_OUT2);
	wr(UART_IER_DLM, UART_IER_RDI);
	assert_false(irqs.level[IRQ]);
	assert_true(uart16550_receive(&uart, 'k'));
	assert_true(irqs.level[IRQ]);
	assert_int_equal(rd(UART_RBR_THR_DLL), 'k');
	assert_false(irqs.level[IRQ]);
	assert_int_equal(uart.stats.rx_bytes, 1);
}

static void test_wide_accesses_split_into_bytes(void **state)
{
	(void)state;
	wr(UART_LCR, UART_LCR_DLAB);
	io_byte_block_ops.write(&uart.io, BASE, 2, 0x0230);
	assert_int_equal(io_byte_block_ops.read(&uart.io, BASE, 2), 0x0230);
	wr(UART_LCR, 0);
	wr(UART_SCR, 0x77);
	/* dword at 0x3fe: MSR, SCR, then two ports beyond the UART */
	assert_int_equal(io_byte_block_ops.read(&uart.io, BASE + 6, 4), 0xffff77b0u);
	io_byte_block_ops.write(&uart.io, BASE + 7, 4, 0x11223344u);
	assert_int_equal(rd(UART_SCR), 0x44);
	assert_int_equal(nsent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_dlab_divisor_latch, setup),
		cmocka_unit_test_setup(test_scratch_and_ier_reserved_bits, setup),
		cmocka_unit_test_setup(test_thre_linux_startup_test, setup),
		cmocka_unit_test_setup(test_thre_rearms_with_fresh_edge_per_byte, setup),
		cmocka_unit_test_setup(test_out2_gates_the_line, setup),
		cmocka_unit_test_setup(test_loopback_linux_probe, setup),
		cmocka_unit_test_setup(test_interrupt_priority, setup),
		cmocka_unit_test_setup(test_fifo_modes_and_trigger, setup),
		cmocka_unit_test_setup(test_linux_type_detection, setup),
		cmocka_unit_test_setup(test_status_registers_read_only, setup),
		cmocka_unit_test_setup(test_host_receive_raises_rdi, setup),
		cmocka_unit_test_setup(test_wide_accesses_split_into_bytes, setup),
	};
	return cmocka_run_group_tests_name("dev_uart", tests, NULL, NULL);
}
