/* exit_exception: #AC and #DB, intercepted on both vendors, given back to the guest as the CPU delivers them. */
#include "vm/vcpu_exit.h"

#include "vm/vcpu_arch.h"
#include "vm/vm.h"

/*
 * Why they exit at all: #AC and #DB are benign exceptions (SDM Vol. 3A 6.15, Table 6-4),
 * so one raised while the CPU delivers the same vector is delivered again, serially, with
 * no instruction boundary in between where an interrupt could be taken. A guest that
 * makes #AC delivery raise #AC (CVE-2015-5307) or puts a data breakpoint on the stack
 * #DB is delivered on (CVE-2015-8104) would hold the physical CPU in that loop for good.
 * Intercepted, every delivery attempt is an exit: the guest loops, nestor's timers, kicks
 * and stops still run. An injected event is not checked against the intercepts (SDM
 * 26.6.1.1, APM 15.20), so giving it back cannot loop inside nestor.
 */

/* DR6 (SDM Vol. 3A 18.2.3); bit 16 (RTM) is active-low, as in VMX's exit qualification. */
#define DR6_B0_B3 0xfull
#define DR6_BD (1ull << 13)
#define DR6_BS (1ull << 14)
#define DR6_BT (1ull << 15)
#define DR6_RTM (1ull << 16)
#define DR7_GD (1ull << 13)

/* #AC: always error code 0 (SDM Vol. 3A 6.15, Interrupt 17); RIP is the faulting
 * instruction's, as the exit left it. */
bool vcpu_exit_alignment_check(struct vcpu *v)
{
	v->stats.by_reason[EXIT_REASON_EXCEPTION]++;
	vcpu_inject_exception(v, X86_VECTOR_AC, true, 0);
	return true;
}

/*
 * #DB: a fault (instruction breakpoint, general detect) or a trap (data breakpoint,
 * single step, task switch); the exit left RIP and RFLAGS.RF as the delivery would have
 * pushed them (SDM 27.3.3; APM 15.12), so only the debug registers are left to do:
 * - VMX does not touch DR6 or DR7 when #DB exits (SDM 27.1); the exit qualification holds
 *   the new B0-B3, BD, BS (and RTM) bits (27.2.1, Table 27-1). They are merged as the CPU
 *   would (18.2.3: B0-B3 replaced, the other bits sticky) and DR7.GD is cleared, as on
 *   entry to any #DB handler (18.2.4);
 * - SVM updated DR6 and DR7 before the intercept (APM 15.12): nothing to merge.
 * INT1 (ICEBP) leaves DR6 alone and goes back as the privileged software exception it was
 * (VMX interruption type 5, with its length: SDM 26.5.1.1).
 */
bool vcpu_exit_debug(struct vcpu *v, const struct vcpu_debug_exit *d)
{
	const struct vcpu_arch_ops *ops = v->ops;
	v->stats.by_reason[EXIT_REASON_EXCEPTION]++;
	if (!d->dr6_updated) {
		if (!d->icebp) {
			uint64_t dr6 = ops->get_reg(v, VCPU_DR6);
			dr6 = (dr6 & ~DR6_B0_B3) | DR6_RTM;
			dr6 |= d->dr6_bits & (DR6_B0_B3 | DR6_BD | DR6_BS | DR6_BT);
			if (d->dr6_bits & DR6_RTM)
				dr6 &= ~DR6_RTM;
			ops->set_reg(v, VCPU_DR6, dr6);
		}
		uint64_t dr7 = ops->get_reg(v, VCPU_DR7);
		if (dr7 & DR7_GD)
			ops->set_reg(v, VCPU_DR7, dr7 & ~DR7_GD);
	}
	if (!d->icebp) {
		vcpu_inject_exception(v, X86_VECTOR_DB, false, 0);
		return true;
	}
	struct vcpu_event ev = { .valid = true, .type = VCPU_EVENT_PRIV_SOFT_EXC,
				 .vector = X86_VECTOR_DB, .insn_len = d->insn_len };
	ops->inject(v, &ev);
	v->stats.injected[INJECT_EXCEPTION]++;
	return true;
}
