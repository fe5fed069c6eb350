/* post_port: port 0x80, the POST-code latch (and Linux's I/O delay port): last value and a count. */
#include "devices/post_port.h"

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

void post_port_init(struct post_port *p)
{
	io_byte_block_init(&p->io, POST_PORT, 1, post_port_read_byte, post_port_write_byte, p);
	p->last = 0;
	p->writes = 0;
}
