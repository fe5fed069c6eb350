/* post_port: port 0x80, the POST-code latch (and Linux's I/O delay port): last value and a count. */
#include "devices/post_port.h"

#include "devices/io_split.h"

void post_port_init(struct post_port *p)
{
	p->last = 0;
	p->writes = 0;
}

static uint8_t post_port_read_byte(void *dev, unsigned offset)
{
	struct post_port *p = dev;
	(void)offset;
	return p->last;
}

/* Silent on purpose: Linux writes here for every outb_p() as an I/O delay. */
static void post_port_write_byte(void *dev, unsigned offset, uint8_t value)
{
	struct post_port *p = dev;
	(void)offset;
	p->last = value;
	p->writes++;
}

static uint32_t post_port_io_read(void *dev, uint16_t port, unsigned size)
{
	return io_split_read(dev, (uint16_t)(port - POST_PORT), size, 1, post_port_read_byte);
}

static void post_port_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	io_split_write(dev, (uint16_t)(port - POST_PORT), size, 1, value, post_port_write_byte);
}

const struct io_bus_ops post_port_io_ops = { post_port_io_read, post_port_io_write };
