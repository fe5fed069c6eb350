/* pit8254: the 8254 programmable interval timer on ports 0x40-0x43, counting injected time. */
#ifndef NESTOR_DEVICES_PIT8254_H
#define NESTOR_DEVICES_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/dev_irq.h"
#include "devices/io_split.h"
#include "lib/io_bus.h"
#include "lib/irq_line.h"

#define PIT_BASE       0x40
#define PIT_PORT_COUNT 4
#define PIT_PORT_CONTROL 0x43
#define PIT_IRQ        0	/* ISA IRQ 0 (the MADT overrides it to GSI 2 on the I/O APIC) */
#define PIT_HZ         1193182u
#define PIT_CHANNELS   3

/*
 * Periodic modes (2, 3) never interrupt more often than this, whatever count the guest
 * programs: a count of 2 would otherwise ask the host for 600000 timer exits a second.
 * KVM's i8254 applies the same kind of floor (min_timer_period_us, 200 us).
 */
#define PIT_MIN_PERIODIC_IRQ_NS 200000u

/* What the PIT logs once (bits of pit8254.logged, see dev_log.h). */
enum pit_log_reason { PIT_LOG_BCD, PIT_LOG_ILLEGAL_COUNT, PIT_LOG_CONTROL_READ,
		      PIT_LOG_READBACK_RESERVED, PIT_LOG_TIME_BACKWARDS };

enum pit_access { PIT_ACCESS_LATCH = 0, PIT_ACCESS_LSB = 1, PIT_ACCESS_MSB = 2, PIT_ACCESS_WORD = 3 };

struct pit_channel {
	uint8_t mode;		/* 0..5 (6 and 7 are folded to 2 and 3 on write) */
	uint8_t access;		/* enum pit_access, never LATCH */
	uint32_t reload;	/* N as counted: 1..65536 (a written 0 means 65536) */
	bool loaded;		/* a complete count was written since the control word */
	bool running;		/* counting (modes 1 and 5: since the gate trigger) */
	bool gate;
	bool out_idle;		/* OUT while not running: low in mode 0, high otherwise */
	bool null_count;	/* status bit 6: count written but not yet counting */
	uint16_t frozen_count;	/* what the counter shows while not running */
	uint64_t run_ns;	/* when the current stretch of counting started */
	uint64_t ticks_before;	/* ticks counted before run_ns (gate-low pauses) */
	uint64_t edges_done;	/* OUT rising edges already turned into interrupts */
	/* host-side flip-flops of the port protocol */
	bool write_msb_next;
	uint8_t write_lsb;
	bool read_msb_next;
	bool count_latched;
	bool latch_msb_next;
	uint16_t latch;
	bool status_latched;
	uint8_t status;
};

struct pit8254_stats {
	uint64_t coalesced_edges;	/* OUT0 rising edges merged into an earlier pulse */
	uint64_t control_writes;
	uint64_t count_writes;
	uint64_t reads;
	uint64_t time_backwards;	/* set_time calls with an older time, ignored */
	uint64_t rejected;		/* BCD requests, illegal counts, reserved bits */
};

struct pit8254 {
	struct io_byte_block io;	/* ports 0x40-0x43, register with io_byte_block_ops */
	struct pit_channel ch[PIT_CHANNELS];
	uint64_t now_ns;
	uint64_t last_irq_ns;
	bool irq_fired;
	struct dev_irq irq;		/* IRQ0, pulsed on OUT0 rising edges */
	uint32_t logged;
	struct pit8254_stats stats;
};

/*
 * Reset as QEMU leaves it (no BIOS runs first): every channel in mode 3, count 65536,
 * LSB-then-MSB access, counting from now_ns; gates of channels 0 and 1 tied high,
 * channel 2's gate low (port 0x61 bit 0). So IRQ0 ticks at 18.2 Hz until reprogrammed.
 */
void pit8254_init(struct pit8254 *p, unsigned irq, const struct irq_line_sink *irq_sink,
		  uint64_t now_ns);
/* Advances to now_ns (never backwards) and pulses IRQ0 for a rising edge of OUT0. */
void pit8254_set_time(struct pit8254 *p, uint64_t now_ns);
/* When OUT0 next rises (for the host timer), or DEVICE_NO_DEADLINE. */
uint64_t pit8254_next_deadline(const struct pit8254 *p);
/* Channel 2's gate is port 0x61 bit 0; channels 0 and 1 are tied high on a PC. */
void pit8254_set_gate(struct pit8254 *p, unsigned channel, bool gate);
bool pit8254_out(const struct pit8254 *p, unsigned channel);
uint16_t pit8254_count(const struct pit8254 *p, unsigned channel);

/* pit8254_counter.c: one channel's counting, as functions of injected time. */
uint64_t pit_channel_ticks(const struct pit_channel *ch, uint64_t now_ns);
uint16_t pit_channel_count(const struct pit_channel *ch, uint64_t now_ns);
bool pit_channel_out(const struct pit_channel *ch, uint64_t now_ns);
uint64_t pit_channel_edges(const struct pit_channel *ch, uint64_t ticks);
bool pit_channel_next_edge_tick(const struct pit_channel *ch, uint64_t *tick);
bool pit_mode_is_periodic(uint8_t mode);
bool pit_mode_is_gate_triggered(uint8_t mode);

/* pit8254_latch.c: the read side of the port protocol. */
void pit_latch_count(struct pit8254 *p, struct pit_channel *ch);
void pit_read_back(struct pit8254 *p, uint8_t value);
uint8_t pit_read_count(struct pit8254 *p, unsigned channel);

#endif
