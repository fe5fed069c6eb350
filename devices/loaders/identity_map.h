/* identity_map: page tables mapping the guest's first 4 GiB 1:1, for a 64-bit entry. */
#ifndef NESTOR_DEVICES_LOADERS_IDENTITY_MAP_H
#define NESTOR_DEVICES_LOADERS_IDENTITY_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/guest_mem.h"

/* One PML4, one PDPT and four page directories of 2 MiB pages. */
#define IDENTITY_MAP_PAGES 6u

/* Writes the tables at page-aligned gpa; returns false if guest RAM does not hold them. */
bool identity_map_build(const struct guest_mem *mem, uint64_t gpa);

#endif
