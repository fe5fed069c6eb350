/* io_split: byte-wide devices answering 16- and 32-bit port accesses the way the ISA bus does. */
#include "devices/io_split.h"

void io_byte_block_init(struct io_byte_block *b, uint16_t base, uint16_t count,
			io_byte_read_fn read_byte, io_byte_write_fn write_byte, void *dev)
{
	*b = (struct io_byte_block){ base, count, read_byte, write_byte, dev };
}

/* Port I/O is at most 4 bytes wide; anything larger is clipped rather than trusted. */
static unsigned io_split_bytes(unsigned size)
{
	return size > 4 ? 4 : size;
}

/* A port below the block (a misregistration) wraps to a large offset: outside, too. */
static unsigned io_split_offset(const struct io_byte_block *b, uint16_t port, unsigned i)
{
	return (uint16_t)(port - b->base) + i;
}

static uint32_t io_byte_block_read(void *block, uint16_t port, unsigned size)
{
	const struct io_byte_block *b = block;
	uint32_t value = 0;

	for (unsigned i = 0; i < io_split_bytes(size); i++) {
		unsigned offset = io_split_offset(b, port, i);
		uint8_t byte = offset < b->count ? b->read_byte(b->dev, offset) : 0xff;
		value |= (uint32_t)byte << (8 * i);
	}
	return value;
}

static void io_byte_block_write(void *block, uint16_t port, unsigned size, uint32_t value)
{
	const struct io_byte_block *b = block;

	for (unsigned i = 0; i < io_split_bytes(size); i++) {
		unsigned offset = io_split_offset(b, port, i);
		if (offset < b->count)
			b->write_byte(b->dev, offset, (uint8_t)(value >> (8 * i)));
	}
}

const struct io_bus_ops io_byte_block_ops = { io_byte_block_read, io_byte_block_write };
