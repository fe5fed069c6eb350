/* svm_nested_report: nested SVM's lines in the end-of-run report. */
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "lib/log.h"

#define U(x) ((unsigned long long)(x))

void svm_nested_report(struct vcpu *v)
{
	const struct svm_nested *n = svm_of(v)->nested;
	const struct svm_nested_stats *st = &n->stats;
	char line[256];
	log_info("report: vcpu%u nested: vmrun=%llu (invalid=%llu faulted=%llu) vmload=%llu "
		 "vmsave=%llu stgi=%llu clgi=%llu invlpga=%llu", v->id, U(st->vmrun),
		 U(st->vmrun_invalid), U(st->vmrun_fault), U(st->vmload), U(st->vmsave),
		 U(st->stgi), U(st->clgi), U(st->invlpga));
	log_info("report: vcpu%u nested: L2 exits reflected to L1=%llu (intr=%llu io=%llu msr=%llu "
		 "cpuid=%llu npf=%llu exception=%llu vintr=%llu other=%llu), handled by nestor=%llu",
		 v->id, U(st->reflected), U(st->reflected_by[SVM_NCLASS_INTR]),
		 U(st->reflected_by[SVM_NCLASS_IO]), U(st->reflected_by[SVM_NCLASS_MSR]),
		 U(st->reflected_by[SVM_NCLASS_CPUID]), U(st->reflected_by[SVM_NCLASS_NPF]),
		 U(st->reflected_by[SVM_NCLASS_EXCEPTION]), U(st->reflected_by[SVM_NCLASS_VINTR]),
		 U(st->reflected_by[SVM_NCLASS_OTHER]), U(st->l0_exits));
	log_info("report: vcpu%u nested: npf shadow-filled=%llu reflected=%llu mmio=%llu, shadow "
		 "drops=%llu pages=%u; for L1's events intr-exits=%llu nmi-exits=%llu (entries to "
		 "deliver L1's injection first=%llu); L2 cr8 "
		 "writes=%llu; exceptions to L1=%llu; L2's own #DB=%llu #AC=%llu given back to L2",
		 v->id, U(st->npf_filled), U(st->npf_reflected), U(st->npf_mmio),
		 U(n->shadow.drops), n->shadow.pages, U(st->intr_exits), U(st->nmi_exits),
		 U(st->exits_after_injection), U(st->cr8_writes), U(st->exc_converted),
		 U(st->l2_db), U(st->l2_ac));
	for (unsigned p = 0; p < NESTED_WATCH_PATTERNS; p++) {
		const struct nested_watch_pattern_state *ps = &n->watch.p[p];
		if (!ps->reported)
			continue;
		nested_watch_describe(line, sizeof(line), &n->watch, (enum nested_watch_pattern)p);
		log_info("report: vcpu%u nested: DETECTED %s; %llu repetitions past the threshold",
			 v->id, line, U(ps->total));
	}
}
