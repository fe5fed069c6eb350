/* vlapic_msr: the x2APIC view (MSRs 0x800-0x8ff), IA32_APIC_BASE and IA32_TSC_DEADLINE. */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

bool vlapic_handles_msr(uint32_t msr)
{
	return msr == MSR_IA32_APIC_BASE || msr == MSR_IA32_TSC_DEADLINE ||
	       (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST);
}

static bool is_lvt(unsigned off)
{
	return off == APIC_REG_LVT_CMCI || (off >= APIC_REG_LVT_TIMER && off <= APIC_REG_LVT_ERROR);
}

static bool is_vector_set(unsigned off)
{
	return off >= APIC_REG_ISR0 && off < APIC_REG_ESR;
}

/*
 * SDM Table 11-6: the registers x2APIC mode has. APR, RRD, DFR and ICR high do not
 * exist (their MSRs #GP); EOI and SELF IPI are write-only; the rest but TPR, SPIV, ESR,
 * ICR, the LVT, initial count and divide configuration are read-only.
 */
static bool x2apic_readable(unsigned off)
{
	switch (off) {
	case APIC_REG_ID: case APIC_REG_VERSION: case APIC_REG_TPR: case APIC_REG_PPR:
	case APIC_REG_LDR: case APIC_REG_SPIV: case APIC_REG_ESR: case APIC_REG_ICR_LO:
	case APIC_REG_TIMER_ICR: case APIC_REG_TIMER_CCR: case APIC_REG_TIMER_DCR:
		return true;
	default:
		return is_lvt(off) || is_vector_set(off);
	}
}

static bool x2apic_writable(unsigned off)
{
	switch (off) {
	case APIC_REG_TPR: case APIC_REG_EOI: case APIC_REG_SPIV: case APIC_REG_ESR:
	case APIC_REG_ICR_LO: case APIC_REG_TIMER_ICR: case APIC_REG_TIMER_DCR:
	case APIC_REG_SELF_IPI:
		return true;
	default:
		return is_lvt(off);
	}
}

/*
 * Bits a WRMSR may set; anything else is reserved and faults (SDM 11.12.1.3). An LVT's
 * delivery status (and LINT0/1's remote IRR) are read-only, not reserved: a write keeps
 * them as they are, as on x2APIC hardware (Linux's disconnect_bsp_APIC writes LINT0 with
 * both set at power-off).
 */
static uint64_t x2apic_write_mask(const struct vlapic *v, unsigned off)
{
	static const enum vlapic_lvt lvts[] = { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0,
						LVT_LINT1, LVT_ERROR };
	switch (off) {
	case APIC_REG_TPR: return 0xff;
	case APIC_REG_EOI: return 0;		/* a non-zero EOI write faults */
	case APIC_REG_ESR: return 0;		/* only zero may be written */
	case APIC_REG_SPIV: return vlapic_spiv_mask(v);
	case APIC_REG_ICR_LO: return 0xffffffff00000000ull | APIC_ICR_LO_WRITABLE;
	case APIC_REG_TIMER_ICR: return 0xffffffffull;
	case APIC_REG_TIMER_DCR: return APIC_DCR_MASK;
	case APIC_REG_SELF_IPI: return 0xff;
	case APIC_REG_LVT_CMCI: return vlapic_lvt_write_mask(LVT_CMCI) | APIC_LVT_DELIV_STATUS;
	case APIC_REG_LVT_LINT0:
	case APIC_REG_LVT_LINT1:
		return vlapic_lvt_write_mask(LVT_LINT0) | APIC_LVT_DELIV_STATUS | APIC_LVT_REMOTE_IRR;
	default:
		return vlapic_lvt_write_mask(lvts[(off - APIC_REG_LVT_TIMER) >> 4]) |
		       APIC_LVT_DELIV_STATUS;
	}
}

static enum apic_access gp(struct vlapic *v)
{
	apic_stat_inc(&v->vm->stats.gp_faults);
	return APIC_ACCESS_GP;
}

enum apic_access vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t *value)
{
	unsigned off;

	*value = 0;
	if (msr == MSR_IA32_APIC_BASE) {
		*value = vlapic_get_apic_base(v);
		return APIC_ACCESS_OK;
	}
	if (msr == MSR_IA32_TSC_DEADLINE) {
		*value = vlapic_timer_read_tsc_deadline(v);
		return APIC_ACCESS_OK;
	}
	if (msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST ||
	    vlapic_mode(v) != VLAPIC_MODE_X2APIC)
		return gp(v);
	off = (msr - X2APIC_MSR_FIRST) << 4;
	if (!x2apic_readable(off))
		return gp(v);
	if (off == APIC_REG_ICR_LO) {
		*value = ((uint64_t)v->icr_hi << 32) | v->icr_lo;
		return APIC_ACCESS_OK;
	}
	return vlapic_reg_read(v, off, value) == APIC_ACCESS_OK ? APIC_ACCESS_OK : gp(v);
}

enum apic_access vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t value)
{
	unsigned off;

	if (msr == MSR_IA32_APIC_BASE) {
		enum apic_access r = vlapic_set_apic_base(v, value);
		return r == APIC_ACCESS_OK ? r : gp(v);
	}
	if (msr == MSR_IA32_TSC_DEADLINE) {
		vlapic_timer_write_tsc_deadline(v, value);
		return APIC_ACCESS_OK;
	}
	if (msr < X2APIC_MSR_FIRST || msr > X2APIC_MSR_LAST ||
	    vlapic_mode(v) != VLAPIC_MODE_X2APIC)
		return gp(v);
	off = (msr - X2APIC_MSR_FIRST) << 4;
	if (!x2apic_writable(off) || (value & ~x2apic_write_mask(v, off)))
		return gp(v);
	return vlapic_reg_write(v, off, value) == APIC_ACCESS_OK ? APIC_ACCESS_OK : gp(v);
}
