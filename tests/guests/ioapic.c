/* ioapic: edge and level interrupts through the I/O APIC, with and without Directed EOI. */
#include "guest.h"
#include "ioapic.h"
#include "pit.h"

const char guest_name[] = "ioapic";

/*
 * ISA lines 14 and 15 are free on a platform without IDE interrupts in use, and QEMU's
 * pc-testdev drives them (port 0x2000 + line). ISA IRQ n arrives at pin n, except the
 * PIT's IRQ0, which arrives at pin 2 (the usual interrupt source override).
 */
#define LINE_EDGE	14
#define LINE_LEVEL	15
#define PIN_PIT		2
#define VEC_EDGE	0x60
#define VEC_PIT		0x61
#define VEC_LEVEL	0x62
#define WAIT_US		1000000
/* Deliveries after which the handler lowers the line itself: a storm ends in a FAIL, not a hang. */
#define STORM_LIMIT	16

/* What the level handler does, chosen by the test before it raises the line. */
enum level_mode {
	LEVEL_LOWER_THEN_EOI,		/* the device is serviced: line low, then LAPIC EOI */
	LEVEL_EOI_KEEP_HIGH_ONCE,	/* first delivery: EOI with the line still high */
	LEVEL_EOI_ONLY,			/* LAPIC EOI, line untouched (Directed EOI tests) */
};

static struct {
	volatile enum level_mode mode;
	volatile unsigned taken;
	volatile bool remote_irr_in_handler;
	volatile bool tmr_in_handler;
	volatile bool remote_irr_after_eoi;
} level;

static bool remote_irr(unsigned pin)
{
	return ioapic_redir_read(pin) & REDIR_REMOTE_IRR;
}

static void level_handler(struct irq_frame *frame)
{
	level.taken++;
	level.remote_irr_in_handler = remote_irr(LINE_LEVEL);
	level.tmr_in_handler = lapic_vector_bit(APIC_TMR, VEC_LEVEL);
	if (level.mode == LEVEL_LOWER_THEN_EOI ||
	    (level.mode == LEVEL_EOI_KEEP_HIGH_ONCE && level.taken > 1) ||
	    level.taken >= STORM_LIMIT)
		testdev_set_irq_line(LINE_LEVEL, 0);
	lapic_eoi();
	level.remote_irr_after_eoi = remote_irr(LINE_LEVEL);
}

static uint64_t entry(unsigned vector, uint64_t flags)
{
	return REDIR_DEST(percpu[0].apic_id) | flags | vector;
}

static void check_registers(void)
{
	uint32_t ver = ioapic_read(IOAPIC_REG_VERSION);

	report_info("IOAPIC ID %#x version %#x, %u pins", ioapic_read(IOAPIC_REG_ID), ver,
		    ioapic_pins());
	report_check((ver & 0xff) == 0x11 || (ver & 0xff) == 0x20, "version", "version %#x",
		     ver & 0xff);
	report_check(ioapic_pins() == 24, "24-pins", "%u redirection entries", ioapic_pins());

	uint64_t e = REDIR_DEST(0xa5) | REDIR_MASKED | REDIR_LEVEL | REDIR_ACTIVE_LOW | 0x9c;
	ioapic_redir_write(LINE_EDGE, e);
	uint64_t got = ioapic_redir_read(LINE_EDGE) & ~(REDIR_DELIVERY_STATUS | REDIR_REMOTE_IRR);
	report_check(got == e, "redir-roundtrip", "wrote %#lx, read %#lx", (unsigned long)e,
		     (unsigned long)got);
	ioapic_redir_write(LINE_EDGE, REDIR_MASKED);
}

