/* port61: system control port B (0x61): PIT channel 2 gate, speaker enable and OUT2 readback. */
#include "devices/port61.h"

#include "devices/clock_ticks.h"

/*
 * Linux's PIT TSC calibration (arch/x86/kernel/tsc.c) raises the gate here, programs
 * channel 2 in mode 0 and polls bit 5 until OUT2 rises, so OUT2 must follow the
 * injected time at the moment of each read.
 */
static uint8_t port61_read(void *dev, unsigned offset)
{
	struct port61 *s = dev;
	uint64_t ticks = clock_ticks_at(s->pit->now_ns, PIT_HZ);
	uint8_t value = s->control;

	(void)offset;
	s->reads++;
	if ((ticks / PORT61_REFRESH_TICKS) & 1)
		value |= PORT61_REFRESH;
	if (pit8254_out(s->pit, 2))
		value |= PORT61_OUT2;
	return value;
}

/* Bits 7:4 are status: writes to them are ignored, as on the chipset. */
static void port61_write(void *dev, unsigned offset, uint8_t value)
{
	struct port61 *s = dev;

	(void)offset;
	s->writes++;
	s->control = value & PORT61_WRITABLE;
	pit8254_set_gate(s->pit, 2, value & PORT61_GATE2);
}

void port61_init(struct port61 *s, struct pit8254 *pit)
{
	io_byte_block_init(&s->io, PORT61, 1, port61_read, port61_write, s);
	s->pit = pit;
	s->control = 0;
	s->reads = s->writes = 0;
	pit8254_set_gate(pit, 2, false);
}
