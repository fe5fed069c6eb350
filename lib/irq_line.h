/* irq_line: how a device model drives an interrupt line without knowing the controllers. */
#ifndef NESTOR_LIB_IRQ_LINE_H
#define NESTOR_LIB_IRQ_LINE_H

#include <stdbool.h>

/*
 * A device holds one of these and sets its line (a GSI) high or low; the VM wires it to
 * the vPIC and vIOAPIC. An edge-triggered device pulses: high, then low.
 */
struct irq_line_sink {
	void (*set_level)(void *ctx, unsigned gsi, bool asserted);
	void *ctx;
};

static inline void irq_line_set(const struct irq_line_sink *s, unsigned gsi, bool asserted)
{
	if (s && s->set_level)
		s->set_level(s->ctx, gsi, asserted);
}

static inline void irq_line_pulse(const struct irq_line_sink *s, unsigned gsi)
{
	irq_line_set(s, gsi, true);
	irq_line_set(s, gsi, false);
}

#endif
