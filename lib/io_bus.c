/* io_bus: a VM's port-I/O space, dispatching guest IN/OUT to device models. */
#include "lib/io_bus.h"

#include "lib/log.h"
#include "lib/string.h"

void io_bus_init(struct io_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

bool io_bus_register(struct io_bus *bus, uint16_t base, uint16_t count, const char *name,
		     const struct io_bus_ops *ops, void *dev)
{
	uint32_t end = (uint32_t)base + count;

	if (count == 0 || end > 0x10000 || !ops) {
		log_error("io_bus: bad range %s base=%#x count=%u", name, base, count);
		return false;
	}
	if (bus->nranges == IO_BUS_MAX_RANGES) {
		log_error("io_bus: table full, cannot add %s", name);
		return false;
	}
	for (unsigned i = 0; i < bus->nranges; i++) {
		const struct io_bus_range *r = &bus->ranges[i];
		if (base < (uint32_t)r->base + r->count && r->base < end) {
			log_error("io_bus: %s [%#x,+%u) overlaps %s [%#x,+%u)", name, base, count,
				  r->name, r->base, r->count);
			return false;
		}
	}
	bus->ranges[bus->nranges++] = (struct io_bus_range){ base, count, name, ops, dev };
	return true;
}

const struct io_bus_range *io_bus_find(const struct io_bus *bus, uint16_t port)
{
	for (unsigned i = 0; i < bus->nranges; i++) {
		const struct io_bus_range *r = &bus->ranges[i];
		if (port >= r->base && port - r->base < r->count)
			return r;
	}
	return NULL;
}

static uint32_t io_bus_size_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static void io_bus_log_unhandled(struct io_bus *bus, uint16_t port, const char *what,
				 unsigned size, uint32_t value)
{
	uint8_t bit = (uint8_t)(1u << (port & 7));
	if (bus->logged[port >> 3] & bit)
		return;
	bus->logged[port >> 3] |= bit;
	log_debug("io: unhandled %s port %#06x size %u value %#x (reads give all ones, "
		  "writes are dropped; logged once per port)", what, port, size, value);
}

uint32_t io_bus_read(struct io_bus *bus, uint16_t port, unsigned size)
{
	uint32_t mask = io_bus_size_mask(size);
	const struct io_bus_range *r = io_bus_find(bus, port);

	if (r && r->ops->read)
		return r->ops->read(r->dev, port, size) & mask;
	bus->unhandled_reads++;
	io_bus_log_unhandled(bus, port, "read of", size, mask);
	return mask;
}

void io_bus_write(struct io_bus *bus, uint16_t port, unsigned size, uint32_t value)
{
	uint32_t mask = io_bus_size_mask(size);
	const struct io_bus_range *r = io_bus_find(bus, port);

	if (r && r->ops->write) {
		r->ops->write(r->dev, port, size, value & mask);
		return;
	}
	bus->unhandled_writes++;
	io_bus_log_unhandled(bus, port, "write to", size, value & mask);
}
