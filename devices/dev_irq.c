/* dev_irq: a device's interrupt output held at a level, with its rising edges counted. */
#include "devices/dev_irq.h"

void dev_irq_init(struct dev_irq *line, const struct irq_line_sink *sink, unsigned irq)
{
	*line = (struct dev_irq){ sink, irq, false, 0 };
}

void dev_irq_set(struct dev_irq *line, bool level)
{
	if (level == line->level)
		return;
	line->level = level;
	if (level)
		line->raised++;
	irq_line_set(line->sink, line->irq, level);
}

void dev_irq_pulse(struct dev_irq *line)
{
	dev_irq_set(line, true);
	dev_irq_set(line, false);
}
