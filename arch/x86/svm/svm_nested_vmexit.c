/* svm_nested_vmexit: #VMEXIT from L2 to L1 (APM Vol. 2, 15.6): vmcb12 written, L1's state back. */
#include "apic/apic_vm.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "lib/log.h"
#include "nested/svm/nsvm_merge.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

#define DR7_RESET 0x400ull
#define MSR_X2APIC_EOI 0x80b
#define XAPIC_EOI 0xfee000b0ull	/* the default xAPIC page's EOI register */

/* For the report and the detectors: what kind of exit L1 gets. */
static enum svm_nested_class exit_class(uint64_t code)
{
	switch (code) {
	case SVM_EXIT_INTR: case SVM_EXIT_NMI: return SVM_NCLASS_INTR;
	case SVM_EXIT_IOIO: return SVM_NCLASS_IO;
	case SVM_EXIT_MSR: return SVM_NCLASS_MSR;
	case SVM_EXIT_CPUID: return SVM_NCLASS_CPUID;
	case SVM_EXIT_NPF: return SVM_NCLASS_NPF;
	case SVM_EXIT_VINTR: return SVM_NCLASS_VINTR;
	default:
		return code >= SVM_EXIT_EXCP_BASE && code < SVM_EXIT_INTR ? SVM_NCLASS_EXCEPTION
									   : SVM_NCLASS_OTHER;
	}
}

/* An EOI of L2's LAPIC: a WRMSR of the x2APIC EOI MSR, or a write to the xAPIC page's EOI. */
static enum nested_watch_exit watch_kind(const struct vcpu *v, const struct vmcb *v02)
{
	const struct vmcb_control *c = &v02->control;
	switch (c->exit_code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		return NESTED_WATCH_EXIT_NEUTRAL;
	case SVM_EXIT_VINTR:
		return NESTED_WATCH_EXIT_WINDOW;
	case SVM_EXIT_MSR:
		return (c->exit_info1 & 1) && (uint32_t)v->gprs.r[GPR_RCX] == MSR_X2APIC_EOI
			       ? NESTED_WATCH_EXIT_EOI : NESTED_WATCH_EXIT_OTHER;
	case SVM_EXIT_NPF:
		return (c->exit_info1 & 2) && c->exit_info2 == XAPIC_EOI
			       ? NESTED_WATCH_EXIT_EOI : NESTED_WATCH_EXIT_OTHER;
	default:
		return NESTED_WATCH_EXIT_OTHER;
	}
}

static void watch_exit(struct vcpu *v, struct svm_nested *n)
{
	char line[256];
	nested_watch_exit(&n->watch, vm_now_ns(v->vm), watch_kind(v, n->vmcb02));
	if (!n->watch.pending_report)
		return;
	n->watch.pending_report = false;
	nested_watch_describe(line, sizeof(line), &n->watch, n->watch.pending);
	log_warn("vcpu%u: nested: %s", v->id, line);
}

/*
 * The exit in vmcb02 goes to L1. vmcb12 (in L1's RAM, checked at VMRUN) gets what the
 * processor writes at #VMEXIT (nsvm_reflect_exit); L1 resumes after its VMRUN with the
 * host state VMRUN saved (vmcb01), DR7 reset, GIF clear (15.6), no interrupt shadow.
 * RAX and RSP are L1's again; the other GPRs stay L2's, as on the processor.
 */
void svm_nested_vmexit(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_nested *n = s->nested;
	struct vmcb *v02 = n->vmcb02, *v01 = s->vmcb01;
	struct vmcb *v12 = guest_mem_ptr(&v->vm->mem, n->vmcb12_pa, sizeof(struct vmcb));
	uint8_t tpr;

	v02->save.rax = v->gprs.r[GPR_RAX];
	v02->save.rsp = v->gprs.r[GPR_RSP];
	log_trace("vcpu%u: nested: #VMEXIT %#llx info1 %#llx info2 %#llx intinfo %#llx at L2 rip "
		  "%#llx; L1 resumes at %#llx", v->id, (unsigned long long)v02->control.exit_code,
		  (unsigned long long)v02->control.exit_info1,
		  (unsigned long long)v02->control.exit_info2,
		  (unsigned long long)v02->control.exit_int_info, (unsigned long long)v02->save.rip,
		  (unsigned long long)v01->save.rip);
	nsvm_reflect_exit(v12, &v01->save, v02, svm_nested_features(v));
	/* nestor's copy follows, for exits L1 owns until its next VMRUN (none: it only
	 * answers questions about the L2 that ran). */
	n->vmcb12->control.vintr = v12->control.vintr;
	n->stats.reflected++;
	v->stats.l2_reflected++;
	n->stats.reflected_by[exit_class(v02->control.exit_code)]++;
	watch_exit(v, n);

	s->vmcb = v01;
	s->vmcb_pa = (uint64_t)(uintptr_t)v01;
	v->guest_mode = false;
	if (v->state == VCPU_HALTED)
		v->state = VCPU_RUNNABLE;	/* L2 halted, L1 did not */
	svm_nested_set_gif(s, false);
	v01->save.dr7 = DR7_RESET;
	v01->control.interrupt_shadow = 0;
	v01->control.event_inj = 0;
	v->gprs.r[GPR_RAX] = v01->save.rax;
	v->gprs.r[GPR_RSP] = v01->save.rsp;
	/* With V_INTR_MASKING clear in vmcb12, L2's CR8 was L1's own TPR (15.21.1). */
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);
	if (nsvm_l2_tpr_is_l1_tpr(n->vmcb12, v02, &tpr))
		vlapic_sync_tpr_from_vapic(l, (uint8_t)(tpr << 4));
	/* L1's events were held while L2 ran: decide again (GIF = 0 holds them further). */
	vlapic_request_event(l);
}

void svm_nested_synthetic_vmexit(struct vcpu *v, uint64_t code, uint64_t info1, uint64_t info2)
{
	struct vmcb_control *c = &svm_of(v)->nested->vmcb02->control;
	/* An event nestor was about to deliver into L2 was not delivered: it is the exit's
	 * EXITINTINFO, as when the processor is interrupted while delivering (15.7.2). */
	c->exit_int_info = (c->event_inj & SVM_EVENT_VALID) ? c->event_inj : 0;
	c->event_inj = 0;
	c->exit_code = code;
	c->exit_info1 = info1;
	c->exit_info2 = info2;
	svm_nested_vmexit(v);
}