static void check_edge(void)
{
	idt_set_handler(VEC_EDGE, lapic_eoi_handler);
	ioapic_redir_write(LINE_EDGE, entry(VEC_EDGE, 0));

	unsigned pulses;
	for (pulses = 0; pulses < 5; pulses++) {
		testdev_set_irq_line(LINE_EDGE, 1);
		testdev_set_irq_line(LINE_EDGE, 0);
		if (!irq_wait(0, VEC_EDGE, pulses + 1, WAIT_US))
			break;
	}
	irq_settle();
	report_check(pulses == 5 && this_cpu()->irq_count[VEC_EDGE] == 5, "edge-once-per-pulse",
		     "5 pulses, %u interrupts", this_cpu()->irq_count[VEC_EDGE]);
	report_check(!remote_irr(LINE_EDGE), "edge-no-remote-irr", "Remote IRR set on an edge pin");

	/* A masked pin delivers nothing; edges seen while masked may be lost, so stop here. */
	ioapic_redir_write(LINE_EDGE, entry(VEC_EDGE, REDIR_MASKED));
	testdev_set_irq_line(LINE_EDGE, 1);
	testdev_set_irq_line(LINE_EDGE, 0);
	irq_settle();
	report_check(this_cpu()->irq_count[VEC_EDGE] == 5, "edge-masked-not-delivered",
		     "%u interrupts", this_cpu()->irq_count[VEC_EDGE]);
}

static void check_pit(void)
{
	idt_set_handler(VEC_PIT, lapic_eoi_handler);
	ioapic_redir_write(PIN_PIT, entry(VEC_PIT, 0));
	pit_ch0_periodic(PIT_HZ / PIT_TICK_HZ);
	report_check(irq_wait(0, VEC_PIT, 3, WAIT_US), "pit-irq0-at-pin2", "%u interrupts",
		     this_cpu()->irq_count[VEC_PIT]);
	ioapic_redir_write(PIN_PIT, REDIR_MASKED);
	pit_ch0_stop();
}

static void check_level(void)
{
	idt_set_handler(VEC_LEVEL, level_handler);
	ioapic_redir_write(LINE_LEVEL, entry(VEC_LEVEL, REDIR_LEVEL));

	level.mode = LEVEL_LOWER_THEN_EOI;
	testdev_set_irq_line(LINE_LEVEL, 1);
	bool got = irq_wait(0, VEC_LEVEL, 1, WAIT_US);
	irq_settle();
	report_check(got && level.taken == 1, "level-delivered-once", "%u interrupts", level.taken);
	report_check(level.remote_irr_in_handler, "level-remote-irr-while-in-service",
		     "Remote IRR clear inside the handler");
	report_check(level.tmr_in_handler, "level-tmr-set", "LAPIC TMR bit clear for a level vector");
	/* The LAPIC EOI of a level vector is broadcast to the IOAPIC (SDM Vol. 3A, 10.8.5). */
	report_check(!level.remote_irr_after_eoi && !remote_irr(LINE_LEVEL),
		     "level-eoi-clears-remote-irr", "Remote IRR still set after the LAPIC EOI");

	/* Still asserted at EOI: the IOAPIC delivers it again. */
	level.taken = 0;
	level.mode = LEVEL_EOI_KEEP_HIGH_ONCE;
	testdev_set_irq_line(LINE_LEVEL, 1);
	got = irq_wait(0, VEC_LEVEL, 2, WAIT_US);
	irq_settle();
	report_check(got && level.taken == 2, "level-redelivered-while-asserted",
		     "%u interrupts (expected 2)", level.taken);

	/* Asserted while masked: delivered once unmasked. */
	level.taken = 0;
	level.mode = LEVEL_LOWER_THEN_EOI;
	ioapic_redir_write(LINE_LEVEL, entry(VEC_LEVEL, REDIR_LEVEL | REDIR_MASKED));
	testdev_set_irq_line(LINE_LEVEL, 1);
	irq_settle();
	unsigned while_masked = level.taken;
	ioapic_redir_write(LINE_LEVEL, entry(VEC_LEVEL, REDIR_LEVEL));
	got = irq_wait(0, VEC_LEVEL, 1, WAIT_US);
	irq_settle();
	report_check(while_masked == 0 && got && level.taken == 1, "level-masked-then-unmasked",
		     "%u while masked, %u after unmask", while_masked, level.taken);
}

