/* fuzz_vlapic: vLAPIC register, MSR and ICR streams on a VM of 2-4 vCPUs, checked after every op. */
#include "tests/fuzz/fuzz_apic.h"

/*
 * The input is a VM configuration byte and then a sequence of guest and backend
 * operations: xAPIC MMIO reads and writes of any offset and size, x2APIC MSR accesses,
 * IA32_APIC_BASE writes (mode switches), structured ICR writes (every delivery mode,
 * shorthand and destination form), TPR changes through the virtual-APIC page with
 * TPR-below-threshold exits, LINT lines, NMI/INIT/SIPI, 8259 pulses through LINT0,
 * time steps and VM entries (decide, ack, sometimes requeue).
 *
 * Beyond "no crash", checked after every operation:
 *  - PPR is what SDM 11.8.3.1 computes from TPR and the highest ISR vector;
 *  - every decision passes the VM-entry check of SDM 26.2.1.1 (TPR threshold) through
 *    apic/'s own apic_tpr_threshold_invariant_ok(), and reports the live TPR;
 *  - an injected LAPIC vector was in IRR, is the highest IRR vector, lies above PPR's
 *    class, and ends up in ISR and out of IRR: no vector is delivered twice for one
 *    request; an NMI is injected only while one is pending;
 *  - a requeued event is the next one injected, unchanged;
 *  - the IRR/ISR/TMR registers read back what the vectors sets hold;
 * and at the end of the stream, "no interrupt lost": with every line dropped, TPR 0 and
 * interrupts open, each enabled vCPU's pending vectors drain (IRR and ISR empty).
 */

static struct vlapic *pick(struct fuzz_in *in)
{
	return &vm.vcpu[fuzz_u8(in) % vm.cfg.nr_vcpus];
}

/* An ICR value from structured fields, so most writes are meaningful IPIs. */
static uint64_t make_icr(struct fuzz_in *in)
{
	uint8_t f = fuzz_u8(in), g = fuzz_u8(in);
	uint64_t lo = fuzz_u8(in) | (uint64_t)(f & 7) << APIC_ICR_DM_SHIFT;

	if (f & 0x08)
		lo |= APIC_ICR_LOGICAL;
	if (f & 0x10)
		lo |= APIC_ICR_ASSERT;
	if (f & 0x20)
		lo |= APIC_ICR_LEVEL;
	lo |= (uint64_t)((f >> 6) & 3) << APIC_ICR_SHORTHAND_SHIFT;
	if (g & 0x80)	/* a raw value now and then: reserved bits too */
		lo ^= (uint64_t)fuzz_u32(in);
	return lo | (uint64_t)(g & 0x7f ? g & 0x0f : fuzz_u8(in)) << 32;
}

static void icr_write(struct vlapic *v, uint64_t icr)
{
	if (vlapic_mode(v) == VLAPIC_MODE_X2APIC) {
		vlapic_msr_write(v, 0x830, icr);
	} else {
		vlapic_mmio_ops.write(v, APIC_REG_ICR_HI, 4, (icr >> 32) << 24);
		vlapic_mmio_ops.write(v, APIC_REG_ICR_LO, 4, (uint32_t)icr);
	}
}

static const unsigned sizes[4] = { 1, 2, 4, 8 };

