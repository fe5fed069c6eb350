/* test_vpic: the 8259A pair: ICW/OCW sequences, priorities, EOI modes, poll, ELCR, cascade. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

static struct apic_vm vm;
static struct vpic *pic;

static int setup(void **state)
{
	struct apic_vm_config cfg = harness_config(1);
	(void)state;
	assert_true(harness_start(&vm, &cfg));
	pic = &vm.pic;
	pic_linux_init(pic, 0x30);
	return 0;
}

static void pulse(unsigned irq)
{
	vpic_set_irq(pic, irq, true);
	vpic_set_irq(pic, irq, false);
}

static void test_init_and_masks(void **state)
{
	(void)state;
	assert_int_equal(pic->chip[0].irq_base, 0x30);
	assert_int_equal(pic->chip[1].irq_base, 0x38);
	assert_int_equal(vpic_read_port(pic, 0x21), 0);
	vpic_write_port(pic, 0x21, 0xfb);
	vpic_write_port(pic, 0xa1, 0xff);
	assert_int_equal(vpic_read_port(pic, 0x21), 0xfb);
	assert_int_equal(vpic_read_port(pic, 0xa1), 0xff);
	pulse(1);
	assert_false(vpic_has_output(pic));			/* masked */
	assert_int_equal(vpic_read_port(pic, 0x20), 0x02);	/* but requested (IRR) */
	vpic_write_port(pic, 0x21, 0x00);
	assert_true(vpic_has_output(pic));
	assert_int_equal(harness_kicks[0], 0);			/* LINT0 does not take the PIC */
	/* 16- and 32-bit port accesses split into bytes. */
	vpic_io_ops.write(pic, 0x20, 2, 0x00ff0a);
	assert_int_equal(vpic_io_ops.read(pic, 0x20, 2), 0xff02);
	vpic_io_ops.write(pic, 0x21, 1, 0);
	/* ICW1 clears masks and in-service, forgets edges. */
	vpic_write_port(pic, 0x20, 0x11);
	assert_int_equal(pic->chip[0].init_step, 1);
	assert_int_equal(pic->chip[0].irr, 0);
	vpic_write_port(pic, 0x21, 0x08);
	vpic_write_port(pic, 0x21, 0x04);
	vpic_write_port(pic, 0x21, 0x01);
	assert_int_equal(pic->chip[0].init_step, 0);
	assert_int_equal(vpic_peek_vector(pic), 0x0f);		/* nothing: spurious IRQ7 */
	/* Single mode without ICW4: ICW2 finishes the sequence. */
	vpic_write_port(pic, 0x20, 0x12);
	vpic_write_port(pic, 0x21, 0x50);
	assert_int_equal(pic->chip[0].init_step, 0);
	vpic_write_port(pic, 0x20, 0x18);			/* LTIM is refused, logged */
	assert_true(capture_contains("LTIM"));
}

static void test_priority_and_eoi(void **state)
{
	(void)state;
	pulse(5);
	pulse(3);
	assert_int_equal(vpic_peek_vector(pic), 0x33);
	assert_int_equal(vpic_intack(pic), 0x33);
	assert_int_equal(vpic_intack(pic), 0x37);	/* IRQ5 below IRQ3 in service: spurious */
	assert_int_equal(vm.stats.pic_spurious, 1);
	pulse(1);						/* higher than IRQ3: nests */
	assert_int_equal(vpic_intack(pic), 0x31);
	vpic_write_port(pic, 0x20, 0x0b);	/* OCW3: read ISR */
	assert_int_equal(vpic_read_port(pic, 0x20), 0x0a);
	vpic_write_port(pic, 0x20, 0x20);			/* non-specific EOI: IRQ1 */
	assert_int_equal(vpic_read_port(pic, 0x20), 0x08);
	vpic_write_port(pic, 0x20, 0x63);			/* specific EOI IRQ3 */
	assert_int_equal(vpic_read_port(pic, 0x20), 0x00);
	vpic_write_port(pic, 0x20, 0x20);			/* nothing in service: no-op */
	assert_int_equal(vpic_intack(pic), 0x35);
	vpic_write_port(pic, 0x20, 0x0a);			/* OCW3: read IRR again */
	assert_int_equal(vpic_read_port(pic, 0x20), 0x00);
	vpic_write_port(pic, 0x20, 0x40);			/* OCW2 no-op */
	vpic_write_port(pic, 0x20, 0x20);
	assert_false(vpic_has_output(pic));
}

static void test_rotation_and_set_priority(void **state)
{
	(void)state;
	vpic_write_port(pic, 0x20, 0xc4);			/* set priority: IRQ4 lowest */
	pulse(3);
	pulse(6);
	assert_int_equal(vpic_intack(pic), 0x36);		/* 5,6,7,0.. order: 6 beats 3 */
	vpic_write_port(pic, 0x20, 0xa0);			/* rotate on non-specific EOI */
	assert_int_equal(pic->chip[0].top_priority, 7);
	assert_int_equal(vpic_intack(pic), 0x33);
	vpic_write_port(pic, 0x20, 0xe3);			/* rotate on specific EOI 3 */
	assert_int_equal(pic->chip[0].top_priority, 4);
	/* Automatic EOI with rotation. */
	vpic_write_port(pic, 0x20, 0x11);
	vpic_write_port(pic, 0x21, 0x30);
	vpic_write_port(pic, 0x21, 0x04);
	vpic_write_port(pic, 0x21, 0x03);			/* ICW4: AEOI */
	vpic_write_port(pic, 0x21, 0x00);
	vpic_write_port(pic, 0x20, 0x80);			/* rotate in AEOI: set */
	pulse(4);
	assert_int_equal(vpic_intack(pic), 0x34);
	assert_int_equal(pic->chip[0].isr, 0);
	assert_int_equal(pic->chip[0].top_priority, 5);
	vpic_write_port(pic, 0x20, 0x00);			/* rotate in AEOI: clear */
	pulse(0);
	assert_int_equal(vpic_intack(pic), 0x30);
	assert_int_equal(pic->chip[0].top_priority, 5);
}

