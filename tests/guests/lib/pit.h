/* pit: the 8254 timer: channel 0 (IRQ0) and channel 2 (gated by port 0x61). */
#ifndef GUEST_PIT_H
#define GUEST_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182u

/* Channel 0, mode 2 (rate generator): an IRQ0 edge every `count` PIT ticks. */
void pit_ch0_periodic(uint16_t count);
/* Channel 0, mode 0: one IRQ0 edge after `count` ticks. */
void pit_ch0_oneshot(uint16_t count);
/* Reprograms channel 0 in mode 0 without a count: OUT0 stays low, no more IRQ0 edges. */
void pit_ch0_stop(void);
/* Latches and reads the current count of channel 0 or 2. */
uint16_t pit_read_count(unsigned channel);

/* Channel 2 in mode 0 with the gate raised: OUT2 (port 0x61 bit 5) rises after `count`. */
void pit_ch2_start(uint16_t count);
bool pit_ch2_out(void);
void pit_ch2_stop(void);

#endif
