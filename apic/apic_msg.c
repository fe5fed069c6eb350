/* apic_msg: destination matching and delivery of APIC-bus messages (SDM 11.6.2, 11.12.9). */
#include <stddef.h>

#include "apic/apic_msg.h"
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"

static uint32_t broadcast_of(const struct apic_msg *m)
{
	return m->x2apic_format ? 0xffffffffu : 0xffu;
}

/* Logical destination in xAPIC mode: flat (bitmap) or cluster (4-bit cluster, 4-bit mask). */
static bool match_xapic_logical(const struct vlapic *v, uint8_t dest)
{
	uint8_t ldr = (uint8_t)(__atomic_load_n(&v->ldr, __ATOMIC_RELAXED) >> 24);
	uint32_t model = __atomic_load_n(&v->dfr, __ATOMIC_RELAXED) >> 28;

	if (dest == 0xff)
		return true;
	if (model == 0xf)
		return (ldr & dest) != 0;
	if (model == 0x0)
		return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf) != 0;
	return false;	/* reserved DFR model: the APIC takes no logical messages */
}

/*
 * x2APIC logical: bits 31:16 name the cluster, 15:0 a bitmap inside it (SDM 11.12.10.2).
 * An 8-bit (I/O APIC) destination addresses cluster 0.
 */
static bool match_x2apic_logical(const struct vlapic *v, uint32_t dest)
{
	uint32_t ldr = __atomic_load_n(&v->ldr, __ATOMIC_RELAXED);
	return (ldr >> 16) == (dest >> 16) && (ldr & dest & 0xffff) != 0;
}

bool vlapic_match_dest(const struct vlapic *v, const struct apic_msg *m)
{
	enum vlapic_mode mode = vlapic_mode(v);

	if (mode == VLAPIC_MODE_DISABLED)
		return false;
	if (mode == VLAPIC_MODE_X2APIC) {
		if (m->dest == broadcast_of(m))
			return true;
		return m->logical ? match_x2apic_logical(v, m->dest) : m->dest == v->vcpu_id;
	}
	if (m->logical)
		return match_xapic_logical(v, (uint8_t)m->dest);
	return (uint8_t)m->dest == 0xff || (uint8_t)m->dest == vlapic_id(v);
}

static bool in_target_set(struct vlapic *v, const struct apic_msg *m)
{
	switch (m->shorthand) {
	case APIC_SH_SELF: return v == m->source;
	case APIC_SH_ALL: return vlapic_mode(v) != VLAPIC_MODE_DISABLED;
	case APIC_SH_OTHERS: return v != m->source && vlapic_mode(v) != VLAPIC_MODE_DISABLED;
	default: return vlapic_match_dest(v, m);
	}
}

/*
 * Lowest priority (SDM 11.6.2.4): the focus processor (the one already holding the
 * vector in IRR or ISR) if focus checking is on, else the lowest TPR class among the
 * enabled targets; ties rotate round-robin so one vCPU does not take every interrupt.
 */
static struct vlapic *pick_lowest_priority(struct apic_vm *vm, const struct apic_msg *m)
{
	struct vlapic *best = NULL;
	unsigned n = vm->cfg.nr_vcpus;
	unsigned start = __atomic_fetch_add(&vm->lowest_priority_rr, 1, __ATOMIC_RELAXED) % n;
	uint32_t best_class = 0x100;

	for (unsigned k = 0; k < n; k++) {
		struct vlapic *v = &vm->vcpu[(start + k) % n];
		uint32_t cls;
		if (!in_target_set(v, m) || !vlapic_sw_enabled(v))
			continue;
		if (!(__atomic_load_n(&v->spiv, __ATOMIC_RELAXED) & APIC_SPIV_FOCUS_OFF) &&
		    (vec256_test(&v->irr, m->vector) || vec256_test(&v->isr, m->vector)))
			return v;
		cls = __atomic_load_n(&v->tpr, __ATOMIC_RELAXED) & 0xf0;
		if (cls < best_class) {
			best_class = cls;
			best = v;
		}
	}
	return best;
}

static void deliver_one(struct vlapic *v, const struct apic_msg *m)
{
	switch (m->mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		vlapic_accept_fixed(v, m->vector, m->level);
		break;
	case APIC_DM_NMI:
		vlapic_accept_nmi(v);
		break;
	case APIC_DM_INIT:
		apic_stat_inc(&v->vm->stats.init);
		vlapic_accept_init(v);
		break;
	case APIC_DM_STARTUP:
		apic_stat_inc(&v->vm->stats.sipi);
		vlapic_accept_sipi(v, m->vector);
		break;
	case APIC_DM_EXTINT:
		vlapic_accept_extint(v);
		break;
	case APIC_DM_SMI:
		apic_stat_inc(&v->vm->stats.smi_dropped);	/* nestor offers no SMM */
		break;
	default:
		apic_note_bad_access(v->vm, "message with reserved delivery mode", m->mode, m->vector);
		break;
	}
}

unsigned apic_deliver_msg(struct apic_vm *vm, const struct apic_msg *m)
{
	unsigned count = 0;

	if (m->mode == APIC_DM_LOWEST) {
		struct vlapic *v = pick_lowest_priority(vm, m);
		if (!v)
			return 0;
		deliver_one(v, m);
		return 1;
	}
	for (unsigned i = 0; i < vm->cfg.nr_vcpus; i++) {
		struct vlapic *v = &vm->vcpu[i];
		if (in_target_set(v, m)) {
			deliver_one(v, m);
			count++;
		}
	}
	return count;
}
