/* fuzz_vioapic: vIOAPIC MMIO window, pins and EOIs feeding 2-4 vLAPICs, checked after every op. */
#include "tests/fuzz/fuzz_apic.h"

/*
 * The input is a configuration byte (vCPUs, IOAPIC version 0x20 or 0x11, storm
 * threshold) and a stream of operations: MMIO accesses to the window of any offset and
 * size, structured redirection-entry writes, device lines raised and dropped, EOIs by
 * the EOI register and by the local APICs (with and without Directed EOI), VM entries.
 *
 * Beyond "no crash", checked after every operation:
 *  - an entry holds only writable bits plus Remote IRR; Delivery Status is never set
 *    and Remote IRR only on a level-triggered entry (82093AA 3.2.4);
 *  - IOWIN reads of both halves of every entry agree with the entry; the version
 *    register says version and 23 as the highest entry;
 *  - nothing is delivered by dropping a line, by a masked pin, by a level pin whose
 *    Remote IRR is set or that the storm guard holds, or by re-asserting a line that is
 *    already high on an edge pin (one edge, one interrupt);
 *  - Remote IRR is set only by a delivery some local APIC accepted, and a local APIC
 *    EOI with Directed EOI on changes no Remote IRR and re-delivers nothing (SDM
 *    11.8.5, seed 002);
 *  - the storm guard's count never passes its threshold by more than one;
 * plus the vLAPIC checks of fuzz_apic.h (PPR, TPR threshold, no double delivery) and
 * the final drain: no vector left pending on an enabled vCPU.
 */

static uint64_t writable(void)
{
	return VIOAPIC_RTE_WRITABLE_LO | VIOAPIC_RTE_WRITABLE_HI << 32 | VIOAPIC_RTE_REMOTE_IRR;
}

static void check_ioapic(void)
{
	struct vioapic *io = &vm.ioapic;

	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		const struct vioapic_pin *p = &io->pin[pin];
		uint32_t lo = vioapic_read_indirect(io, VIOAPIC_REG_REDIR0 + 2 * pin);
		uint32_t hi = vioapic_read_indirect(io, VIOAPIC_REG_REDIR0 + 2 * pin + 1);

		FUZZ_CHECK(!(p->rte & ~writable()), "pin %u: entry %#llx has bits no one may set",
			   pin, (unsigned long long)p->rte);
		FUZZ_CHECK(!(p->rte & VIOAPIC_RTE_REMOTE_IRR) || (p->rte & VIOAPIC_RTE_LEVEL),
			   "pin %u: Remote IRR on an edge entry %#llx", pin,
			   (unsigned long long)p->rte);
		FUZZ_CHECK(((uint64_t)hi << 32 | lo) == p->rte, "pin %u: IOWIN %#x:%#x vs %#llx",
			   pin, hi, lo, (unsigned long long)p->rte);
		FUZZ_CHECK(p->redeliveries <= io->storm_threshold + 1, "pin %u: %u re-deliveries",
			   pin, p->redeliveries);
	}
	FUZZ_CHECK(vioapic_read_indirect(io, VIOAPIC_REG_VERSION) == (io->version | 23u << 16),
		   "version register %#x", vioapic_read_indirect(io, VIOAPIC_REG_VERSION));
}

/* A redirection entry from fields: a legal vector and a present destination mostly. */
static uint64_t make_rte(struct fuzz_in *in)
{
	uint8_t f = fuzz_u8(in), g = fuzz_u8(in);
	uint64_t rte = 0x20 + fuzz_u8(in) % 0xd0;

	rte |= (uint64_t)(f & 7) << VIOAPIC_RTE_DM_SHIFT;
	if (f & 0x08)
		rte |= VIOAPIC_RTE_LOGICAL;
	if (f & 0x10)
		rte |= VIOAPIC_RTE_LEVEL;
	if (f & 0x20)
		rte |= VIOAPIC_RTE_MASKED;
	if (f & 0x40)
		rte |= VIOAPIC_RTE_POLARITY;
	if (f & 0x80)
		rte ^= fuzz_u32(in);	/* raw low bits now and then */
	return rte | (uint64_t)((g & 0x80) ? fuzz_u8(in) : (g & 0x0f)) << VIOAPIC_RTE_DEST_SHIFT;
}

/*
 * A local APIC EOI. With Directed EOI (SPIV bit 12, SDM 11.8.5) a level vector's EOI is
 * not broadcast: no entry's Remote IRR may change and nothing is re-delivered (seed 002).
 */
static void lapic_eoi(struct vlapic *v)
{
	int isrv = vec256_highest(&v->isr);
	bool suppressed = isrv >= 0 && vec256_test(&v->tmr, (unsigned)isrv) &&
			  (v->spiv & APIC_SPIV_DIRECTED_EOI);
	uint64_t before[VIOAPIC_PINS], delivered = vm.stats.ioapic_delivered;

	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		before[pin] = vm.ioapic.pin[pin].rte;
	reg_write(v, APIC_REG_EOI, 0);
	for (unsigned pin = 0; suppressed && pin < VIOAPIC_PINS; pin++)
		FUZZ_CHECK(!((before[pin] ^ vm.ioapic.pin[pin].rte) & VIOAPIC_RTE_REMOTE_IRR),
			   "pin %u: Remote IRR changed by a suppressed EOI of vector %#x", pin, isrv);
	FUZZ_CHECK(!suppressed || vm.stats.ioapic_delivered == delivered,
		   "a suppressed EOI of vector %#x made the I/O APIC deliver", isrv);
}

