/* post_port: port 0x80, the POST-code latch (and Linux's I/O delay port): last value and a count. */
#ifndef NESTOR_DEVICES_POST_PORT_H
#define NESTOR_DEVICES_POST_PORT_H

#include <stdint.h>

#include "devices/io_split.h"

#define POST_PORT 0x80

struct post_port {
	struct io_byte_block io;	/* register with io_byte_block_ops */
	uint8_t last;		/* shown on a POST card; reads return it */
	uint64_t writes;
};

void post_port_init(struct post_port *p);

#endif
