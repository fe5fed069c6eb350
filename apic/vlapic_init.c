/* vlapic_init: creating, resetting and INIT-resetting a virtual local APIC (SDM 11.4.7). */
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"
#include "lib/log.h"
#include "lib/string.h"

void vlapic_create(struct vlapic *v, struct apic_vm *vm, unsigned vcpu_id, bool bsp)
{
	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->vcpu_id = vcpu_id;
	v->apic_base = APIC_DEFAULT_BASE | APIC_BASE_EN | (bsp ? APIC_BASE_BSP : 0);
	vlapic_reset(v);
}

/* SDM 11.4.7.1 / Table 11-1: the power-up state, minus what the base MSR keeps. */
static void reset_registers(struct vlapic *v)
{
	v->tpr = 0;
	__atomic_store_n(&v->ppr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&v->ldr, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&v->dfr, APIC_DFR_FLAT, __ATOMIC_RELAXED);
	__atomic_store_n(&v->spiv, 0xffu, __ATOMIC_RELAXED);	/* software-disabled */
	v->esr = 0;
	__atomic_store_n(&v->esr_pending, 0, __ATOMIC_RELAXED);
	v->icr_lo = v->icr_hi = 0;
	for (unsigned i = 0; i < LVT_COUNT; i++)
		v->lvt[i] = APIC_LVT_MASKED;
	memset(&v->irr, 0, sizeof(v->irr));
	memset(&v->isr, 0, sizeof(v->isr));
	memset(&v->tmr, 0, sizeof(v->tmr));
	uint64_t tsc_offset = v->timer.tsc_offset;	/* INIT leaves the TSC alone */
	memset(&v->timer, 0, sizeof(v->timer));
	v->timer.tsc_offset = tsc_offset;
	v->timer.divide = 2;	/* DCR = 0 divides by 2 */
	v->lint_level[0] = v->lint_level[1] = false;
	v->requeued.valid = false;
	v->tpr_threshold = 0;
	v->cr8_intercept = false;
	/* x2APIC: the logical ID is derived from the x2APIC ID (SDM 11.12.10.2). */
	if (vlapic_mode(v) == VLAPIC_MODE_X2APIC)
		__atomic_store_n(&v->ldr, ((v->vcpu_id >> 4) << 16) | (1u << (v->vcpu_id & 0xf)),
				 __ATOMIC_RELAXED);
	vlapic_request_event(v);
}

void vlapic_reset(struct vlapic *v)
{
	bool bsp = v->apic_base & APIC_BASE_BSP;
	__atomic_store_n(&v->apic_base, APIC_DEFAULT_BASE | APIC_BASE_EN | (bsp ? APIC_BASE_BSP : 0),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&v->xapic_id, v->vcpu_id << 24, __ATOMIC_RELAXED);
	reset_registers(v);
	v->wait_for_sipi = !bsp;
}

/* INIT keeps IA32_APIC_BASE (and so the mode) and the APIC ID (SDM 11.4.7.3). */
void vlapic_init_reset(struct vlapic *v)
{
	reset_registers(v);
}

enum vlapic_mode vlapic_mode(const struct vlapic *v)
{
	uint64_t base = __atomic_load_n(&v->apic_base, __ATOMIC_RELAXED);
	if (!(base & APIC_BASE_EN))
		return VLAPIC_MODE_DISABLED;
	return (base & APIC_BASE_EXTD) ? VLAPIC_MODE_X2APIC : VLAPIC_MODE_XAPIC;
}

bool vlapic_sw_enabled(const struct vlapic *v)
{
	return vlapic_mode(v) != VLAPIC_MODE_DISABLED &&
	       (__atomic_load_n(&v->spiv, __ATOMIC_RELAXED) & APIC_SPIV_ENABLE);
}

uint32_t vlapic_id(const struct vlapic *v)
{
	if (vlapic_mode(v) == VLAPIC_MODE_X2APIC)
		return v->vcpu_id;
	return __atomic_load_n(&v->xapic_id, __ATOMIC_RELAXED) >> 24;
}

/* Virtual time only moves forward, whatever order exits report it in. */
void vlapic_set_clock(struct vlapic *v, uint64_t now_ns)
{
	if (now_ns > v->now_ns)
		v->now_ns = now_ns;
}

void vlapic_request_event(struct vlapic *v)
{
	__atomic_store_n(&v->event_request, 1, __ATOMIC_RELEASE);
}

void vlapic_notify(struct vlapic *v)
{
	vlapic_request_event(v);
	apic_vm_kick(v->vm, v->vcpu_id);
}

#define APIC_BAD_ACCESS_WARN_LIMIT 16

void apic_note_bad_access(struct apic_vm *vm, const char *what, uint64_t a, uint64_t b)
{
	uint64_t n = __atomic_add_fetch(&vm->stats.bad_accesses, 1, __ATOMIC_RELAXED);
	enum log_level level = n <= APIC_BAD_ACCESS_WARN_LIMIT ? LOG_WARN : LOG_DEBUG;
	log_msg(level, "apic: refused %s (0x%llx, 0x%llx)", what, (unsigned long long)a,
		(unsigned long long)b);
}
