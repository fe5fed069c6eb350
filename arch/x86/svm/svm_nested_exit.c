/* svm_nested_exit: an exit from L2: reflected to L1 when L1 intercepts it, else nestor's on L1's behalf. */
#include "apic/apic_arbiter.h"
#include "apic/apic_vm.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "drivers/lapic.h"
#include "lib/log.h"
#include "nested/svm/nsvm_exit.h"
#include "vm/vcpu_exit.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

#define EXCEPTION_PF 14
#define X86_CR0_MP (1ull << 1)
#define X86_CR0_TS (1ull << 3)

/*
 * An event the exit interrupted on its way into L2 (EXITINTINFO, 15.7.2) is delivered
 * again at the next entry, as the processor would have. INTn, INT3 and INTO are not
 * replayed but re-executed: without NRIPS the saved RIP is the instruction's own (QEMU
 * reports INT3 as a software interrupt), which raises them again with no side effect.
 */
static void redeliver(struct vmcb_control *c)
{
	uint64_t info = c->exit_int_info, type = info & SVM_EVENT_TYPE_MASK;
	uint8_t vector = (uint8_t)info;
	c->exit_int_info = 0;
	if (!(info & SVM_EVENT_VALID) || type == SVM_EVENT_TYPE_SOFT_INT ||
	    (type == SVM_EVENT_TYPE_EXCEPTION && (vector == 3 || vector == 4)))
		return;
	c->event_inj = info;
}

/*
 * An exception nestor raised for L2 while handling an exit on L1's behalf (a #GP for a
 * bad MSR or CR write, a #PF fetching the instruction, a single-step #DB) is an
 * exception exit to L1 when L1 intercepts the vector (15.12): exit code 40h + vector,
 * EXITINFO1 the error code, EXITINFO2 the #PF address (CR2 is then left alone).
 */
static bool exception_to_l1(struct vcpu *v, uint64_t inj_before, uint64_t cr2_before)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct vmcb *v02 = n->vmcb02;
	uint64_t inj = v02->control.event_inj;
	if (inj == inj_before || !(inj & SVM_EVENT_VALID) ||
	    (inj & SVM_EVENT_TYPE_MASK) != SVM_EVENT_TYPE_EXCEPTION)
		return false;
	uint8_t vector = (uint8_t)inj;
	if (vector >= 32 || !(n->vmcb12->control.intercept_exceptions & (1u << vector)))
		return false;
	uint64_t info2 = 0;
	if (vector == EXCEPTION_PF) {
		info2 = v02->save.cr2;
		v02->save.cr2 = cr2_before;
	}
	v02->control.event_inj = inj_before;
	n->stats.exc_converted++;
	svm_nested_synthetic_vmexit(v, SVM_EXIT_EXCP_BASE + vector,
				    (inj & SVM_EVENT_ERROR_VALID) ? inj >> 32 : 0, info2);
	return true;
}

/*
 * MOV to CR8 in L2 that L1 does not intercept (nestor intercepts every CR8 write: QEMU
 * 7.2 aborts on one while V_IRQ is set, docs/svm.md). With vmcb12's V_INTR_MASKING the
 * write lands in V_TPR (15.21.1); without it, it is L1's own TPR as well.
 */
static bool l2_cr8_write(struct vcpu *v)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct x86_insn insn;
	if (!vcpu_fetch_insn(v, "L2 CR8 write", &insn))
		return !v->vm->stopping;
	if (insn.map != X86_MAP_0F || insn.opcode != 0x22 || !insn.has_modrm || insn.reg != 8) {
		vm_stop_vcpu(v, "L2 CR8 write exit at rip %#llx: not MOV to CR8 (map %u opcode %#x)",
			     (unsigned long long)v->ops->get_reg(v, VCPU_RIP), insn.map, insn.opcode);
		return false;
	}
	uint64_t value = v->gprs.r[insn.rm & 15];
	if (!v->ops->long_mode_code(v))
		value = (uint32_t)value;
	if (value & ~0xfull) {
		vcpu_inject_gp(v);	/* SDM Vol. 3A 11.8.6.1: bits 63:4 reserved */
		return true;
	}
	n->stats.cr8_writes++;
	struct vmcb_control *c = &n->vmcb02->control;
	c->vintr = (c->vintr & ~SVM_V_TPR_MASK) | value;
	if (!(n->vmcb12->control.vintr & SVM_V_INTR_MASKING))
		vlapic_set_tpr(apic_vm_vcpu(&v->vm->apic, v->id), (uint32_t)(value << 4));
	vcpu_complete_instruction(v, v->ops->get_reg(v, VCPU_RIP) + insn.len);
	return true;
}

