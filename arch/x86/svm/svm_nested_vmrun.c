/* svm_nested_vmrun: L1's VMRUN: the check table, then vmcb02 from vmcb12, then L2 runs. */
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "arch/x86/svm/svm_permmap.h"
#include "lib/log.h"
#include "lib/string.h"
#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_merge.h"
#include "nested/svm/nsvm_permmap.h"
#include "vm/vcpu_exit.h"
#include "vm/msr_table.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

/* Check failures logged per vCPU; beyond this they are only counted (the report). */
#define CHECK_LOG_LINES 200

#define RFLAGS_IF (1ull << 9)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define CR4_LA57 (1ull << 12)

/* One line per failing check: its name, APM reference and fields, the vCPU and L1's RIP. */
static void log_check(struct vcpu *v, const struct nsvm_check *c, const struct nsvm_check_input *in)
{
	struct svm_nested *n = svm_of(v)->nested;
	char line[240];
	if (n->stats.first_check_logged >= CHECK_LOG_LINES)
		return;
	if (++n->stats.first_check_logged == CHECK_LOG_LINES)
		log_warn("vcpu%u: nested SVM: %u VMRUN check failures logged, further ones are "
			 "only counted", v->id, CHECK_LOG_LINES);
	nsvm_check_describe(line, sizeof(line), c, in);
	log_warn("vcpu%u: L1 VMRUN at rip %#llx: %s", v->id,
		 (unsigned long long)v->ops->get_reg(v, VCPU_RIP), line);
}

/*
 * A check failed after vmcb12 was read: #VMEXIT(VMEXIT_INVALID) into L1's vmcb12, L1 goes
 * on after its VMRUN with GIF clear (15.6: every #VMEXIT clears GIF) and no L2 ran.
 */
static void vmrun_invalid(struct vcpu *v, uint64_t next_rip)
{
	struct svm_nested *n = svm_of(v)->nested;
	nsvm_reflect_invalid(guest_mem_ptr(&v->vm->mem, n->vmcb12_pa, sizeof(struct vmcb)));
	n->stats.vmrun_invalid++;
	svm_nested_set_gif(svm_of(v), false);
	vcpu_complete_instruction(v, next_rip);
}

struct msrpm_merge {
	uint8_t *msrpm02;
	const uint8_t *l1;		/* L1's map, or NULL: L1 does not intercept MSRs */
};

/* One MSR nestor passes through (read and/or write): L1's bits for those directions. */
static void merge_msr(void *ctx, uint32_t msr, bool read, bool write)
{
	const struct msrpm_merge *m = ctx;
	uint32_t byte;
	unsigned shift;
	if (!svm_msrpm_locate(msr, &byte, &shift))
		return;
	uint8_t mask = (uint8_t)(((read ? 1u : 0) | (write ? 2u : 0)) << shift);
	uint8_t bits = m->l1 ? (uint8_t)(m->l1[byte] & mask) : 0;
	m->msrpm02[byte] = (uint8_t)((m->msrpm02[byte] & ~mask) | bits);
}

/*
 * The MSRPM vmcb02 uses: nestor's (which intercepts every MSR but the few vm/msr_table.c
 * lets through, some for reads only) with L1's bits for those few: the union of both maps
 * (nsvm_permmap_union) without copying 8 KiB per VMRUN. L1 not using MSR protection
 * lets them all through.
 */
static void merge_msrpm(struct svm_nested *n, const struct vmcb *v12, const struct guest_mem *mem)
{
	struct msrpm_merge m = {
		n->msrpm02,
		(v12->control.intercept_misc1 & SVM_INTERCEPT_MSR)
			? guest_mem_ptr(mem, v12->control.msrpm_base_pa & ~0xfffull, SVM_MSRPM_SIZE)
			: NULL,
	};
	msr_table_passthrough(merge_msr, &m);
}

