/* mmio_bus: a VM's MMIO regions (xAPIC, IOAPIC, ...), dispatching decoded guest accesses. */
#include "lib/mmio_bus.h"

#include "lib/log.h"
#include "lib/string.h"

void mmio_bus_init(struct mmio_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

bool mmio_bus_register(struct mmio_bus *bus, uint64_t base, uint64_t len, const char *name,
		       const struct mmio_bus_ops *ops, void *dev)
{
	if (len == 0 || base + len < base || !ops) {
		log_error("mmio_bus: bad region %s base=%#llx len=%#llx", name,
			  (unsigned long long)base, (unsigned long long)len);
		return false;
	}
	if (bus->nregions == MMIO_BUS_MAX_REGIONS) {
		log_error("mmio_bus: table full, cannot add %s", name);
		return false;
	}
	for (unsigned i = 0; i < bus->nregions; i++) {
		const struct mmio_bus_region *r = &bus->regions[i];
		if (base < r->base + r->len && r->base < base + len) {
			log_error("mmio_bus: %s overlaps %s", name, r->name);
			return false;
		}
	}
	bus->regions[bus->nregions++] = (struct mmio_bus_region){ base, len, name, ops, dev };
	return true;
}

const struct mmio_bus_region *mmio_bus_find(const struct mmio_bus *bus, uint64_t gpa)
{
	for (unsigned i = 0; i < bus->nregions; i++) {
		const struct mmio_bus_region *r = &bus->regions[i];
		if (gpa >= r->base && gpa - r->base < r->len)
			return r;
	}
	return NULL;
}

static uint64_t mmio_size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static void mmio_bus_log_unhandled(struct mmio_bus *bus, const char *what, uint64_t gpa,
				   unsigned size)
{
	if (bus->unhandled_reads + bus->unhandled_writes > MMIO_BUS_LOG_LIMIT)
		return;
	log_warn("mmio: unhandled %s gpa %#llx size %u (reads give all ones, writes are dropped)",
		 what, (unsigned long long)gpa, size);
}

uint64_t mmio_bus_read(struct mmio_bus *bus, uint64_t gpa, unsigned size)
{
	const struct mmio_bus_region *r = mmio_bus_find(bus, gpa);

	if (r && r->ops->read)
		return r->ops->read(r->dev, gpa - r->base, size) & mmio_size_mask(size);
	bus->unhandled_reads++;
	mmio_bus_log_unhandled(bus, "read of", gpa, size);
	return mmio_size_mask(size);
}

void mmio_bus_write(struct mmio_bus *bus, uint64_t gpa, unsigned size, uint64_t value)
{
	const struct mmio_bus_region *r = mmio_bus_find(bus, gpa);

	if (r && r->ops->write) {
		r->ops->write(r->dev, gpa - r->base, size, value & mmio_size_mask(size));
		return;
	}
	bus->unhandled_writes++;
	mmio_bus_log_unhandled(bus, "write to", gpa, size);
}