/*
 * A CR0 write nestor intercepts and L1 does not. APM 15.9.2: the selective CR0 write
 * intercept (exit 65h) fires for a MOV to CR0 or LMSW that changes any bit other than TS
 * and MP, when the general CR0 write intercept did not; nestor's own CR0 intercept stands
 * in front of it in vmcb02, so nestor tells them apart. L1 (KVM) depends on it: with
 * nested paging it lets L2 own CR0 and learns of EFER.LMA through this exit.
 */
static bool l2_cr0_write_is_l1s(struct vcpu *v, bool *stop)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct x86_insn insn;
	*stop = false;
	if (!(n->vmcb12->control.intercept_misc1 & SVM_INTERCEPT_CR0_SEL_WRITE))
		return false;
	if (!vcpu_fetch_insn(v, "L2 CR0 write", &insn)) {
		*stop = v->vm->stopping;
		return !*stop;	/* the fetch fault is queued for L2: nothing more to do here */
	}
	uint64_t cr0 = v->ops->get_reg(v, VCPU_CR0), value;
	if (insn.map == X86_MAP_0F && insn.opcode == 0x22 && insn.has_modrm && insn.reg == 0) {
		value = v->gprs.r[insn.rm & 15];
		if (!v->ops->long_mode_code(v))
			value = (uint32_t)value;
	} else if (insn.map == X86_MAP_0F && insn.opcode == 0x01 && insn.has_modrm &&
		   (insn.reg & 7) == 6 && insn.mod == 3) {
		/* LMSW loads CR0[3:0] and cannot clear PE (APM Vol. 3, LMSW). */
		value = (cr0 & ~0xeull) | (v->gprs.r[insn.rm & 15] & 0xf);
	} else {
		return false;	/* CLTS changes TS only */
	}
	if (!((value ^ cr0) & ~(X86_CR0_TS | X86_CR0_MP)))
		return false;
	svm_nested_synthetic_vmexit(v, SVM_EXIT_CR0_SEL_WRITE, 0, 0);
	return true;
}

static bool is_svm_insn(uint64_t code)
{
	return (code >= SVM_EXIT_VMRUN && code <= SVM_EXIT_SKINIT) || code == SVM_EXIT_INVLPGA;
}

/* An exit nestor intercepts and L1 does not: what the processor L1 runs on would do. */
static enum vcpu_nested_exit l2_exit_for_l1(struct vcpu *v, uint64_t code)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct vmcb *v02 = n->vmcb02;
	uint64_t inj_before, cr2_before = v02->save.cr2;
	bool ok = true, stop = false;

	n->stats.l0_exits++;
	log_trace("vcpu%u: nested: L2 exit %#llx info1 %#llx at rip %#llx handled by nestor",
		  v->id, (unsigned long long)code, (unsigned long long)v02->control.exit_info1,
		  (unsigned long long)v02->save.rip);
	redeliver(&v02->control);
	inj_before = v02->control.event_inj;
	if (code == SVM_EXIT_WRITE_CR8) {
		ok = l2_cr8_write(v);
	} else if (code == SVM_EXIT_WRITE_CR0 && l2_cr0_write_is_l1s(v, &stop)) {
		return NESTED_EXIT_DONE;	/* #VMEXIT(CR0_SEL_WRITE), or L2's fetch fault */
	} else if (stop) {
		return NESTED_EXIT_STOP;
	} else if (code == SVM_EXIT_DB) {
		/* L2's #DB, which L1 does not intercept (nestor always does, svm_nested_vmrun.c):
		 * back into L2 with DR6 and DR7 as the processor left them in vmcb02 (APM 15.12).
		 * Not through svm_exit_debug: its single step after an IRET is L1's NMI tracking,
		 * which vmcb02 never arms (no IRET intercept), and must not be consumed here. */
		struct vcpu_debug_exit d = { .dr6_updated = true };
		n->stats.l2_db++;
		ok = vcpu_exit_debug(v, &d);
	} else if (code == SVM_EXIT_EXCP_BASE + X86_VECTOR_AC) {
		n->stats.l2_ac++;	/* error code 0, RIP the faulting instruction's */
		ok = vcpu_exit_alignment_check(v);
	} else if (is_svm_insn(code)) {
		/* L2 is no hypervisor of nestor's: the SVM instructions L1 lets it run (VMMCALL
		 * with no intercept included, APM Vol. 3) raise #UD. */
		vcpu_inject_ud(v);
	} else {
		ok = svm_handle_exit(v);
	}
	if (!ok)
		return v->vm->stopping ? NESTED_EXIT_STOP : NESTED_EXIT_DONE;
	exception_to_l1(v, inj_before, cr2_before);
	return NESTED_EXIT_DONE;
}

