/* reset_control: the ways a PC guest asks for a reset (0xcf9, port 0x92, the 8042), in one place. */
#include "devices/reset_control.h"

#include "devices/dev_log.h"

enum reset_log_reason { RESET_LOG_CF9_RESERVED };

void reset_control_request(struct reset_control *rc, const char *source)
{
	rc->requests++;
	rc->last_source = source;
	log_info("reset: guest requested a reset through %s", source);
	if (rc->on_reset)
		rc->on_reset(rc->ctx, source);
}

uint8_t reset_cf9_read(struct reset_control *rc)
{
	return rc->cf9;
}

/*
 * ICH reset control register: RST_CPU 0->1 resets (hard when SYS_RST is set). Linux's
 * reboot=pci writes SYS_RST first, then SYS_RST|RST_CPU. Either kind ends the run.
 */
void reset_cf9_write(struct reset_control *rc, uint8_t value)
{
	if (value & ~(CF9_WRITABLE | CF9_RST_CPU))
		dev_log_once(&rc->logged, RESET_LOG_CF9_RESERVED, LOG_DEBUG,
			     "reset: 0xcf9 reserved bits written (%#x); ignored", value);
	rc->cf9 = value & CF9_WRITABLE;
	if (value & CF9_RST_CPU)
		reset_control_request(rc, (value & CF9_SYS_RST) ? "0xcf9 hard reset"
								  : "0xcf9 soft reset");
}

static uint8_t port92_read_byte(void *dev, unsigned offset)
{
	struct reset_control *rc = dev;
	(void)offset;
	return rc->port92;
}

/* System control port A: bit 0 pulses INIT (fast reset), bit 1 is the fast A20 gate. */
static void port92_write_byte(void *dev, unsigned offset, uint8_t value)
{
	struct reset_control *rc = dev;
	(void)offset;
	rc->port92 = value & (uint8_t)~PORT92_FAST_RESET;
	if (value & PORT92_FAST_RESET)
		reset_control_request(rc, "port 0x92 fast reset");
}

void reset_control_init(struct reset_control *rc, reset_fn on_reset, void *ctx)
{
	io_byte_block_init(&rc->port92_io, PORT92, 1, port92_read_byte, port92_write_byte, rc);
	rc->on_reset = on_reset;
	rc->ctx = ctx;
	rc->cf9 = 0;
	rc->port92 = PORT92_A20;
	rc->requests = 0;
	rc->last_source = NULL;
	rc->logged = 0;
}
