/* debug_exit: QEMU's isa-debug-exit: a guest write of V ends the run with status (V << 1) | 1. */
#ifndef NESTOR_DEVICES_DEBUG_EXIT_H
#define NESTOR_DEVICES_DEBUG_EXIT_H

#include <stdint.h>

#include "lib/io_bus.h"

#define DEBUG_EXIT_BASE  0xf4
#define DEBUG_EXIT_COUNT 4

/* The run's exit status is (value << 1) | 1, as QEMU's process exit code would be. */
typedef void (*debug_exit_fn)(void *ctx, uint32_t value);

struct debug_exit {
	debug_exit_fn on_exit;
	void *ctx;
	uint64_t writes;
	uint32_t last_value;
};

void debug_exit_init(struct debug_exit *d, debug_exit_fn on_exit, void *ctx);
/* QEMU's status for a write of value: what a launcher reports as the guest's result. */
uint32_t debug_exit_status(uint32_t value);

extern const struct io_bus_ops debug_exit_io_ops;

#endif
