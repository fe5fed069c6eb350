/* vioapic: the I/O APIC's registers and MMIO window (82093AA datasheet 3.0-3.2). */
#include "apic/apic_vm.h"
#include "lib/string.h"

void vioapic_init(struct vioapic *io, struct apic_vm *vm, bool eoi_register,
		  uint32_t storm_threshold)
{
	memset(io, 0, sizeof(*io));
	io->vm = vm;
	io->version = eoi_register ? VIOAPIC_VERSION_EOI : VIOAPIC_VERSION_PLAIN;
	io->storm_threshold = storm_threshold ? storm_threshold : VIOAPIC_DEFAULT_STORM_THRESHOLD;
	vioapic_reset(io);
}

/* Reset: ID 0, every entry masked (82093AA 3.2.4). */
void vioapic_reset(struct vioapic *io)
{
	spin_lock(&io->lock);
	io->id = 0;
	io->regsel = 0;
	for (unsigned i = 0; i < VIOAPIC_PINS; i++)
		io->pin[i] = (struct vioapic_pin){ .rte = VIOAPIC_RTE_MASKED };
	spin_unlock(&io->lock);
}

bool vioapic_has_eoi_register(const struct vioapic *io)
{
	return io->version >= VIOAPIC_VERSION_EOI;
}

static uint32_t read_locked(struct vioapic *io, uint32_t index)
{
	if (index == VIOAPIC_REG_ID)
		return io->id;
	if (index == VIOAPIC_REG_VERSION)
		return io->version | ((VIOAPIC_PINS - 1u) << 16);
	if (index == VIOAPIC_REG_ARB)
		return io->id;	/* the arbitration ID is loaded from the ID */
	if (index >= VIOAPIC_REG_REDIR0 && index < VIOAPIC_REG_REDIR0 + 2 * VIOAPIC_PINS) {
		uint64_t rte = io->pin[(index - VIOAPIC_REG_REDIR0) / 2].rte;
		return (index & 1) ? (uint32_t)(rte >> 32) : (uint32_t)rte;
	}
	apic_note_bad_access(io->vm, "vIOAPIC read of unknown register", index, 0);
	return 0;
}

uint32_t vioapic_read_indirect(struct vioapic *io, uint32_t index)
{
	uint32_t value;
	spin_lock(&io->lock);
	value = read_locked(io, index);
	spin_unlock(&io->lock);
	return value;
}

/*
 * Rewriting an entry keeps the read-only Delivery Status and Remote IRR (cleared when
 * the entry becomes edge-triggered), lifts a storm hold, and delivers what the line
 * already holds if the new entry allows it.
 */
static void write_rte_low(struct vioapic *io, unsigned pin, uint32_t value)
{
	struct vioapic_pin *p = &io->pin[pin];
	uint64_t keep = p->rte & (0xffffffff00000000ull | VIOAPIC_RTE_REMOTE_IRR);

	p->rte = keep | (value & VIOAPIC_RTE_WRITABLE_LO);
	if (!(p->rte & VIOAPIC_RTE_LEVEL))
		p->rte &= ~VIOAPIC_RTE_REMOTE_IRR;
	p->storm_held = false;
	p->redeliveries = 0;
	if ((p->rte & VIOAPIC_RTE_LEVEL) && p->line)
		p->latched = true;
	vioapic_service_pin(io, pin);
}

void vioapic_write_indirect(struct vioapic *io, uint32_t index, uint32_t value)
{
	spin_lock(&io->lock);
	if (index == VIOAPIC_REG_ID) {
		io->id = value & 0x0f000000u;
	} else if (index >= VIOAPIC_REG_REDIR0 && index < VIOAPIC_REG_REDIR0 + 2 * VIOAPIC_PINS) {
		unsigned pin = (index - VIOAPIC_REG_REDIR0) / 2;
		if (index & 1)
			io->pin[pin].rte = (io->pin[pin].rte & 0xffffffffull) |
					   ((uint64_t)(value & VIOAPIC_RTE_WRITABLE_HI) << 32);
		else
			write_rte_low(io, pin, value);
	} else {
		apic_note_bad_access(io->vm, "vIOAPIC write of read-only/unknown register", index,
				     value);
	}
	spin_unlock(&io->lock);
}

uint64_t vioapic_read_rte(struct vioapic *io, unsigned pin)
{
	uint64_t rte;
	if (pin >= VIOAPIC_PINS)
		return 0;
	spin_lock(&io->lock);
	rte = io->pin[pin].rte;
	spin_unlock(&io->lock);
	return rte;
}

static uint64_t vioapic_mmio_read(void *dev, uint64_t offset, unsigned size)
{
	struct vioapic *io = dev;

	if (size != 4) {
		apic_note_bad_access(io->vm, "vIOAPIC read with size != 4", offset, size);
		return 0;
	}
	if (offset == VIOAPIC_REGSEL)
		return __atomic_load_n(&io->regsel, __ATOMIC_RELAXED);
	if (offset == VIOAPIC_WINDOW)
		return vioapic_read_indirect(io, __atomic_load_n(&io->regsel, __ATOMIC_RELAXED));
	return 0;	/* the EOI register is write-only; the rest of the window is empty */
}

/*
 * IOREGSEL takes a byte or dword; IOWIN and EOI take dwords. The EOI register exists
 * only on version 0x20 (seed 002): its write clears Remote IRR of entries with that
 * vector, which is how a guest using Directed EOI finishes a level interrupt.
 */
static void vioapic_mmio_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
	struct vioapic *io = dev;

	if (offset == VIOAPIC_REGSEL && (size == 1 || size == 4)) {
		__atomic_store_n(&io->regsel, (uint32_t)value & 0xff, __ATOMIC_RELAXED);
	} else if (offset == VIOAPIC_WINDOW && size == 4) {
		vioapic_write_indirect(io, __atomic_load_n(&io->regsel, __ATOMIC_RELAXED),
				       (uint32_t)value);
	} else if (offset == VIOAPIC_EOI && size == 4 && vioapic_has_eoi_register(io)) {
		apic_stat_inc(&io->vm->stats.ioapic_eoi_register);
		vioapic_eoi(io, (uint8_t)value);
	} else {
		apic_note_bad_access(io->vm, "vIOAPIC write refused", offset, value);
	}
}

const struct mmio_bus_ops vioapic_mmio_ops = {
	.read = vioapic_mmio_read,
	.write = vioapic_mmio_write,
};
