/* pc_testdev: QEMU's -device pc-testdev ports that kvm-unit-tests use (scratch, flush, IRQ lines). */
#include "devices/pc_testdev.h"

#include "devices/dev_log.h"

enum pc_testdev_log_reason { TESTDEV_LOG_FLUSH, TESTDEV_LOG_IRQ };

/* Both 4-port windows show the one 32-bit register, byte lane = port offset. */
static uint8_t pc_testdev_scratch_read_byte(void *dev, unsigned offset)
{
	struct pc_testdev *t = dev;
	t->stats.scratch_bytes++;
	return (uint8_t)(t->scratch >> (8 * offset));
}

static void pc_testdev_scratch_write_byte(void *dev, unsigned offset, uint8_t value)
{
	struct pc_testdev *t = dev;
	t->stats.scratch_bytes++;
	t->scratch = (t->scratch & ~(0xffu << (8 * offset))) | (uint32_t)value << (8 * offset);
}

static uint32_t pc_testdev_write_only(void *dev, uint16_t port, unsigned size)
{
	struct pc_testdev *t = dev;
	(void)port;
	(void)size;
	t->stats.bad_accesses++;
	return 0xffffffffu;
}

/*
 * QEMU mprotect()s the named guest page to exercise KVM's dirty tracking; nestor has
 * no host mapping to toggle, so a valid dword write is counted and otherwise a no-op.
 */
static void pc_testdev_flush_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct pc_testdev *t = dev;

	if (size != 4 || port != PC_TESTDEV_FLUSH) {
		t->stats.bad_accesses++;
		dev_log_once(&t->logged, TESTDEV_LOG_FLUSH, LOG_DEBUG,
			     "pc-testdev: flush port takes aligned dword writes only (%u bytes at "
			     "%#x ignored)", size, port);
		return;
	}
	(void)value;
	t->stats.flushes++;
}

/* QEMU accepts only byte writes here; the line follows the value's truth. */
static void pc_testdev_irq_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct pc_testdev *t = dev;
	unsigned line = (uint16_t)(port - PC_TESTDEV_IRQ_BASE);

	if (size != 1 || line >= PC_TESTDEV_IRQ_LINES) {
		t->stats.bad_accesses++;
		dev_log_once(&t->logged, TESTDEV_LOG_IRQ, LOG_DEBUG,
			     "pc-testdev: IRQ-line port %#x takes byte writes only (%u bytes "
			     "ignored)", port, size);
		return;
	}
	t->stats.irq_writes++;
	dev_irq_set(&t->lines[line], value != 0);
}

const struct io_bus_ops pc_testdev_flush_io_ops = { pc_testdev_write_only, pc_testdev_flush_write };
const struct io_bus_ops pc_testdev_irq_io_ops = { pc_testdev_write_only, pc_testdev_irq_write };

void pc_testdev_init(struct pc_testdev *t, const struct irq_line_sink *irq_sink)
{
	*t = (struct pc_testdev){ 0 };
	for (unsigned n = 0; n < PC_TESTDEV_IRQ_LINES; n++)
		dev_irq_init(&t->lines[n], irq_sink, n);
	io_byte_block_init(&t->scratch_io, PC_TESTDEV_SCRATCH, PC_TESTDEV_BLOCK,
			   pc_testdev_scratch_read_byte, pc_testdev_scratch_write_byte, t);
	io_byte_block_init(&t->scratch_byte_io, PC_TESTDEV_SCRATCH_BYTE, PC_TESTDEV_BLOCK,
			   pc_testdev_scratch_read_byte, pc_testdev_scratch_write_byte, t);
}
