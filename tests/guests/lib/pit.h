/* pit: the 8254 timer: channel 0 (IRQ0) and channel 2 (gated by port 0x61). */
#ifndef GUEST_PIT_H
#define GUEST_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182u
/*
 * The periodic IRQ0 rate of the payloads that count PIT ticks (ioapic, pic_extint, seed003).
 * 100 Hz, not 1 kHz: run as L2 through KVM under nestor on TCG, L2 takes about 600
 * interrupts per second at most (every injection, EOI and window is a nested round trip),
 * and KVM's in-kernel PIT re-injects every missed tick, so a 1 kHz PIT kept L2 inside its
 * handler for good (docs/l1.md, "L2 under nestor"). Three ticks still come within 30 ms.
 */
#define PIT_TICK_HZ 100u

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
