/* vcpu_entry: what happens before every VM entry, the same on VMX and SVM. */
#include "vm/vcpu_entry.h"

#include "apic/apic_arbiter.h"
#include "arch/x86/decode/mmio_emul.h"
#include "drivers/lapic.h"
#include "lib/log.h"
#include "lib/string.h"
#include "vm/vcpu_arch.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

static void vcpu_arm_timer(struct vcpu *v, uint64_t now)
{
	uint64_t next = vm_next_deadline_ns(v->vm, v);
	lapic_timer_arm_ns(next == UINT64_MAX ? 0 : next > now ? next - now : 1);
}

/*
 * Waits on this CPU until something may have changed for the vCPU: its LAPIC timer or a
 * device deadline (the host timer), or a kick IPI from a CPU that sent it an interrupt.
 * STI;HLT is one window: an IPI that arrived after the last check is taken by the HLT.
 */
static void vcpu_wait(struct vcpu *v, struct vlapic *l, uint64_t now)
{
	vcpu_arm_timer(v, now);
	if (apic_event_requested(l) || v->vm->stopping)
		return;
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* INIT resets the vCPU to wait for SIPI; SIPI starts it in real mode (SDM 9.4.3). */
static void vcpu_apply_init_sipi(struct vcpu *v, struct vlapic *l)
{
	const struct vcpu_arch_ops *ops = v->ops;
	struct apic_init_sipi is;
	if (!apic_take_init_sipi(l, &is))
		return;
	if (is.init) {
		ops->init(v);
		v->state = VCPU_WAIT_FOR_SIPI;
	}
	if (is.sipi && v->state == VCPU_WAIT_FOR_SIPI) {
		ops->sipi(v, is.sipi_vector);
		memset(&v->gprs, 0, sizeof(v->gprs));
		v->state = VCPU_RUNNABLE;
		v->stats.by_reason[EXIT_REASON_INIT_SIPI]++;
		log_debug("vcpu%u: SIPI vector %#x: starting at %#x:0000", v->id, is.sipi_vector,
			  is.sipi_vector << 8);
	}
}

/*
 * The next instruction is a HLT the guest may execute (CPL 0), read without side effects:
 * a fetch that would fault just says no.
 */
static bool vcpu_next_is_hlt(struct vcpu *v)
{
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	struct x86_insn insn;
	if (v->ops->cpl(v) != 0)
		return false;
	v->ops->emul_cpu(v, &cpu);
	return x86_fetch_decode(&cpu, v->ops->decode_flags, &insn, &out) == X86_EMUL_OK &&
	       insn.len == 1 && insn.bytes[0] == 0xf4;
}

/*
 * `sti; hlt` with an interrupt pending, the exit inside STI's shadow: the CPU would run the
 * HLT (the shadow holds the interrupt for one instruction, SDM Vol. 3A 6.8.3), halt, and
 * wake at once for the interrupt, whose frame returns after the HLT (SDM Vol. 2 HLT). nestor
 * does just that, HLT completed and the interrupt injected now, instead of opening a window
 * behind the shadow: QEMU 7.2's VMRUN drops the guest's shadow (it never loads VMCB
 * int_state), so the window opened at once, the interrupt came before the HLT, and its
 * handler returned to the HLT with the wake-up spent (docs/reliability.md, case (a)).
 * Exact on any CPU, so on both vendors; any other shadowed instruction keeps the window.
 */
static bool vcpu_shadowed_hlt_next(struct vcpu *v, const struct vlapic *l,
				   const struct apic_intr_state *st)
{
	/* A re-injected event goes first whatever the shadow says (apic_arbiter.c): not here. */
	return st->interrupt_shadow && st->rflags_if && !st->events_held && !st->event_pending &&
	       !v->guest_mode && !l->requeued.valid && vcpu_next_is_hlt(v);
}

/*
 * One decision per entry (the arbiter counts windows and may take the seed-001 inhibit):
 * with the shadowed HLT next it is made as after the HLT. If that one injects, the HLT is
 * completed; if not, nothing was deliverable, and the decision equals the one inside the
 * shadow (an interrupt allowed without the shadow is the only difference).
 */
static void vcpu_decide(struct vcpu *v, struct vlapic *l, const struct apic_intr_state *st,
			uint64_t now, struct apic_decision *d)
{
	struct apic_intr_state after = *st;
	if (!vcpu_shadowed_hlt_next(v, l, st)) {
		apic_decide(l, st, now, d);
		return;
	}
	after.interrupt_shadow = false;
	apic_decide(l, &after, now, d);
	if (!d->inject)
		return;
	v->ops->set_reg(v, VCPU_RIP, v->ops->get_reg(v, VCPU_RIP) + 1);
	v->ops->clear_interrupt_shadow(v);
	v->stats.shadowed_hlts++;
}

bool vcpu_prepare_entry(struct vcpu *v, struct vlapic *l)
{
	const struct vcpu_arch_ops *ops = v->ops;
	struct vm *vm = v->vm;
	uint64_t now = vm_now_ns(vm);
	struct apic_intr_state st = { 0 };	/* a backend may leave events_held unset */
	struct apic_decision d;

	vlapic_set_clock(l, now);
	if (v->id == 0)
		vm_devices_tick(vm);
	vcpu_apply_init_sipi(v, l);
	if (v->state == VCPU_WAIT_FOR_SIPI) {
		vcpu_wait(v, l, now);
		return false;
	}
	/* While L2 runs, an event for L1 may have to become an exit to L1 first; then the
	 * state below is L1's again. */
	if (v->guest_mode && v->nested)
		v->nested->check_events(v, l);
	ops->intr_state(v, &st);
	if (v->state == VCPU_HALTED) {
		if (!apic_has_wakeup_event(l, &st, now)) {
			vm_note_halted(vm, v, !st.rflags_if);
			vcpu_wait(v, l, now);
			return false;
		}
		v->state = VCPU_RUNNABLE;
	}
	vcpu_decide(v, l, &st, now, &d);
	ops->apply_decision(v, l, &d);
	vcpu_arm_timer(v, now);
	return true;
}