/* nestor's side of vmcb02: what it intercepts of any guest of its own, its maps, TSC. */
static void l0_state(struct vcpu *v, struct nsvm_l0 *l0)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_nested *n = s->nested;
	const struct svm_vm *sv = v->vm->arch;
	const struct vmcb_control *c1 = &s->vmcb01->control;
	/* vmcb01's static intercepts; the VINTR/IRET ones are L1's interrupt windows and NMI
	 * tracking, nothing L2 needs. #AC and #DB always, as for L1 (svm_vmcb.c): an L2 could
	 * otherwise hold the physical CPU in a delivery loop (CVE-2015-5307, CVE-2015-8104)
	 * whenever L1 does not intercept them; nestor gives back the ones L1 does not want
	 * (svm_nested_exit.c, l2_exception). */
	l0->intercept_cr = c1->intercept_cr;
	l0->intercept_dr = 0;
	l0->intercept_exceptions = (1u << X86_VECTOR_AC) | (1u << X86_VECTOR_DB);
	l0->intercept_misc1 = c1->intercept_misc1 & ~(SVM_INTERCEPT_VINTR | SVM_INTERCEPT_IRET);
	/* STGI/CLGI always: run natively by L2 they would clear the host's own GIF. */
	l0->intercept_misc2 = c1->intercept_misc2 | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI;
	l0->intercept_misc3 = c1->intercept_misc3;
	l0->tsc_offset = c1->tsc_offset;
	l0->asid = n->l2_asid;
	l0->ncr3_l1 = sv->ncr3;
	l0->ncr3_shadow = n->l1_npt ? svm_npt_shadow_root(n) : 0;
	l0->iopm_pa = sv->iopm_pa;	/* every port: the union with any L1 map */
	l0->msrpm_pa = (uint64_t)(uintptr_t)n->msrpm02;
}

/*
 * What nestor caches of L1's translations (the shadow NPT) goes when L1 flushes (APM
 * 15.16: software flushes after changing nested page tables): a TLB_CONTROL, a new nCR3,
 * or an ASID not used since the shadow was built. An ASID that has run before is a switch
 * between L2 vCPUs (KVM gives each its own), not a flush: hardware keeps that ASID's
 * translations too, so a change L1 did not flush for would be stale there as well. A
 * TLB_CONTROL makes every ASID fresh again (KVM sets it when it wraps its ASID numbers).
 */
static void note_flushes(struct vcpu *v, const struct vmcb *v12, bool flush)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_nested *n = s->nested;
	uint32_t asid = v12->control.asid;
	uint64_t bit = asid < 64 ? 1ull << asid : 0;
	bool fresh = !(n->asids_seen & bit) || !bit;
	if (flush)
		n->asids_seen = 0;
	if (flush || fresh || (n->l1_npt && v12->control.n_cr3 != n->last_ncr3)) {
		svm_npt_shadow_drop(n);
		s->flush_tlb = true;
	}
	n->asids_seen |= bit;
	n->last_asid = asid;
	n->last_ncr3 = v12->control.n_cr3;
}

