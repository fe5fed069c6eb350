/* io_split: byte-wide devices answering 16- and 32-bit port accesses the way the ISA bus does. */
#include "devices/io_split.h"

/* Port I/O is at most 4 bytes wide; anything larger is clipped rather than trusted. */
static unsigned io_split_bytes(unsigned size)
{
	return size > 4 ? 4 : size;
}

uint32_t io_split_read(void *dev, unsigned offset, unsigned size, unsigned count,
		       io_byte_read_fn read_byte)
{
	uint32_t value = 0;

	for (unsigned i = 0; i < io_split_bytes(size); i++) {
		uint8_t byte = offset + i < count ? read_byte(dev, offset + i) : 0xff;
		value |= (uint32_t)byte << (8 * i);
	}
	return value;
}

void io_split_write(void *dev, unsigned offset, unsigned size, unsigned count, uint32_t value,
		    io_byte_write_fn write_byte)
{
	for (unsigned i = 0; i < io_split_bytes(size); i++) {
		if (offset + i < count)
			write_byte(dev, offset + i, (uint8_t)(value >> (8 * i)));
	}
}