static void one_op(struct fuzz_in *in)
{
	uint8_t op = fuzz_u8(in);
	struct vlapic *v = pick(in);
	uint64_t value;
	unsigned offset, size;

	switch (op % 16) {
	case 0:		/* xAPIC MMIO write, any offset and size */
		offset = fuzz_u16(in) & 0xfff;
		size = sizes[fuzz_u8(in) & 3];
		vlapic_mmio_ops.write(v, offset, size, fuzz_u32(in));
		break;
	case 1:		/* a register-sized write to a register: the common case */
		reg_write(v, (fuzz_u8(in) & 0x3f) << 4, fuzz_u32(in));
		break;
	case 2:
		offset = fuzz_u16(in) & 0xfff;
		size = sizes[fuzz_u8(in) & 3];
		(void)vlapic_mmio_ops.read(v, offset, size);
		break;
	case 3:		/* x2APIC MSR write (0x800-0x8ff) */
		vlapic_msr_write(v, 0x800 + fuzz_u8(in), fuzz_u64(in));
		break;
	case 4:
		(void)vlapic_msr_read(v, 0x800 + fuzz_u8(in), &value);
		break;
	case 5: {	/* IA32_APIC_BASE: EN and EXTD bits mostly, the rest now and then */
		uint8_t f = fuzz_u8(in);
		value = vlapic_get_apic_base(v) & ~(APIC_BASE_EN | APIC_BASE_EXTD);
		value |= (f & 1 ? APIC_BASE_EN : 0) | (f & 2 ? APIC_BASE_EXTD : 0);
		if (f & 4)
			value ^= fuzz_u64(in);
		vlapic_set_apic_base(v, value);
		break;
	}
	case 6:
	case 7:
		icr_write(v, make_icr(in));
		break;
	case 8:
	case 9: {	/* a VM entry */
		uint8_t f = fuzz_u8(in);
		struct apic_intr_state s = {
			.rflags_if = !(f & 1), .interrupt_shadow = f & 2, .event_pending = f & 4,
			.nmi_blocked = f & 8,
		};
		enter(v, &s, f & 0x10);
		break;
	}
	case 10: {	/* the guest writes CR8 / VTPR without exiting; the backend syncs it */
		uint8_t vtpr = fuzz_u8(in);
		bool below = (vtpr >> 4) < v->tpr_threshold;
		vlapic_sync_tpr_from_vapic(v, vtpr);
		if (below)
			vlapic_tpr_below_threshold_exit(v);
		break;
	}
	case 11:
		reg_write(v, APIC_REG_EOI, 0);
		break;
	case 12:	/* time passes; the timer fires in any mode */
		now += fuzz_u16(in) * (uint64_t)(1 + (fuzz_u8(in) & 0x3f));
		vlapic_timer_poll(v, now);
		break;
	case 13: {	/* LINT lines, NMI/INIT/SIPI from outside */
		uint8_t f = fuzz_u8(in);
		if (f & 0x80)
			vlapic_accept_nmi(v);
		else if (f & 0x40)
			vlapic_accept_init(v);
		else if (f & 0x20)
			vlapic_accept_sipi(v, fuzz_u8(in));
		else
			vlapic_set_lint(v, f & 1, f & 2);
		break;
	}
	case 14: {	/* the 8259 behind LINT0 */
		uint8_t f = fuzz_u8(in);
		if (f & 0x80) {
			vpic_write_port(&vm.pic, (f & 0x40) ? 0x21 : 0x20, fuzz_u8(in));
		} else {
			vpic_set_irq(&vm.pic, f & 15, true);
			if (!(f & 0x10))
				vpic_set_irq(&vm.pic, f & 15, false);
		}
		break;
	}
	default:	/* what a halted vCPU asks */
		(void)apic_has_wakeup_event(v, &(struct apic_intr_state){ .rflags_if = true }, now);
		break;
	}
	check_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size, 0 };
	uint8_t cfgb = fuzz_u8(&in);
	struct apic_vm_config cfg = {
		.nr_vcpus = 2 + cfgb % (MAX_VCPUS - 1),
		.ioapic_eoi_register = cfgb & 0x10,
		.x2apic = !(cfgb & 0x20),
		.maxphyaddr = 39,
		.kick = kick,
	};

	fuzz_quiet_log();
	now = 0;
	if (!apic_vm_init(&vm, &cfg))
		abort();
	if (cfgb & 0x40)	/* the Linux 8259 setup, so LINT0 ExtINT has vectors */
		pic_linux_init();
	if (cfgb & 0x80)	/* both APICs software-enabled from the start */
		for (unsigned i = 0; i < cfg.nr_vcpus; i++)
			vlapic_mmio_ops.write(&vm.vcpu[i], APIC_REG_SPIV, 4, APIC_SPIV_ENABLE | 0xff);
	check_all();
	for (unsigned ops = 0; fuzz_more(&in) && ops < 4096; ops++)
		one_op(&in);
	drain();
	return 0;
}