/* A nested page fault: nestor's shadow of L1's table is filled, or L1's table faults. */
static enum vcpu_nested_exit l2_npf(struct vcpu *v)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct vmcb_control *c = &n->vmcb02->control;
	uint64_t gpa = c->exit_info2, error = 0, l1_gpa = 0;

	if (!n->l1_npt) {
		/* nestor's own table for L1: L2's physical addresses are L1's, outside RAM. */
		n->stats.npf_mmio++;
		n->stats.l0_exits++;
		redeliver(c);
		return vcpu_exit_mmio(v, gpa, c->exit_info1) ? NESTED_EXIT_DONE : NESTED_EXIT_STOP;
	}
	log_trace("vcpu%u: nested: NPF %#llx info1 %#llx at L2 rip %#llx intinfo %#llx cr2 %#llx "
		  "rsp %#llx", v->id, (unsigned long long)gpa, (unsigned long long)c->exit_info1,
		  (unsigned long long)n->vmcb02->save.rip, (unsigned long long)c->exit_int_info,
		  (unsigned long long)n->vmcb02->save.cr2, (unsigned long long)v->gprs.r[GPR_RSP]);
	switch (svm_npt_shadow_fault(v, gpa, c->exit_info1, &error, &l1_gpa)) {
	case SVM_NPT_FILLED:
		n->stats.npf_filled++;
		n->stats.l0_exits++;
		redeliver(c);
		return NESTED_EXIT_DONE;
	case SVM_NPT_L1_FAULT:
		/* 15.25.6: the error code as L1's table gives it, with the hardware's bits
		 * saying whether the fault hit the final address or L2's page tables. */
		n->stats.npf_reflected++;
		c->exit_info1 = error | (c->exit_info1 & (NSVM_NPF_FINAL | NSVM_NPF_GPT));
		svm_nested_vmexit(v);
		return NESTED_EXIT_DONE;
	case SVM_NPT_MMIO:
		vm_stop_vcpu(v, "L1 maps L2 address %#llx onto %#llx, which is not L1 RAM: nestor "
			     "does not emulate L1's devices for L2", (unsigned long long)gpa,
			     (unsigned long long)l1_gpa);
		return NESTED_EXIT_STOP;
	default:
		return NESTED_EXIT_STOP;
	}
}

/* The L1-owned check of 15.7-15.13: L1's intercept bits and maps decide. */
static bool owned_by_l1(struct vcpu *v, uint64_t code, uint64_t info1)
{
	struct svm_nested *n = svm_of(v)->nested;
	const struct vmcb_control *c12 = &n->vmcb12->control;
	struct nsvm_exit_ctx x = {
		.vmcb12 = n->vmcb12,
		.l1_msrpm = (c12->intercept_misc1 & SVM_INTERCEPT_MSR)
				    ? guest_mem_ptr(&v->vm->mem, c12->msrpm_base_pa & ~0xfffull,
						    SVM_MSRPM_SIZE) : NULL,
		.l1_iopm = (c12->intercept_misc1 & SVM_INTERCEPT_IOIO)
				   ? guest_mem_ptr(&v->vm->mem, c12->iopm_base_pa & ~0xfffull,
						   SVM_IOPM_SIZE) : NULL,
		.ecx = (uint32_t)v->gprs.r[GPR_RCX],
		.npf_in_l1_npt = false,
		.feat = svm_nested_features(v),
	};
	return nsvm_exit_owner(&x, code, info1) == NSVM_OWNER_L1;
}