/* Everything checked: L1's processor state stays in vmcb01, vmcb02 runs from now on. */
static void enter_l2(struct vcpu *v, uint64_t next_rip)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_nested *n = s->nested;
	const struct vmcb *v12 = n->vmcb12;
	struct vmcb *v01 = s->vmcb01;
	struct nsvm_l0 l0;
	struct nsvm_merge_info info;

	/* VMRUN's host save (15.5.1): RIP after the VMRUN, RSP, RAX, RFLAGS; the rest of
	 * L1's state is vmcb01's save area already. */
	v01->save.rip = next_rip;
	v01->save.rax = v->gprs.r[GPR_RAX];
	v01->save.rsp = v->gprs.r[GPR_RSP];
	v01->control.interrupt_shadow = 0;
	n->l1_if = v01->save.rflags & RFLAGS_IF;
	n->l1_npt = svm_nested_features(v)->npt && (v12->control.np_control & SVM_NP_ENABLE);
	n->npt = (struct nsvm_npt_mode){ v12->control.n_cr3,
					 (v01->save.cr4 & CR4_LA57) ? 5 : 4,
					 svm_nested_features(v)->maxphyaddr,
					 (v01->save.efer & EFER_NXE) != 0 };
	note_flushes(v, v12, v12->control.tlb_control != SVM_TLB_CONTROL_NOTHING);
	merge_msrpm(n, v12, &v->vm->mem);
	l0_state(v, &l0);
	if (n->l1_npt && !l0.ncr3_shadow) {
		vm_stop_vcpu(v, "nested: out of pages for the shadow of L1's nested page table");
		return;
	}
	nsvm_merge(n->vmcb02, v12, &v01->save, &l0, svm_nested_features(v), &info);

	s->vmcb = n->vmcb02;
	s->vmcb_pa = n->vmcb02_pa;
	v->guest_mode = true;
	n->gif = true;		/* VMRUN sets GIF (15.17); vmcb01's V_GIF is L1's again at #VMEXIT */
	v->gprs.r[GPR_RAX] = n->vmcb02->save.rax;
	v->gprs.r[GPR_RSP] = n->vmcb02->save.rsp;
	n->stats.vmrun++;
	log_trace("vcpu%u: nested: VMRUN %#llx from rip %#llx: L2 rip %#llx rsp %#llx cr3 %#llx "
		  "eventinj %#llx vintr %#llx asid %u npt %d", v->id,
		  (unsigned long long)n->vmcb12_pa, (unsigned long long)(next_rip - 3),
		  (unsigned long long)n->vmcb02->save.rip, (unsigned long long)n->vmcb02->save.rsp,
		  (unsigned long long)n->vmcb02->save.cr3,
		  (unsigned long long)n->vmcb02->control.event_inj,
		  (unsigned long long)n->vmcb02->control.vintr, v12->control.asid, n->l1_npt);
	uint64_t inj = n->vmcb02->control.event_inj;
	bool intr = (inj & SVM_EVENT_VALID) && (inj & SVM_EVENT_TYPE_MASK) == SVM_EVENT_TYPE_INTR;
	nested_watch_entry(&n->watch, vm_now_ns(v->vm), intr, (uint8_t)inj,
			   n->vmcb02->save.rip, (n->vmcb02->control.vintr & SVM_V_IRQ) != 0);
}

bool svm_nested_vmrun(struct vcpu *v)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct x86_insn insn;
	if (!vcpu_fetch_insn(v, "VMRUN", &insn))
		return !v->vm->stopping;
	uint64_t rip = v->ops->get_reg(v, VCPU_RIP), next_rip = rip + insn.len;
	uint64_t rax = v->gprs.r[GPR_RAX];
	rax = insn.addrsize == 8 ? rax : insn.addrsize == 4 ? (uint32_t)rax : (uint16_t)rax;
	struct nsvm_vmrun run = { .rax = rax, .efer = v->ops->get_reg(v, VCPU_EFER),
				  .cr0 = v->ops->get_reg(v, VCPU_CR0),
				  .rflags = v->ops->get_reg(v, VCPU_RFLAGS),
				  .cpl = (uint8_t)v->ops->cpl(v) };
	struct nsvm_check_input in = { &run, NULL, svm_nested_features(v), &n->ram };

	/* Phase 1: the instruction's faults and whether vmcb12 is L1 RAM at all. */
	struct nsvm_check_result r = nsvm_check_run(&in, NSVM_ORIGINS_ALL);
	if (r.failed) {
		log_check(v, r.failed, &in);
		n->stats.vmrun_fault++;
		if (r.failed->outcome == NSVM_UD)
			vcpu_inject_ud(v);
		else
			vcpu_inject_gp(v);
		return true;
	}
	/* Phase 2 on nestor's own copy, so that another vCPU of L1 cannot change vmcb12
	 * between the checks and the merge. */
	n->vmcb12_pa = rax & ~0xfffull;
	memcpy(n->vmcb12, guest_mem_ptr(&v->vm->mem, n->vmcb12_pa, sizeof(struct vmcb)),
	       sizeof(struct vmcb));
	in.vmcb = n->vmcb12;
	v->stats.l1_vmentries++;
	r = nsvm_check_run(&in, NSVM_ORIGINS_ALL);
	if (r.failed) {
		v->stats.l1_vmentry_fails++;
		log_check(v, r.failed, &in);
		vmrun_invalid(v, next_rip);
		return true;
	}
	enter_l2(v, next_rip);
	return !v->vm->stopping;
}
