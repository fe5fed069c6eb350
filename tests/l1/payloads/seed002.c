/* seed002: the 002 seed's sequence: Directed EOI, a level line serviced after the LAPIC EOI. */
#include "guest.h"
#include "ioapic.h"

const char guest_name[] = "seed002";

/*
 * How Windows with Hyper-V services a level-triggered device (seed 002): the ISR EOIs its
 * LAPIC and returns; later, with interrupts enabled, the driver services the device (its
 * line drops) and EOIs the IOAPIC through the EOI register. With Directed EOI (SPIV bit 12,
 * SDM Vol. 3A 10.8.5) the LAPIC EOI is not broadcast, so the IOAPIC keeps Remote IRR and
 * sends nothing until that register write. Stock 6.1 KVM with a split irqchip still exits
 * to the VMM on the LAPIC EOI (kvm_ioapic_send_eoi), the VMM's IOAPIC sees the line still
 * asserted and delivers again, and the ISR runs without end: the loop below never gets to
 * service the device. The payload does not bound that storm: l1vmm's watchdog names it.
 */
#define LINE		15	/* pc-testdev's ISA line, IOAPIC pin 15 */
#define VEC		0x62
#define ROUNDS		3
#define WAIT_US		2000000

static volatile unsigned taken, needs_service;

static void isr(struct irq_frame *frame)
{
	taken++;
	needs_service = 1;
	lapic_eoi();
}

/* The platform must offer Directed EOI and an IOAPIC that can take the guest's EOI. */
static bool usable(void)
{
	uint32_t lvr = lapic_read(APIC_VERSION);

	if (!(lvr & APIC_VERSION_DIRECTED_EOI)) {
		report_skip("directed-eoi", "LAPIC version %#x offers no Directed EOI (in-kernel "
			    "IOAPIC, or no x2APIC in CPUID)", lvr);
		return false;
	}
	if (ioapic_version() < 0x20) {
		report_skip("directed-eoi", "IOAPIC version %#x has no EOI register",
			    ioapic_version());
		return false;
	}
	report_pass("directed-eoi");
	return true;
}

static void round_trip(unsigned n, struct multi_check *once)
{
	unsigned before = taken;
	uint64_t deadline = timeout_after_us(WAIT_US);

	needs_service = 0;
	testdev_set_irq_line(LINE, 1);
	irq_enable();
	while (!needs_service && !timeout_expired(deadline))
		cpu_relax();
	/* The deferred service, interrupts still enabled: device quiet, then the IOAPIC EOI. */
	testdev_set_irq_line(LINE, 0);
	ioapic_eoi(VEC);
	irq_disable();
	irq_settle();
	multi_case(once, taken - before == 1 && !(ioapic_redir_read(LINE) & REDIR_REMOTE_IRR),
		   "round %u: %u deliveries, Remote IRR %s", n, taken - before,
		   (ioapic_redir_read(LINE) & REDIR_REMOTE_IRR) ? "set" : "clear");
}

void guest_main(void)
{
	struct multi_check once;

	if (!usable())
		return;
	lapic_write(APIC_SPIV, lapic_read(APIC_SPIV) | SPIV_DIRECTED_EOI);
	report_check(lapic_read(APIC_SPIV) & SPIV_DIRECTED_EOI, "directed-eoi-enable",
		     "SPIV %#x", lapic_read(APIC_SPIV));
	idt_set_handler(VEC, isr);
	testdev_set_irq_line(LINE, 0);
	ioapic_redir_write(LINE, REDIR_DEST(percpu[0].apic_id) | REDIR_LEVEL | VEC);
	report_info("%u rounds: line up, ISR EOIs the LAPIC, the loop services the device", ROUNDS);
	multi_begin(&once, "one-delivery-per-assertion");
	for (unsigned n = 0; n < ROUNDS; n++)
		round_trip(n, &once);
	multi_end(&once);
	ioapic_redir_write(LINE, REDIR_MASKED);
	lapic_write(APIC_SPIV, lapic_read(APIC_SPIV) & ~SPIV_DIRECTED_EOI);
}