static void test_special_mask_and_poll(void **state)
{
	(void)state;
	pulse(4);
	assert_int_equal(vpic_intack(pic), 0x34);
	pulse(6);
	assert_false(vpic_has_output(pic));			/* IRQ4 in service blocks IRQ6 */
	vpic_write_port(pic, 0x21, 0x10);			/* mask IRQ4 */
	vpic_write_port(pic, 0x20, 0x68);			/* special mask mode on */
	assert_true(vpic_has_output(pic));
	assert_int_equal(vpic_intack(pic), 0x36);
	vpic_write_port(pic, 0x20, 0x48);			/* special mask mode off */
	vpic_write_port(pic, 0x20, 0x66);			/* EOI 6 */
	vpic_write_port(pic, 0x20, 0x64);			/* EOI 4 */
	vpic_write_port(pic, 0x21, 0x00);
	/* Poll: read acknowledges and returns 0x80 | level. */
	pulse(5);
	vpic_write_port(pic, 0x20, 0x0c);
	assert_int_equal(vpic_read_port(pic, 0x20), 0x85);
	assert_int_equal(pic->chip[0].isr, 1u << 5);
	vpic_write_port(pic, 0x20, 0x0c);
	assert_int_equal(vpic_read_port(pic, 0x21), 0x00);	/* nothing left */
	assert_int_equal(vpic_read_port(pic, 0x21), 0x00);	/* poll is one-shot: IMR */
}

static void test_elcr_level_and_cascade(void **state)
{
	(void)state;
	vpic_write_port(pic, 0x4d0, 0xff);
	vpic_write_port(pic, 0x4d1, 0xff);
	assert_int_equal(vpic_read_port(pic, 0x4d0), 0xf8);	/* IRQ0-2 always edge */
	assert_int_equal(vpic_read_port(pic, 0x4d1), 0xde);	/* IRQ8, IRQ13 always edge */
	/* Level IRQ11 through the slave: vector 0x3b, stays requested while high. */
	vpic_set_irq(pic, 11, true);
	assert_true(vpic_has_output(pic));
	assert_int_equal(vpic_intack(pic), 0x3b);
	vpic_write_port(pic, 0xa0, 0x20);
	vpic_write_port(pic, 0x20, 0x20);
	assert_true(vpic_has_output(pic));			/* still high: requested again */
	vpic_set_irq(pic, 11, false);
	assert_false(vpic_has_output(pic));
	/* Slave spurious: the slave's request vanished between INT and INTA. */
	pic->chip[1].irr = 0;
	pic->chip[0].irr = 1u << 2;
	assert_int_equal(vpic_intack(pic), 0x3f);
	assert_int_equal(vm.stats.pic_spurious, 1);
	/* Special fully nested: a slave IRQ can nest over a slave IRQ in service. */
	vpic_write_port(pic, 0x20, 0x20);
	vpic_write_port(pic, 0x20, 0x11);
	vpic_write_port(pic, 0x21, 0x30);
	vpic_write_port(pic, 0x21, 0x04);
	vpic_write_port(pic, 0x21, 0x11);			/* SFNM */
	vpic_write_port(pic, 0x21, 0x00);
	vpic_write_port(pic, 0x4d1, 0x00);
	pulse(12);
	assert_int_equal(vpic_intack(pic), 0x3c);
	pulse(9);
	assert_int_equal(vpic_intack(pic), 0x39);
	vpic_set_irq(pic, 16, true);				/* out of range: refused */
	assert_true(capture_contains("vPIC IRQ out of range"));
	vpic_write_port(pic, 0x60, 0);
	assert_int_equal(vpic_read_port(pic, 0x60), 0xff);
}

static void test_output_kicks_virtual_wire_cpu(void **state)
{
	(void)state;
	lapic_enable(&vm.vcpu[0]);
	lapic_virtual_wire(&vm.vcpu[0]);
	harness_reset_counters();
	pulse(3);
	assert_int_equal(harness_kicks[0], 1);
	pulse(4);						/* output already high */
	assert_int_equal(harness_kicks[0], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_and_masks, setup),
		cmocka_unit_test_setup(test_priority_and_eoi, setup),
		cmocka_unit_test_setup(test_rotation_and_set_priority, setup),
		cmocka_unit_test_setup(test_special_mask_and_poll, setup),
		cmocka_unit_test_setup(test_elcr_level_and_cascade, setup),
		cmocka_unit_test_setup(test_output_kicks_virtual_wire_cpu, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
