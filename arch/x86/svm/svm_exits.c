/* svm_exits: decoding each #VMEXIT from the VMCB and handing it to the shared handlers (vm/exit_*.c). */
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "vm/vcpu_exit.h"
#include "vm/vm.h"

#define SVM_EXIT_WRITE_CR4 0x014
#define SVM_EXIT_XSETBV 0x08d

/* IN/OUT/INS/OUTS (APM 15.10.2): EXITINFO1 describes the access. */
static bool svm_exit_ioio(struct vcpu *v, const struct vmcb *vmcb)
{
	uint64_t info = vmcb->control.exit_info1;
	uint16_t port = (uint16_t)(info >> 16);
	unsigned size = (info & (1u << 4)) ? 1 : (info & (1u << 5)) ? 2 : 4;
	bool in = info & 1;
	if (info & (1u << 2))
		return vcpu_exit_string_io(v, port, size, in);
	return vcpu_exit_io(v, port, size, in);
}

#define DR6_B0_B3_BD 0x200full
#define DR6_BS (1ull << 14)

/*
 * NMI blocking ends when the guest's IRET completes. IRET is intercepted before it runs,
 * so nestor sets TF: the single-step trap comes right after the IRET (TF is sampled at the
 * start of the instruction), and there NMIs are unblocked. #DB is always intercepted
 * (svm_vmcb.c); what the guest had in TF and DR6 is kept to tell nestor's trap from its own.
 */
static bool svm_exit_iret(struct vcpu *v, struct vmcb *vmcb)
{
	struct svm_vcpu *s = svm_of(v);
	v->stats.by_reason[EXIT_REASON_NMI_WINDOW]++;
	vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	s->nmi_step_guest_tf = vmcb->save.rflags & SVM_RFLAGS_TF;
	s->nmi_step_dr6 = vmcb->save.dr6;
	vmcb->save.rflags |= SVM_RFLAGS_TF;
	s->nmi_singlestep = true;
	return true;
}

/*
 * #DB, updated DR6 and DR7 already in the VMCB (APM 15.12): the guest's, given back by the
 * shared code (vm/exit_exception.c), or nestor's single step after an IRET. That one is
 * hidden: DR6.BS goes back to what the guest had, unless the guest's own TF would have
 * trapped after the IRET too; a breakpoint the IRET hit on the way (B0-B3, BD newly set)
 * still reaches the guest.
 */
static bool svm_exit_debug(struct vcpu *v, struct vmcb *vmcb)
{
	struct svm_vcpu *s = svm_of(v);
	struct vcpu_debug_exit d = { .dr6_updated = true };
	if (!s->nmi_singlestep || !(vmcb->save.dr6 & DR6_BS))
		return vcpu_exit_debug(v, &d);
	s->nmi_singlestep = false;
	s->nmi_blocked = false;
	if (s->nmi_step_guest_tf)
		return vcpu_exit_debug(v, &d);
	vmcb->save.dr6 = (vmcb->save.dr6 & ~DR6_BS) | (s->nmi_step_dr6 & DR6_BS);
	if (vmcb->save.dr6 & ~s->nmi_step_dr6 & DR6_B0_B3_BD)
		return vcpu_exit_debug(v, &d);
	v->stats.by_reason[EXIT_REASON_NMI_WINDOW]++;
	return true;
}

/* SVM instructions: VMMCALL is the hypercall instruction; the others are nested SVM's
 * when it is offered (svm_nested_insn.c), else #UD (APM 15.4: CPUID hides SVM, so
 * EFER.SVME is clear as the guest sees it). */
static bool svm_exit_svm_insn(struct vcpu *v, uint64_t code)
{
	if (code == SVM_EXIT_VMMCALL)
		return vcpu_exit_hypercall(v, EXIT_REASON_HYPERCALL);
	if (svm_of(v)->nested)
		return svm_nested_l1_insn(v, code);
	return vcpu_exit_refused(v, EXIT_REASON_VIRT_INSN, X86_VECTOR_UD);
}

bool svm_handle_exit(struct vcpu *v)
{
	struct vmcb *vmcb = svm_of(v)->vmcb;
	uint64_t code = vmcb->control.exit_code;

	switch (code) {
	case SVM_EXIT_IOIO: return svm_exit_ioio(v, vmcb);
	case SVM_EXIT_CPUID: return vcpu_exit_cpuid(v);
	case SVM_EXIT_MSR: return vcpu_exit_msr(v, vmcb->control.exit_info1 & 1);
	case SVM_EXIT_HLT: return vcpu_exit_hlt(v);
	case SVM_EXIT_INVD: return vcpu_exit_invd(v);
	case SVM_EXIT_XSETBV: return vcpu_exit_xsetbv(v);
	/* No decode assists under QEMU TCG: the instruction at RIP says which write it is. */
	case SVM_EXIT_WRITE_CR0:
	case SVM_EXIT_WRITE_CR4:
	case SVM_EXIT_WRITE_CR8:
		return vcpu_exit_cr_write_at_rip(v);
	/* A nested page fault: EXITINFO2 is the guest-physical address, EXITINFO1 the error
	 * code (APM 15.25.6). */
	case SVM_EXIT_NPF: return vcpu_exit_mmio(v, vmcb->control.exit_info2, vmcb->control.exit_info1);
	case SVM_EXIT_IRET: return svm_exit_iret(v, vmcb);
	case SVM_EXIT_DB: return svm_exit_debug(v, vmcb);
	case SVM_EXIT_EXCP_BASE + X86_VECTOR_AC: return vcpu_exit_alignment_check(v);
	/* Intercepted only when the personality answers VMCALL too (svm_vmcb.c). */
	case SVM_EXIT_EXCP_BASE + X86_VECTOR_UD: return vcpu_exit_hypercall(v, EXIT_REASON_EXCEPTION);
	case SVM_EXIT_SHUTDOWN: return vcpu_exit_triple_fault(v, "SVM SHUTDOWN");
	case SVM_EXIT_INTR:
		v->stats.by_reason[EXIT_REASON_EXTERNAL_INTERRUPT]++;
		return true;	/* the run loop took the host interrupt */
	case SVM_EXIT_VINTR:
		v->stats.by_reason[EXIT_REASON_IRQ_WINDOW]++;
		return true;	/* the window is open: the next entry's decision injects */
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMMCALL:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		return svm_exit_svm_insn(v, code);
	case SVM_EXIT_INVALID:
		v->stats.by_reason[EXIT_REASON_OTHER]++;
		svm_log_vmcb(v);
		vm_stop_vcpu(v, "VMRUN failed its consistency checks (VMEXIT_INVALID)");
		return false;
	default:
		v->stats.by_reason[EXIT_REASON_OTHER]++;
		svm_log_vmcb(v);
		vm_stop_vcpu(v, "unhandled SVM exit %#llx (%s)", (unsigned long long)code,
			     svm_exit_name(code));
		return false;
	}
}
