/* level_hold: a device that holds its level line across thousands of interrupts is served to the end. */
#include "guest.h"
#include "ioapic.h"

const char guest_name[] = "level_hold";

/*
 * A device may keep a level-triggered line asserted while it still has work (a receive
 * FIFO the driver drains a little per interrupt): each EOI with the line high brings the
 * interrupt again (82093AA: Remote IRR clears, the asserted line requests anew). The
 * handler here EOIs with the line high HOLD_DELIVERIES - 1 times, then lowers it. The
 * guest waits in `sti; hlt` for every delivery; a hypervisor whose storm guard stops
 * re-delivering for good wedges it (nestor throttles instead, docs/apic.md).
 */
#define LINE		15
#define VEC		0x73
#define HOLD_DELIVERIES	1500
#define WAIT_US		30000000

static volatile unsigned taken;

static void handler(struct irq_frame *frame)
{
	(void)frame;
	if (++taken >= HOLD_DELIVERIES)
		testdev_set_irq_line(LINE, 0);
	lapic_eoi();
}

void guest_main(void)
{
	idt_set_handler(VEC, handler);
	ioapic_redir_write(LINE, REDIR_DEST(percpu[0].apic_id) | REDIR_LEVEL | VEC);
	/* A slow periodic LAPIC timer as the watchdog that ends each HLT if nothing else does. */
	lapic_write(APIC_TIMER_DIVIDE, 0xb);
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x74);
	lapic_write(APIC_TIMER_INIT, 10000000);
	idt_set_handler(0x74, lapic_eoi_handler);
	uint64_t start = rdtsc();
	testdev_set_irq_line(LINE, 1);
	uint64_t deadline = timeout_after_us(WAIT_US);
	while (taken < HOLD_DELIVERIES && !timeout_expired(deadline))
		asm volatile("sti; hlt; cli" ::: "memory");
	uint64_t ms = (rdtsc() - start) / tsc_per_ms();
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	testdev_set_irq_line(LINE, 0);
	ioapic_redir_write(LINE, REDIR_MASKED);
	report_info("%u deliveries in %lu ms", taken, (unsigned long)ms);
	report_check(taken == HOLD_DELIVERIES, "long-level-served-to-the-end",
		     "%u of %u deliveries of a line held asserted across its EOIs", taken,
		     HOLD_DELIVERIES);
}
