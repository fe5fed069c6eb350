/* vioapic_pin: I/O APIC pins: edge/level delivery, Remote IRR, EOI and the storm guard. */
#include "apic/apic_msg.h"
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"
#include "lib/log.h"

static unsigned rte_mode(uint64_t rte)
{
	return (unsigned)(rte >> VIOAPIC_RTE_DM_SHIFT) & 7;
}

/* Only fixed and lowest-priority level interrupts are EOIed, so only they hold Remote IRR. */
static bool holds_remote_irr(uint64_t rte)
{
	return (rte & VIOAPIC_RTE_LEVEL) &&
	       (rte_mode(rte) == APIC_DM_FIXED || rte_mode(rte) == APIC_DM_LOWEST);
}

/*
 * Sends a pin's pending request if its entry lets it (82093AA 3.2.4): not masked, and
 * for level-triggered entries not while Remote IRR says the last one is unEOIed or the
 * storm guard holds the pin. Lock held.
 */
void vioapic_service_pin(struct vioapic *io, unsigned pin)
{
	struct vioapic_pin *p = &io->pin[pin];
	uint64_t rte = p->rte;
	struct apic_msg m = {
		.dest = (uint32_t)(rte >> VIOAPIC_RTE_DEST_SHIFT),
		.logical = rte & VIOAPIC_RTE_LOGICAL,
		.mode = rte_mode(rte),
		.vector = (uint8_t)(rte & VIOAPIC_RTE_VECTOR),
		.level = rte & VIOAPIC_RTE_LEVEL,
	};
	unsigned delivered;

	if (!p->latched || (rte & VIOAPIC_RTE_MASKED))
		return;
	if (holds_remote_irr(rte) && ((rte & VIOAPIC_RTE_REMOTE_IRR) || p->storm_held))
		return;
	delivered = apic_deliver_msg(io->vm, &m);
	apic_stat_inc(&io->vm->stats.ioapic_delivered);
	if (!(rte & VIOAPIC_RTE_LEVEL))
		p->latched = false;	/* an edge is consumed; a level stays while the line is high */
	else if (holds_remote_irr(rte) && delivered)
		p->rte |= VIOAPIC_RTE_REMOTE_IRR;
}

/*
 * `level` is the logical assertion of the device's line. An edge entry latches on the
 * rising edge (kept while masked and the line stays high, delivered on unmask); a level
 * entry follows the line. Dropping the line also ends a storm hold.
 */
void vioapic_set_pin(struct vioapic *io, unsigned pin, bool level)
{
	struct vioapic_pin *p;

	if (pin >= VIOAPIC_PINS) {
		apic_note_bad_access(io->vm, "vIOAPIC pin out of range", pin, level);
		return;
	}
	spin_lock(&io->lock);
	p = &io->pin[pin];
	if (!level) {
		p->line = false;
		p->latched = false;
		p->redeliveries = 0;
		p->storm_held = false;
	} else {
		bool rising = !p->line;
		p->line = true;
		if (rising || (p->rte & VIOAPIC_RTE_LEVEL)) {
			p->latched = true;
			vioapic_service_pin(io, pin);
		}
	}
	spin_unlock(&io->lock);
}

/*
 * A level line still asserted after its EOI is delivered again at once; a device that
 * never drops its line would livelock the guest. After storm_threshold re-deliveries
 * without the line dropping the pin is held (Remote IRR clear, nothing sent) and the
 * storm reported, until the line drops or the guest rewrites the entry.
 */
static void redeliver_after_eoi(struct vioapic *io, unsigned pin)
{
	struct vioapic_pin *p = &io->pin[pin];

	if (!p->line || (p->rte & VIOAPIC_RTE_MASKED))
		return;
	if (++p->redeliveries > io->storm_threshold) {
		if (!p->storm_held) {
			p->storm_held = true;
			apic_stat_inc(&io->vm->stats.ioapic_storms);
			log_warn("vioapic: interrupt storm on pin %u vector 0x%x: %u re-deliveries "
				 "on EOI with the line still asserted; pin held until it drops",
				 pin, (unsigned)(p->rte & VIOAPIC_RTE_VECTOR), p->redeliveries - 1);
		}
		return;
	}
	apic_stat_inc(&io->vm->stats.ioapic_redelivered);
	p->latched = true;
	vioapic_service_pin(io, pin);
}

/* EOI for `vector`: clears Remote IRR of every level entry with that vector (82093AA, 0x20 EOI). */
void vioapic_eoi(struct vioapic *io, uint8_t vector)
{
	spin_lock(&io->lock);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		struct vioapic_pin *p = &io->pin[pin];
		if ((p->rte & VIOAPIC_RTE_VECTOR) != vector || !(p->rte & VIOAPIC_RTE_REMOTE_IRR))
			continue;
		p->rte &= ~VIOAPIC_RTE_REMOTE_IRR;
		redeliver_after_eoi(io, pin);
	}
	spin_unlock(&io->lock);
}

bool vioapic_pin_storm_held(struct vioapic *io, unsigned pin)
{
	bool held;
	if (pin >= VIOAPIC_PINS)
		return false;
	spin_lock(&io->lock);
	held = io->pin[pin].storm_held;
	spin_unlock(&io->lock);
	return held;
}
