/* io_bus: a VM's port-I/O space, dispatching guest IN/OUT to device models. */
#ifndef NESTOR_LIB_IO_BUS_H
#define NESTOR_LIB_IO_BUS_H

#include <stdbool.h>
#include <stdint.h>

/* size is 1, 2 or 4; a read returns the value in the low `size` bytes. */
struct io_bus_ops {
	uint32_t (*read)(void *dev, uint16_t port, unsigned size);
	void (*write)(void *dev, uint16_t port, unsigned size, uint32_t value);
};

struct io_bus_range {
	uint16_t base;
	uint16_t count;
	const char *name;
	const struct io_bus_ops *ops;
	void *dev;
};

#define IO_BUS_MAX_RANGES 48

struct io_bus {
	struct io_bus_range ranges[IO_BUS_MAX_RANGES];
	unsigned nranges;
	uint64_t unhandled_reads;
	uint64_t unhandled_writes;
	/* One bit per port: an unhandled port is logged the first time only. */
	uint8_t logged[65536 / 8];
};

void io_bus_init(struct io_bus *bus);
/* false (and logged) when the range overlaps another, wraps, or the table is full. */
bool io_bus_register(struct io_bus *bus, uint16_t base, uint16_t count, const char *name,
		     const struct io_bus_ops *ops, void *dev);
/*
 * Unclaimed ports behave like an empty ISA bus: reads return all ones, writes are
 * dropped; both are counted and logged once per port.
 */
uint32_t io_bus_read(struct io_bus *bus, uint16_t port, unsigned size);
void io_bus_write(struct io_bus *bus, uint16_t port, unsigned size, uint32_t value);
const struct io_bus_range *io_bus_find(const struct io_bus *bus, uint16_t port);

#endif
