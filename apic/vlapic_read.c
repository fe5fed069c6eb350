/* vlapic_read: reading the local APIC register file, shared by the xAPIC and x2APIC views. */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

static uint32_t version_register(const struct vlapic *v)
{
	uint32_t version = APIC_VERSION_ID | APIC_VERSION_MAXLVT;
	/*
	 * Directed EOI ("suppress EOI broadcast", SDM 11.8.5) is offered only when the VM's
	 * I/O APIC has an EOI register; otherwise a guest that enables it would never get
	 * its level-triggered lines unmasked again (seed 002).
	 */
	if (vioapic_has_eoi_register(&v->vm->ioapic))
		version |= APIC_VERSION_EOI_SUPPRESS;
	return version;
}

static int lvt_of(unsigned offset)
{
	switch (offset) {
	case APIC_REG_LVT_TIMER: return LVT_TIMER;
	case APIC_REG_LVT_THERMAL: return LVT_THERMAL;
	case APIC_REG_LVT_PERF: return LVT_PERF;
	case APIC_REG_LVT_LINT0: return LVT_LINT0;
	case APIC_REG_LVT_LINT1: return LVT_LINT1;
	case APIC_REG_LVT_ERROR: return LVT_ERROR;
	case APIC_REG_LVT_CMCI: return LVT_CMCI;
	default: return -1;
	}
}

/* The registers software can only read (SDM Table 11-1); writes to them are dropped. */
bool vlapic_reg_read_only(unsigned offset)
{
	return offset == APIC_REG_VERSION || offset == APIC_REG_APR || offset == APIC_REG_PPR ||
	       offset == APIC_REG_RRD || offset == APIC_REG_TIMER_CCR ||
	       (offset >= APIC_REG_ISR0 && offset < APIC_REG_ESR);
}

/* APIC_ACCESS_GP means "no register at this offset"; each view turns that into its fault. */
enum apic_access vlapic_reg_read(struct vlapic *v, unsigned offset, uint64_t *value)
{
	int lvt = lvt_of(offset);

	*value = 0;
	if (lvt >= 0) {
		*value = v->lvt[lvt];
		return APIC_ACCESS_OK;
	}
	if (offset >= APIC_REG_ISR0 && offset < APIC_REG_ESR && !(offset & 0xf)) {
		unsigned word = (offset >> 4) & 7;
		const struct vec256 *set = offset < APIC_REG_TMR0 ? &v->isr :
					   offset < APIC_REG_IRR0 ? &v->tmr : &v->irr;
		*value = vec256_word(set, word);
		return APIC_ACCESS_OK;
	}
	switch (offset) {
	case APIC_REG_ID:
		*value = vlapic_mode(v) == VLAPIC_MODE_X2APIC ? v->vcpu_id : v->xapic_id;
		break;
	case APIC_REG_VERSION: *value = version_register(v); break;
	case APIC_REG_TPR: *value = v->tpr; break;
	case APIC_REG_APR: *value = vlapic_apr(v); break;
	case APIC_REG_PPR: *value = v->ppr; break;
	case APIC_REG_EOI: break;	/* write-only: reads 0 in xAPIC mode */
	case APIC_REG_RRD: break;	/* remote read is not supported: always invalid, 0 */
	case APIC_REG_LDR: *value = v->ldr; break;
	case APIC_REG_DFR: *value = v->dfr; break;
	case APIC_REG_SPIV: *value = v->spiv; break;
	case APIC_REG_ESR: *value = v->esr; break;
	case APIC_REG_ICR_LO: *value = v->icr_lo; break;
	case APIC_REG_ICR_HI: *value = v->icr_hi; break;
	case APIC_REG_TIMER_ICR: *value = v->timer.initial_count; break;
	case APIC_REG_TIMER_CCR: *value = vlapic_timer_read_ccr(v); break;
	case APIC_REG_TIMER_DCR: *value = v->timer.dcr; break;
	default:
		return APIC_ACCESS_GP;
	}
	return APIC_ACCESS_OK;
}
