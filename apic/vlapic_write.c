/* vlapic_write: writing the local APIC register file, shared by the xAPIC and x2APIC views. */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

/* SPIV bits software may set: vector, enable, focus, and Directed EOI only if offered. */
uint32_t vlapic_spiv_mask(const struct vlapic *v)
{
	uint32_t mask = APIC_SPIV_VECTOR | APIC_SPIV_ENABLE | APIC_SPIV_FOCUS_OFF;
	if (vioapic_has_eoi_register(&v->vm->ioapic))
		mask |= APIC_SPIV_DIRECTED_EOI;
	return mask;
}

/*
 * Clearing SPIV bit 8 software-disables the APIC: every LVT entry gets masked and stays
 * masked until software re-enables it (SDM 11.4.7.2); IRR and ISR are kept.
 */
static void write_spiv(struct vlapic *v, uint32_t value)
{
	uint32_t spiv = value & vlapic_spiv_mask(v);
	__atomic_store_n(&v->spiv, spiv, __ATOMIC_RELAXED);
	if (!(spiv & APIC_SPIV_ENABLE)) {
		for (unsigned i = 0; i < LVT_COUNT; i++)
			v->lvt[i] |= APIC_LVT_MASKED;
	}
	vlapic_update_ppr(v);
	vlapic_request_event(v);
}

/* xAPIC only: the ID is writable here, which breaks a hardware APIC-ID table (AVIC). */
static void write_xapic_id(struct vlapic *v, uint32_t value)
{
	uint32_t id = value & 0xff000000u;
	if (id == v->xapic_id)
		return;
	__atomic_store_n(&v->xapic_id, id, __ATOMIC_RELAXED);
	apic_inhibit_set(v->vm, APIC_INHIBIT_APIC_ID_MODIFIED, true);
}

static enum apic_access write_lvt_register(struct vlapic *v, unsigned offset, uint32_t value)
{
	static const unsigned offsets[LVT_COUNT] = {
		[LVT_TIMER] = APIC_REG_LVT_TIMER, [LVT_THERMAL] = APIC_REG_LVT_THERMAL,
		[LVT_PERF] = APIC_REG_LVT_PERF, [LVT_LINT0] = APIC_REG_LVT_LINT0,
		[LVT_LINT1] = APIC_REG_LVT_LINT1, [LVT_ERROR] = APIC_REG_LVT_ERROR,
		[LVT_CMCI] = APIC_REG_LVT_CMCI,
	};
	for (unsigned i = 0; i < LVT_COUNT; i++) {
		if (offsets[i] == offset) {
			vlapic_write_lvt(v, (enum vlapic_lvt)i, value);
			return APIC_ACCESS_OK;
		}
	}
	return APIC_ACCESS_GP;
}

/*
 * `value` is 32 bits except for the x2APIC ICR (64). Reserved bits are dropped here;
 * the x2APIC view refuses them with #GP before calling (SDM 11.12.1.3). APIC_ACCESS_GP
 * means "no writable register at this offset".
 */
enum apic_access vlapic_reg_write(struct vlapic *v, unsigned offset, uint64_t value)
{
	uint32_t v32 = (uint32_t)value;
	bool x2apic = vlapic_mode(v) == VLAPIC_MODE_X2APIC;

	switch (offset) {
	case APIC_REG_ID:
		if (x2apic)
			return APIC_ACCESS_GP;
		write_xapic_id(v, v32);
		break;
	case APIC_REG_TPR: vlapic_set_tpr(v, v32 & 0xff); break;
	case APIC_REG_EOI: vlapic_eoi(v); break;
	case APIC_REG_LDR:
		if (x2apic)
			return APIC_ACCESS_GP;
		__atomic_store_n(&v->ldr, v32 & 0xff000000u, __ATOMIC_RELAXED);
		break;
	case APIC_REG_DFR:
		if (x2apic)
			return APIC_ACCESS_GP;
		/* Only the model (bits 31:28) is writable; bits 27:0 read as ones. */
		__atomic_store_n(&v->dfr, v32 | 0x0fffffffu, __ATOMIC_RELAXED);
		break;
	case APIC_REG_SPIV: write_spiv(v, v32); break;
	case APIC_REG_ESR: vlapic_write_esr(v); break;
	case APIC_REG_ICR_LO:
		if (x2apic)
			vlapic_write_icr(v, value);
		else
			vlapic_write_icr(v, ((uint64_t)v->icr_hi << 32) | v32);
		break;
	case APIC_REG_ICR_HI:
		if (x2apic)
			return APIC_ACCESS_GP;
		v->icr_hi = v32 & 0xff000000u;
		break;
	case APIC_REG_TIMER_ICR: vlapic_timer_write_icr(v, v32); break;
	case APIC_REG_TIMER_DCR: vlapic_timer_write_dcr(v, v32); break;
	case APIC_REG_SELF_IPI:
		if (!x2apic)
			return APIC_ACCESS_GP;
		vlapic_self_ipi(v, (uint8_t)v32);
		break;
	default:
		return write_lvt_register(v, offset, v32);
	}
	return APIC_ACCESS_OK;
}