static enum vcpu_nested_exit svm_nested_exit(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_nested *n = s->nested;
	struct vmcb_control *c = &n->vmcb02->control;
	uint64_t code = c->exit_code;

	v->stats.l2_exits++;
	if (!(c->exit_int_info & SVM_EVENT_VALID))
		c->exit_int_info = 0;	/* QEMU leaves stale bits with V clear */
	switch (code) {
	case SVM_EXIT_INVALID:
		/* The processor refused the vmcb02 nestor built from a vmcb12 that passed the
		 * table: a check nestor lacks. L1 gets what the processor said. */
		v->stats.invariant_violations++;
		log_error("vcpu%u: nested: the processor refused vmcb02 (VMEXIT_INVALID); "
			  "reflected to L1", v->id);
		svm_log_vmcb(v);
		svm_nested_vmexit(v);
		return NESTED_EXIT_DONE;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		/* nestor's own: taken by the run loop; L1's events are check_events' business. */
		n->stats.l0_exits++;
		if (code == SVM_EXIT_INTR)	/* counted as L1's are (svm_exits.c) */
			v->stats.by_reason[EXIT_REASON_EXTERNAL_INTERRUPT]++;
		redeliver(c);
		return NESTED_EXIT_DONE;
	case SVM_EXIT_NPF:
		return l2_npf(v);
	default:
		if (owned_by_l1(v, code, c->exit_info1)) {
			svm_nested_vmexit(v);
			return NESTED_EXIT_DONE;
		}
		return l2_exit_for_l1(v, code);
	}
}

/*
 * Before an entry into L2: an NMI or interrupt for L1 that L1 intercepts becomes
 * #VMEXIT(NMI) / #VMEXIT(INTR) now (15.13.1, 15.21.1: with V_INTR_MASKING the mask is
 * L1's RFLAGS.IF from the VMRUN). L1 then takes it once it sets GIF and IF again. With an
 * event L1 injects still in vmcb02, L2 is entered first: the processor delivers EVENTINJ
 * before it recognises the interrupt (15.20), and a self-IPI makes that interrupt exit
 * right after the delivery (nsvm_l1_event_exits).
 */
static bool l1_event_exits(struct vcpu *v, enum nsvm_l1_event ev)
{
	struct svm_nested *n = svm_of(v)->nested;
	const struct vmcb *v02 = n->vmcb02;
	switch (nsvm_l1_event_exits(n->vmcb12, ev, n->l1_if, v02->save.rflags,
				    v02->control.event_inj)) {
	case NSVM_EVENT_EXIT:
		return true;
	case NSVM_EVENT_AFTER_INJECTION:
		n->stats.exits_after_injection++;
		lapic_send_ipi(lapic_id(), LAPIC_VECTOR_KICK);
		return false;
	default:
		return false;
	}
}

static void svm_nested_check_events(struct vcpu *v, struct vlapic *l)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct vmcb *v02 = n->vmcb02;
	bool nmi, intr;
	apic_pending_for_nested(l, vm_now_ns(v->vm), &nmi, &intr);
	if (nmi && l1_event_exits(v, NSVM_L1_NMI)) {
		n->stats.nmi_exits++;
		v->stats.l2_exits++;	/* an exit of L2 as L1 sees it, as on VMX */
		svm_nested_synthetic_vmexit(v, SVM_EXIT_NMI, 0, 0);
		return;
	}
	if (intr && l1_event_exits(v, NSVM_L1_INTR)) {
		n->stats.intr_exits++;
		v->stats.l2_exits++;
		svm_nested_synthetic_vmexit(v, SVM_EXIT_INTR, 0, 0);
		return;
	}
	/* L2 halted where L1 let it (no HLT intercept): its own pending event wakes it. */
	if (v->state == VCPU_HALTED &&
	    ((v02->control.event_inj & SVM_EVENT_VALID) ||
	     ((v02->control.vintr & SVM_V_IRQ) && (v02->save.rflags & (1ull << 9)))))
		v->state = VCPU_RUNNABLE;
}

const struct vcpu_nested_ops svm_nested_ops = {
	.exit = svm_nested_exit,
	.check_events = svm_nested_check_events,
	.report = svm_nested_report,
};