static const unsigned sizes[4] = { 1, 2, 4, 8 };
static const unsigned offsets[4] = { VIOAPIC_REGSEL, VIOAPIC_WINDOW, VIOAPIC_EOI, 0 };

static void pin_op(struct fuzz_in *in)
{
	struct vioapic *io = &vm.ioapic;
	uint8_t f = fuzz_u8(in);
	unsigned pin = (f & 0x7f) % VIOAPIC_PINS;
	bool level = f & 0x80;
	struct vioapic_pin before = io->pin[pin];
	uint64_t delivered = vm.stats.ioapic_delivered;
	bool quiet;

	vioapic_set_pin(io, pin, level);
	quiet = !level || (before.rte & VIOAPIC_RTE_MASKED) ||
		(!(before.rte & VIOAPIC_RTE_LEVEL) && before.line) ||
		((before.rte & VIOAPIC_RTE_LEVEL) && ((before.rte >> VIOAPIC_RTE_DM_SHIFT) & 6) == 0 &&
		 ((before.rte & VIOAPIC_RTE_REMOTE_IRR) || before.storm_held));
	FUZZ_CHECK(!quiet || vm.stats.ioapic_delivered == delivered,
		   "pin %u line %d delivered with entry %#llx, line was %d, held %d", pin, level,
		   (unsigned long long)before.rte, before.line, before.storm_held);
	FUZZ_CHECK(!(io->pin[pin].rte & VIOAPIC_RTE_REMOTE_IRR) ||
		   (before.rte & VIOAPIC_RTE_REMOTE_IRR) || vm.stats.ioapic_delivered != delivered,
		   "pin %u: Remote IRR set without a delivery", pin);
}

static void one_op(struct fuzz_in *in)
{
	struct vioapic *io = &vm.ioapic;
	uint8_t op = fuzz_u8(in);
	struct vlapic *v = &vm.vcpu[(op >> 4) % vm.cfg.nr_vcpus];

	switch (op & 0x0f) {	/* high nibble: the vCPU */
	case 0: {	/* MMIO write: the three registers, or any offset */
		uint8_t f = fuzz_u8(in);
		unsigned offset = (f & 3) == 3 ? fuzz_u8(in) : offsets[f & 3];
		vioapic_mmio_ops.write(io, offset, sizes[(f >> 2) & 3], fuzz_u32(in));
		break;
	}
	case 1: {
		uint8_t f = fuzz_u8(in);
		unsigned offset = (f & 3) == 3 ? fuzz_u8(in) : offsets[f & 3];
		(void)vioapic_mmio_ops.read(io, offset, sizes[(f >> 2) & 3]);
		break;
	}
	case 2:
	case 3: {	/* an entry written the way Linux does: high half, then low half */
		unsigned pin = fuzz_u8(in) % VIOAPIC_PINS;
		uint64_t rte = make_rte(in);
		vioapic_write_indirect(io, VIOAPIC_REG_REDIR0 + 2 * pin + 1, (uint32_t)(rte >> 32));
		vioapic_write_indirect(io, VIOAPIC_REG_REDIR0 + 2 * pin, (uint32_t)rte);
		FUZZ_CHECK((io->pin[pin].rte & ~(uint64_t)VIOAPIC_RTE_REMOTE_IRR) ==
			   (rte & (VIOAPIC_RTE_WRITABLE_LO | VIOAPIC_RTE_WRITABLE_HI << 32)),
			   "pin %u: wrote %#llx, reads %#llx", pin, (unsigned long long)rte,
			   (unsigned long long)io->pin[pin].rte);
		break;
	}
	case 4:
	case 5:
	case 6:
		pin_op(in);
		break;
	case 7: {	/* a VM entry with interrupts open */
		static const struct apic_intr_state open = { .rflags_if = true };
		enter(v, &open, false);
		break;
	}
	case 8:
		lapic_eoi(v);
		break;
	case 9: {	/* SPIV: enable, Directed EOI */
		uint8_t f = fuzz_u8(in);
		reg_write(v, APIC_REG_SPIV, 0xff | (f & 1 ? APIC_SPIV_ENABLE : 0) |
			  (f & 2 ? APIC_SPIV_DIRECTED_EOI : 0));
		break;
	}
	case 10:
		vlapic_set_tpr(v, fuzz_u8(in));
		break;
	default:
		vioapic_write_indirect(io, fuzz_u8(in), fuzz_u32(in));
		break;
	}
	check_ioapic();
	check_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size, 0 };
	uint8_t cfgb = fuzz_u8(&in);
	struct apic_vm_config cfg = {
		.nr_vcpus = 2 + cfgb % (MAX_VCPUS - 1),
		.ioapic_eoi_register = !(cfgb & 0x10),
		.x2apic = true,
		.maxphyaddr = 39,
		.storm_threshold = (cfgb & 0x20) ? 1 + (cfgb >> 6) : 0,
		.kick = kick,
	};

	fuzz_quiet_log();
	now = 0;
	if (!apic_vm_init(&vm, &cfg))
		abort();
	for (unsigned i = 0; i < cfg.nr_vcpus; i++)
		vlapic_mmio_ops.write(&vm.vcpu[i], APIC_REG_SPIV, 4, APIC_SPIV_ENABLE | 0xff);
	check_ioapic();
	for (unsigned ops = 0; fuzz_more(&in) && ops < 4096; ops++)
		one_op(&in);
	drain();
	check_ioapic();
	return 0;
}
