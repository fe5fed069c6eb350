/* port61: system control port B (0x61): PIT channel 2 gate, speaker enable and OUT2 readback. */
#ifndef NESTOR_DEVICES_PORT61_H
#define NESTOR_DEVICES_PORT61_H

#include <stdint.h>

#include "devices/io_split.h"
#include "devices/pit8254.h"
#include "lib/io_bus.h"

#define PORT61 0x61

#define PORT61_GATE2        0x01	/* r/w: PIT channel 2 gate */
#define PORT61_SPEAKER      0x02	/* r/w: speaker data enable (no sound here) */
#define PORT61_PARITY_OFF   0x04	/* r/w: memory parity check disabled */
#define PORT61_IOCHK_OFF    0x08	/* r/w: I/O channel check disabled */
#define PORT61_WRITABLE     0x0f
#define PORT61_REFRESH      0x10	/* ro: toggles with each DRAM refresh request */
#define PORT61_OUT2         0x20	/* ro: PIT channel 2 output */
/* Bits 6 (IOCHK) and 7 (parity error) read 0: nothing here raises those NMIs. */

/* DRAM refresh requests came from PIT channel 1 at count 18 (about 15.09 us). */
#define PORT61_REFRESH_TICKS 18

struct port61 {
	struct io_byte_block io;	/* register with io_byte_block_ops */
	struct pit8254 *pit;
	uint8_t control;	/* bits 3:0 as last written */
	uint64_t reads;
	uint64_t writes;
};

/* Reset: all control bits 0, so channel 2's gate is low (matches pit8254_init). */
void port61_init(struct port61 *s, struct pit8254 *pit);

#endif
