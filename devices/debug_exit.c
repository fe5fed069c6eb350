/* debug_exit: QEMU's isa-debug-exit: a guest write of V ends the run with status (V << 1) | 1. */
#include "devices/debug_exit.h"

#include "lib/log.h"

void debug_exit_init(struct debug_exit *d, debug_exit_fn on_exit, void *ctx)
{
	d->on_exit = on_exit;
	d->ctx = ctx;
	d->writes = 0;
	d->last_value = 0;
}

uint32_t debug_exit_status(uint32_t value)
{
	return (value << 1) | 1;
}

/* The port is write-only; nothing drives the bus on a read. */
static uint32_t debug_exit_io_read(void *dev, uint16_t port, unsigned size)
{
	(void)dev;
	(void)port;
	(void)size;
	return 0xffffffffu;
}

/* Any size, any of the four ports: the value written (already cut to the size) counts. */
static void debug_exit_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct debug_exit *d = dev;

	(void)size;
	d->writes++;
	d->last_value = value;
	log_info("debug-exit: guest wrote %#x to port %#x (status %u)", value, port,
		 debug_exit_status(value));
	if (d->on_exit)
		d->on_exit(d->ctx, value);
}

const struct io_bus_ops debug_exit_io_ops = { debug_exit_io_read, debug_exit_io_write };
