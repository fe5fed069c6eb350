/* dev_irq: a device's interrupt output held at a level, with its rising edges counted. */
#ifndef NESTOR_DEVICES_DEV_IRQ_H
#define NESTOR_DEVICES_DEV_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/irq_line.h"

struct dev_irq {
	const struct irq_line_sink *sink;
	unsigned irq;		/* ISA IRQ number */
	bool level;
	uint64_t raised;	/* low-to-high transitions, for the run report */
};

void dev_irq_init(struct dev_irq *line, const struct irq_line_sink *sink, unsigned irq);
/* Drives the line only when the level changes, so the sink sees real edges. */
void dev_irq_set(struct dev_irq *line, bool level);
/* One rising and one falling edge, for outputs modelled only by their edges (PIT OUT0). */
void dev_irq_pulse(struct dev_irq *line);

#endif
