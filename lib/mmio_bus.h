/* mmio_bus: a VM's MMIO regions (xAPIC, IOAPIC, ...), dispatching decoded guest accesses. */
#ifndef NESTOR_LIB_MMIO_BUS_H
#define NESTOR_LIB_MMIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

/* size is 1, 2, 4 or 8; offset is relative to the region's base. */
struct mmio_bus_ops {
	uint64_t (*read)(void *dev, uint64_t offset, unsigned size);
	void (*write)(void *dev, uint64_t offset, unsigned size, uint64_t value);
};

struct mmio_bus_region {
	uint64_t base;
	uint64_t len;
	const char *name;
	const struct mmio_bus_ops *ops;
	void *dev;
};

#define MMIO_BUS_MAX_REGIONS 16
#define MMIO_BUS_LOG_LIMIT 16

struct mmio_bus {
	struct mmio_bus_region regions[MMIO_BUS_MAX_REGIONS];
	unsigned nregions;
	uint64_t unhandled_reads;
	uint64_t unhandled_writes;
};

void mmio_bus_init(struct mmio_bus *bus);
bool mmio_bus_register(struct mmio_bus *bus, uint64_t base, uint64_t len, const char *name,
		       const struct mmio_bus_ops *ops, void *dev);
const struct mmio_bus_region *mmio_bus_find(const struct mmio_bus *bus, uint64_t gpa);
/*
 * An access that no region claims reads as all ones and drops writes, like an
 * unclaimed bus cycle; the first MMIO_BUS_LOG_LIMIT are logged, all are counted.
 */
uint64_t mmio_bus_read(struct mmio_bus *bus, uint64_t gpa, unsigned size);
void mmio_bus_write(struct mmio_bus *bus, uint64_t gpa, unsigned size, uint64_t value);

#endif
