/* io_split: byte-wide devices answering 16- and 32-bit port accesses the way the ISA bus does. */
#ifndef NESTOR_DEVICES_IO_SPLIT_H
#define NESTOR_DEVICES_IO_SPLIT_H

#include <stdint.h>

typedef uint8_t (*io_byte_read_fn)(void *dev, unsigned offset);
typedef void (*io_byte_write_fn)(void *dev, unsigned offset, uint8_t value);

/*
 * An ISA bus turns a wide IN/OUT on an 8-bit device into byte cycles on consecutive
 * ports, lowest first. These helpers do the same for a device whose registers are
 * bytes at offsets [0, count): byte i of the access goes to offset + i. Bytes past the
 * device's own range read 0xff and are dropped on write (nothing of ours decodes them).
 */
uint32_t io_split_read(void *dev, unsigned offset, unsigned size, unsigned count,
		       io_byte_read_fn read_byte);
void io_split_write(void *dev, unsigned offset, unsigned size, unsigned count, uint32_t value,
		    io_byte_write_fn write_byte);

#endif
