/* guest_ram: a zeroed guest RAM block for host tests of the walker and the emulator. */
#ifndef NESTOR_TESTS_UNIT_DECODE_GUEST_RAM_H
#define NESTOR_TESTS_UNIT_DECODE_GUEST_RAM_H

#include <stdlib.h>

#include "lib/guest_mem.h"

static struct guest_mem ram;

/* cmocka group setup/teardown: RAM of ram_size bytes at guest-physical 0. */
static inline int guest_ram_setup(uint64_t ram_size)
{
	ram.size = ram_size;
	ram.hva = calloc(1, ram_size);
	return ram.hva ? 0 : -1;
}

static inline int guest_ram_teardown(void **state)
{
	(void)state;
	free(ram.hva);
	ram.hva = NULL;
	return 0;
}

#endif