/*
 * Directed EOI (SDM Vol. 3A, 10.8.5): with SPIV bit 12 set, a LAPIC EOI is not broadcast,
 * Remote IRR stays set until the guest writes the vector to the IOAPIC EOI register, and
 * a line still asserted then does not cause an interrupt storm.
 */
static void check_directed_eoi(void)
{
	uint32_t ver = lapic_read(APIC_VERSION);

	if (ver & APIC_VERSION_DIRECTED_EOI) {
		report_pass("directed-eoi");
	} else if (bootinfo_param("force-deoi", 0)) {
		/* Shows the checks catching an APIC that broadcasts EOIs despite SPIV bit 12. */
		report_info("force-deoi=1: Directed EOI checks on an APIC (version %#x) without it", ver);
	} else {
		report_skip("directed-eoi", "LAPIC version %#x: bit 24 clear, Directed EOI not offered",
			    ver);
		return;
	}
	report_check(ioapic_version() >= 0x20, "directed-eoi-needs-eoi-register",
		     "Directed EOI offered with an IOAPIC of version %#x (no EOI register)",
		     ioapic_version());
	lapic_write(APIC_SPIV, lapic_read(APIC_SPIV) | SPIV_DIRECTED_EOI);
	report_check(lapic_read(APIC_SPIV) & SPIV_DIRECTED_EOI, "directed-eoi-enable",
		     "SPIV %#x", lapic_read(APIC_SPIV));

	level.taken = 0;
	level.mode = LEVEL_EOI_ONLY;
	testdev_set_irq_line(LINE_LEVEL, 1);
	bool got = irq_wait(0, VEC_LEVEL, 1, WAIT_US);
	delay_us(1000);
	irq_settle();
	report_check(got && level.remote_irr_after_eoi && remote_irr(LINE_LEVEL),
		     "deoi-lapic-eoi-keeps-remote-irr", "Remote IRR cleared by a suppressed EOI");
	report_check(level.taken == 1, "deoi-no-storm", "%u deliveries with the line held high",
		     level.taken);

	testdev_set_irq_line(LINE_LEVEL, 0);
	ioapic_eoi(VEC_LEVEL);
	report_check(!remote_irr(LINE_LEVEL), "deoi-ioapic-eoi-clears-remote-irr",
		     "Remote IRR still set after the IOAPIC EOI register write");
	irq_settle();
	report_check(level.taken == 1, "deoi-quiet-after-deassert", "%u deliveries so far (expected 1)",
		     level.taken);

	/* Line high again; the IOAPIC EOI with the line still high re-delivers exactly once. */
	testdev_set_irq_line(LINE_LEVEL, 1);
	got = irq_wait(0, VEC_LEVEL, 2, WAIT_US);
	ioapic_eoi(VEC_LEVEL);
	got = got && irq_wait(0, VEC_LEVEL, 3, WAIT_US);
	testdev_set_irq_line(LINE_LEVEL, 0);
	ioapic_eoi(VEC_LEVEL);
	irq_settle();
	report_check(got && level.taken == 3 && !remote_irr(LINE_LEVEL),
		     "deoi-ioapic-eoi-redelivers-asserted", "%u deliveries (expected 3)", level.taken);

	lapic_write(APIC_SPIV, lapic_read(APIC_SPIV) & ~SPIV_DIRECTED_EOI);
	ioapic_redir_write(LINE_LEVEL, REDIR_MASKED);
}

void guest_main(void)
{
	testdev_set_irq_line(LINE_EDGE, 0);
	testdev_set_irq_line(LINE_LEVEL, 0);
	check_registers();
	check_edge();
	check_pit();
	check_level();
	check_directed_eoi();
}
