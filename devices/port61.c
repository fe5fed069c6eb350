/* port61: system control port B (0x61): PIT channel 2 gate, speaker enable and OUT2 readback. */
#include "devices/port61.h"

#include "devices/clock_ticks.h"
#include "devices/io_split.h"

void port61_init(struct port61 *s, struct pit8254 *pit)
{
	s->pit = pit;
	s->control = 0;
	s->reads = s->writes = 0;
	pit8254_set_gate(pit, 2, false);
}

/*
 * Linux's PIT TSC calibration (arch/x86/kernel/tsc.c) raises the gate here, programs
 * channel 2 in mode 0 and polls bit 5 until OUT2 rises, so OUT2 must follow the
 * injected time at the moment of each read.
 */
uint8_t port61_read(struct port61 *s)
{
	uint64_t ticks = clock_ticks_at(s->pit->now_ns, PIT_HZ);
	uint8_t value = s->control;

	s->reads++;
	if ((ticks / PORT61_REFRESH_TICKS) & 1)
		value |= PORT61_REFRESH;
	if (pit8254_out(s->pit, 2))
		value |= PORT61_OUT2;
	return value;
}

/* Bits 7:4 are status: writes to them are ignored, as on the chipset. */
void port61_write(struct port61 *s, uint8_t value)
{
	s->writes++;
	s->control = value & PORT61_WRITABLE;
	pit8254_set_gate(s->pit, 2, value & PORT61_GATE2);
}

static uint8_t port61_read_byte(void *dev, unsigned offset)
{
	(void)offset;
	return port61_read(dev);
}

static void port61_write_byte(void *dev, unsigned offset, uint8_t value)
{
	(void)offset;
	port61_write(dev, value);
}

static uint32_t port61_io_read(void *dev, uint16_t port, unsigned size)
{
	return io_split_read(dev, (uint16_t)(port - PORT61), size, 1, port61_read_byte);
}

static void port61_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	io_split_write(dev, (uint16_t)(port - PORT61), size, 1, value, port61_write_byte);
}

const struct io_bus_ops port61_io_ops = { port61_io_read, port61_io_write };
