/* vlapic_base: IA32_APIC_BASE and the disabled / xAPIC / x2APIC transitions (SDM 11.12.5). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

uint64_t vlapic_get_apic_base(const struct vlapic *v)
{
	return __atomic_load_n(&v->apic_base, __ATOMIC_RELAXED);
}

static uint64_t reserved_bits(const struct vlapic *v)
{
	unsigned width = v->vm->cfg.maxphyaddr;
	uint64_t addr = (width >= 52 ? APIC_BASE_ADDR_MASK :
			 (((1ull << width) - 1) & APIC_BASE_ADDR_MASK));
	uint64_t allowed = addr | APIC_BASE_BSP | APIC_BASE_EN;
	if (v->vm->cfg.x2apic)
		allowed |= APIC_BASE_EXTD;
	return ~allowed;
}

static enum vlapic_mode mode_of(uint64_t base)
{
	if (!(base & APIC_BASE_EN))
		return VLAPIC_MODE_DISABLED;
	return (base & APIC_BASE_EXTD) ? VLAPIC_MODE_X2APIC : VLAPIC_MODE_XAPIC;
}

/*
 * Figure 11-27 (SDM 11.12.5): disabled <-> xAPIC, xAPIC -> x2APIC, x2APIC -> disabled.
 * x2APIC -> xAPIC and disabled -> x2APIC must go through the other state; EN=0 with
 * EXTD=1 is invalid. Illegal transitions #GP and change nothing.
 */
static bool transition_legal(enum vlapic_mode from, enum vlapic_mode to)
{
	if (from == to)
		return true;
	if (from == VLAPIC_MODE_X2APIC && to == VLAPIC_MODE_XAPIC)
		return false;
	if (from == VLAPIC_MODE_DISABLED && to == VLAPIC_MODE_X2APIC)
		return false;
	return true;
}

enum apic_access vlapic_set_apic_base(struct vlapic *v, uint64_t value)
{
	uint64_t old = vlapic_get_apic_base(v);
	enum vlapic_mode from = mode_of(old), to = mode_of(value);

	if (value & reserved_bits(v))
		return APIC_ACCESS_GP;
	if ((value & APIC_BASE_EXTD) && !(value & APIC_BASE_EN))
		return APIC_ACCESS_GP;
	if (!transition_legal(from, to))
		return APIC_ACCESS_GP;
	/* The BSP flag belongs to the platform, not to the guest. */
	value = (value & ~APIC_BASE_BSP) | (old & APIC_BASE_BSP);
	__atomic_store_n(&v->apic_base, value, __ATOMIC_RELAXED);

	if (to != from) {
		/*
		 * Leaving a mode resets the APIC (going to disabled, SDM 11.4.3) or rebuilds
		 * the IDs (entering x2APIC: x2APIC ID and derived LDR, SDM 11.12.5.1).
		 */
		if (to == VLAPIC_MODE_DISABLED) {
			vlapic_init_reset(v);
			__atomic_store_n(&v->xapic_id, v->vcpu_id << 24, __ATOMIC_RELAXED);
		} else if (to == VLAPIC_MODE_X2APIC) {
			__atomic_store_n(&v->ldr, ((v->vcpu_id >> 4) << 16) |
				(1u << (v->vcpu_id & 0xf)), __ATOMIC_RELAXED);
			v->icr_hi = 0;
		}
		vlapic_update_ppr(v);
	}
	if ((value & APIC_BASE_ADDR_MASK) != APIC_DEFAULT_BASE)
		apic_inhibit_set(v->vm, APIC_INHIBIT_APIC_BASE_MODIFIED, true);
	vlapic_request_event(v);
	return APIC_ACCESS_OK;
}
