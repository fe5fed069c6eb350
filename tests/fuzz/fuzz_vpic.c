/* fuzz_vpic: the cascaded 8259A pair driven by port writes, lines and INTA cycles, checked after each. */
#include "tests/fuzz/fuzz_apic.h"

/*
 * The input is a stream of operations: writes and reads of ports 0x20/0x21, 0xa0/0xa1
 * and the ELCR (0x4d0/0x4d1) with any value (ICW1-4, OCW1-3, poll), IRQ lines 0-15
 * raised and dropped, and INTA cycles (peek, then acknowledge).
 *
 * Beyond "no crash", checked after every operation (8259A datasheet):
 *  - the master's INT output is exactly "the master has a request to raise", and the
 *    cascade input IR2 is exactly "the slave has a request to raise";
 *  - an INTA gives the vector it peeked; a non-spurious one comes from an IRR bit that
 *    was set, lands in ISR unless in auto-EOI mode, and an edge-triggered request is
 *    taken out of IRR: one edge is acknowledged once;
 *  - no IRR bit of an edge-triggered input rises except on a rising edge of its line,
 *    and no ISR bit rises except by an acknowledge (INTA or poll);
 *  - a level-triggered request follows its line down.
 */

/* The IRR and ISR bits of both chips as one 16-bit IRQ mask (master IR2 excluded). */
static uint16_t irr16(void)
{
	return (uint16_t)((vm.pic.chip[0].irr & ~(1u << VPIC_CASCADE_IRQ)) |
			  vm.pic.chip[1].irr << 8);
}

static uint16_t isr16(void)
{
	return (uint16_t)(vm.pic.chip[0].isr | vm.pic.chip[1].isr << 8);
}

static uint16_t elcr16(void)
{
	return (uint16_t)(vm.pic.chip[0].elcr | vm.pic.chip[1].elcr << 8);
}

static void check_pic(void)
{
	struct vpic *pic = &vm.pic;
	bool slave = vpic_chip_pending_irq(&pic->chip[1], false) >= 0;

	FUZZ_CHECK(!!(pic->chip[0].irr & (1u << VPIC_CASCADE_IRQ)) == slave,
		   "cascade IR2 %d, slave pending %d", !!(pic->chip[0].irr & 4), slave);
	FUZZ_CHECK(vpic_has_output(pic) == (vpic_chip_pending_irq(&pic->chip[0], true) >= 0),
		   "INT output %d, master pending %d", vpic_has_output(pic),
		   vpic_chip_pending_irq(&pic->chip[0], true));
	FUZZ_CHECK(!(irr16() & elcr16() & ~((uint16_t)(pic->chip[0].line | pic->chip[1].line << 8))),
		   "level IRR %#x without its line %#x", irr16() & elcr16(),
		   pic->chip[0].line | pic->chip[1].line << 8);
}

/* The INTA cycle as apic_ack() runs it, checked against the state before it. */
static void intack(void)
{
	struct vpic *pic = &vm.pic;
	uint16_t irr = irr16(), isr = isr16();
	struct vpic_chip m = pic->chip[0], s = pic->chip[1];
	int irq = vpic_chip_pending_irq(&m, true);
	uint8_t peek = vpic_peek_vector(pic);
	uint8_t vector = vpic_intack(pic);
	bool aeoi;

	FUZZ_CHECK(peek == vector, "peeked %#x, acknowledged %#x", peek, vector);
	if (irq < 0)
		return;		/* spurious IRQ7: checked by the ISR rule below */
	if (irq == VPIC_CASCADE_IRQ) {
		irq = vpic_chip_pending_irq(&s, false);
		if (irq < 0)
			return;
		FUZZ_CHECK(vector == s.irq_base + irq, "slave vector %#x for IRQ %d", vector, irq);
		irq += 8;
		aeoi = s.auto_eoi;
	} else {
		FUZZ_CHECK(vector == m.irq_base + irq, "master vector %#x for IRQ %d", vector, irq);
		aeoi = m.auto_eoi;
	}
	FUZZ_CHECK(irr & (1u << irq), "IRQ %d acknowledged without a request", irq);
	FUZZ_CHECK(aeoi || (isr16() & (1u << irq)), "IRQ %d acknowledged, not in service", irq);
	FUZZ_CHECK((elcr16() & (1u << irq)) || !(irr16() & (1u << irq)),
		   "edge IRQ %d still requested after its acknowledge", irq);
	(void)isr;
}

static void one_op(struct fuzz_in *in)
{
	static const uint16_t ports[8] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1, 0x22, 0x4d2 };
	struct vpic *pic = &vm.pic;
	uint8_t op = fuzz_u8(in);
	uint16_t irr = irr16(), isr = isr16(), lines;
	uint16_t old_lines = (uint16_t)(pic->chip[0].line | pic->chip[1].line << 8);
	bool acknowledging = false;

	switch (op % 8) {
	case 0:
	case 1:
		vpic_write_port(pic, ports[(op >> 3) & 7], fuzz_u8(in));
		break;
	case 2:		/* a read: IRR/ISR/IMR, ELCR, or the poll acknowledge */
		acknowledging = true;
		(void)vpic_read_port(pic, ports[(op >> 3) & 7]);
		break;
	case 3:
	case 4:
	case 5:
		vpic_set_irq(pic, (op >> 3) & 15, (op >> 7) & 1);
		break;
	case 6:
		acknowledging = true;
		intack();
		break;
	default: {	/* a whole edge, as the PIT gives one */
		unsigned irq = (op >> 3) & 15;
		vpic_set_irq(pic, irq, true);
		vpic_set_irq(pic, irq, false);
		break;
	}
	}
	lines = (uint16_t)(pic->chip[0].line | pic->chip[1].line << 8);
	/* An edge input's request rises only with a rising edge in this operation. */
	uint16_t rose = (uint16_t)(irr16() & ~irr & ~elcr16());
	bool edge_op = op % 8 >= 3 && op % 8 != 6;
	FUZZ_CHECK(!rose || (edge_op && rose == (1u << ((op >> 3) & 15)) && !(old_lines & rose)),
		   "edge IRR rose %#x in op %u (lines %#x -> %#x)", rose, op, old_lines, lines);
	FUZZ_CHECK(!(isr16() & ~isr) || acknowledging, "ISR rose %#x in op %u", isr16() & ~isr,
		   op);
	check_pic();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size, 0 };
	struct apic_vm_config cfg = { .nr_vcpus = 1, .maxphyaddr = 39, .kick = kick };

	fuzz_quiet_log();
	if (!apic_vm_init(&vm, &cfg))
		abort();
	if (fuzz_u8(&in) & 1)
		pic_linux_init();
	check_pic();
	for (unsigned ops = 0; fuzz_more(&in) && ops < 4096; ops++)
		one_op(&in);
	return 0;
}
