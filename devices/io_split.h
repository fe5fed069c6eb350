/* io_split: byte-wide devices answering 16- and 32-bit port accesses the way the ISA bus does. */
#ifndef NESTOR_DEVICES_IO_SPLIT_H
#define NESTOR_DEVICES_IO_SPLIT_H

#include <stdint.h>

#include "lib/io_bus.h"

typedef uint8_t (*io_byte_read_fn)(void *dev, unsigned offset);
typedef void (*io_byte_write_fn)(void *dev, unsigned offset, uint8_t value);

/* A run of one device's byte registers at ports [base, base + count). */
struct io_byte_block {
	uint16_t base;
	uint16_t count;
	io_byte_read_fn read_byte;
	io_byte_write_fn write_byte;
	void *dev;
};

void io_byte_block_init(struct io_byte_block *b, uint16_t base, uint16_t count,
			io_byte_read_fn read_byte, io_byte_write_fn write_byte, void *dev);

/*
 * Register a block with these ops and the block itself as the bus's dev pointer.
 * An ISA bus turns a wide IN/OUT on an 8-bit device into byte cycles on consecutive
 * ports, lowest first; so do these: byte i of the access goes to port + i. Bytes past
 * the block read 0xff and are dropped on write (nothing of this device decodes them).
 */
extern const struct io_bus_ops io_byte_block_ops;

#endif
