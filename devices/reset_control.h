/* reset_control: the ways a PC guest asks for a reset (0xcf9, port 0x92, the 8042), in one place. */
#ifndef NESTOR_DEVICES_RESET_CONTROL_H
#define NESTOR_DEVICES_RESET_CONTROL_H

#include <stdint.h>

#include "devices/io_split.h"

#define RESET_CF9_PORT 0xcf9	/* decoded inside the PCI host's 0xcf8-0xcfb, byte accesses */
#define PORT92         0x92

#define CF9_SYS_RST  0x02	/* r/w: the next RST_CPU is a hard (system) reset */
#define CF9_RST_CPU  0x04	/* write 1: reset now; reads 0 */
#define CF9_FULL_RST 0x08	/* r/w: hard reset also drops power */
#define CF9_WRITABLE (CF9_SYS_RST | CF9_FULL_RST)

#define PORT92_FAST_RESET 0x01	/* write 1: reset now; reads 0 */
#define PORT92_A20        0x02	/* kept as written; nestor never masks A20 */

/* The platform ends the run on a guest reset; source names the mechanism for the report. */
typedef void (*reset_fn)(void *ctx, const char *source);

struct reset_control {
	struct io_byte_block port92_io;	/* port 0x92, register with io_byte_block_ops */
	reset_fn on_reset;
	void *ctx;
	uint8_t cf9;
	uint8_t port92;
	uint64_t requests;
	const char *last_source;
	uint32_t logged;
};

/* Reset: 0xcf9 reads 0, port 0x92 reads 0x02 (A20 on). */
void reset_control_init(struct reset_control *rc, reset_fn on_reset, void *ctx);
void reset_control_request(struct reset_control *rc, const char *source);
uint8_t reset_cf9_read(struct reset_control *rc);
void reset_cf9_write(struct reset_control *rc, uint8_t value);

#endif
