/* pc_testdev: QEMU's -device pc-testdev ports that kvm-unit-tests use (scratch, flush, IRQ lines). */
#ifndef NESTOR_DEVICES_PC_TESTDEV_H
#define NESTOR_DEVICES_PC_TESTDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/dev_irq.h"
#include "devices/io_split.h"
#include "lib/io_bus.h"
#include "lib/irq_line.h"

#define PC_TESTDEV_SCRATCH      0xe0	/* 4 ports: a 32-bit scratch register, any width */
#define PC_TESTDEV_FLUSH        0xe4	/* 4 ports: dword "flush page" write */
#define PC_TESTDEV_SCRATCH_BYTE 0xe8	/* 4 ports: the same register, byte-lane view */
#define PC_TESTDEV_BLOCK        4
#define PC_TESTDEV_IRQ_BASE     0x2000	/* a byte write of v to 0x2000 + n sets ISA IRQ n to !!v */
#define PC_TESTDEV_IRQ_LINES    24

struct pc_testdev_stats {
	uint64_t scratch_bytes;		/* bytes read or written, either window */
	uint64_t flushes;
	uint64_t irq_writes;
	uint64_t bad_accesses;
};

struct pc_testdev {
	struct io_byte_block scratch_io;		/* 0xe0-0xe3 */
	struct io_byte_block scratch_byte_io;	/* 0xe8-0xeb: the same register */
	uint32_t scratch;
	struct dev_irq lines[PC_TESTDEV_IRQ_LINES];	/* ISA IRQ n = lines[n] */
	uint32_t logged;
	struct pc_testdev_stats stats;
};

void pc_testdev_init(struct pc_testdev *t, const struct irq_line_sink *irq_sink);

extern const struct io_bus_ops pc_testdev_flush_io_ops;
extern const struct io_bus_ops pc_testdev_irq_io_ops;

#endif
