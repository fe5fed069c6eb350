/* dev_fakes: interrupt-line and reset recorders shared by the device model tests. */
#ifndef NESTOR_TESTS_DEV_FAKES_H
#define NESTOR_TESTS_DEV_FAKES_H

#include <stdbool.h>
#include <string.h>

#include "lib/irq_line.h"

#define FAKE_IRQ_LINES 32

/* Level of every line, and how many rising and falling edges each saw. */
struct fake_irqs {
	bool level[FAKE_IRQ_LINES];
	unsigned rises[FAKE_IRQ_LINES];
	unsigned falls[FAKE_IRQ_LINES];
	unsigned bad_gsi;
};

static inline void fake_irq_set_level(void *ctx, unsigned gsi, bool asserted)
{
	struct fake_irqs *f = ctx;
	if (gsi >= FAKE_IRQ_LINES) {
		f->bad_gsi++;
		return;
	}
	if (asserted && !f->level[gsi])
		f->rises[gsi]++;
	if (!asserted && f->level[gsi])
		f->falls[gsi]++;
	f->level[gsi] = asserted;
}

static inline struct irq_line_sink fake_irqs_sink(struct fake_irqs *f)
{
	memset(f, 0, sizeof(*f));
	return (struct irq_line_sink){ fake_irq_set_level, f };
}

/* Records reset requests made through reset_control (devices/reset_control.h). */
struct fake_resets {
	int count;
	const char *source;
};

static inline void fake_reset(void *ctx, const char *source)
{
	struct fake_resets *f = ctx;
	f->count++;
	f->source = source;
}

#endif
