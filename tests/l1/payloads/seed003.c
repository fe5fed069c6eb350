/* seed003: the 003 seed's sequence: an ExtINT from the 8259 while LAPIC interrupts keep coming. */
#include "guest.h"
#include "pic.h"
#include "pit.h"

const char guest_name[] = "seed003";

/*
 * The PIT's IRQ0 reaches the BSP through the 8259 and LINT0 in ExtINT mode; with a split
 * irqchip the 8259 is the VMM's, which injects the vector with KVM_INTERRUPT once KVM says
 * the vCPU is ready (ready_for_interrupt_injection, after an interrupt-window request).
 * Meanwhile a LAPIC interrupt is deliverable whenever interrupts are enabled: its handler
 * EOIs and sends itself again. Since the 003 fix KVM's readiness ignores LAPIC interrupts
 * (an ExtINT has priority); the old logic required !kvm_cpu_has_interrupt, so the window
 * never counts as ready, IRQ-window exits repeat inside KVM and the ExtINT never arrives.
 * The payload does not bound that loop: l1vmm's watchdog names it from KVM's counters.
 */
#define VEC_PIT		(PIC_MASTER_BASE + 0)
#define VEC_LAPIC	0x80
#define WAIT_US		1000000
/* Longer than l1vmm's stall limit: a livelock is the watchdog's to name, not the payload's. */
#define STORM_US	60000000

static volatile unsigned lapic_taken, target_ticks;
static volatile uint64_t storm_deadline;

static void pit_handler(struct irq_frame *frame)
{
	pic_eoi(0);
}

static unsigned ticks(void)
{
	return this_cpu()->irq_count[VEC_PIT];
}

/* Sends itself again until the ExtINTs got through (or the storm's time is up). */
static void lapic_handler(struct irq_frame *frame)
{
	lapic_taken++;
	lapic_eoi();
	if (ticks() < target_ticks && !timeout_expired(storm_deadline))
		lapic_self_ipi(VEC_LAPIC);
}

void guest_main(void)
{
	idt_set_handler(VEC_PIT, pit_handler);
	idt_set_handler(VEC_LAPIC, lapic_handler);
	lapic_write(APIC_LVT_LINT0, LVT_DM_EXTINT);
	pic_set_mask(0xfffe);
	pit_ch0_periodic(PIT_HZ / PIT_TICK_HZ);
	report_check(irq_wait(0, VEC_PIT, 3, WAIT_US), "extint-alone", "%u PIT interrupts",
		     ticks());

	/* A LAPIC interrupt pending from now on, and the 8259's request with it. */
	unsigned before = ticks();
	target_ticks = before + 3;
	storm_deadline = timeout_after_us(STORM_US);
	lapic_self_ipi(VEC_LAPIC);
	irq_enable();
	while (ticks() < target_ticks && !timeout_expired(storm_deadline))
		cpu_relax();
	irq_disable();
	target_ticks = 0;
	irq_settle();
	report_check(ticks() >= before + 3, "extint-while-lapic-pending",
		     "%u ExtINTs while %u LAPIC interrupts were taken", ticks() - before,
		     lapic_taken);
	report_check(lapic_taken > 0, "lapic-interrupts-taken", "no LAPIC interrupt at all");

	pit_ch0_stop();
	pic_set_mask(0xffff);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
}
