/* svm_nested_init: what nested SVM offers L1, and each vCPU's nested state. */
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "arch/x86/svm/svm_permmap.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

/* CPUID 8000_000Ah (APM Vol. 3, E.4.10): SVM revision 1; the ASIDs L1 may use are
 * 1..NSVM_OFFERED_ASIDS-1. nestor keeps no per-ASID state beyond "which ASID ran last",
 * so the count only has to be at least 2 (kvm_amd's minimum) and match the check table. */
#define NSVM_REVISION 1
#define NSVM_OFFERED_ASIDS 16

/*
 * The features offered are exactly those nestor implements for L1: nested paging (a
 * shadow of L1's table, svm_npt_shadow.c) unless nested-paging=off. Not offered, so not
 * honoured: NRIPS (L1 decodes), clean bits (vmcb02 is rebuilt at every VMRUN), flush by
 * ASID (any TLB_CONTROL flushes everything), VGIF, virtual VMSAVE/VMLOAD, LBR
 * virtualization, decode assists, pause filter, AVIC.
 */
void svm_nested_offer(struct vm *vm)
{
	struct vm_nested_offer *n = &vm->nested;
	n->svm = n->wanted;
	if (!n->svm)
		return;
	n->svm_leaf[0] = NSVM_REVISION;
	n->svm_leaf[1] = NSVM_OFFERED_ASIDS;
	n->svm_leaf[2] = 0;
	n->svm_leaf[3] = n->paging ? NSVM_SVM_EDX_NPT : 0;
	log_info("svm: nested SVM offered to L1: revision %u, %u ASIDs, nested paging %s",
		 NSVM_REVISION, NSVM_OFFERED_ASIDS, n->paging ? "on" : "off");
}

const struct nsvm_features *svm_nested_features(struct vcpu *v)
{
	struct svm_nested *n = svm_of(v)->nested;
	if (n->feat.nasid)
		return &n->feat;
	struct cpuid_regs f1, f7, e1, e8, svm;
	vcpu_cpuid(v, 0, 1, 0, &f1);
	vcpu_cpuid(v, 0, 7, 0, &f7);
	vcpu_cpuid(v, 0, 0x80000001, 0, &e1);
	vcpu_cpuid(v, 0, 0x80000008, 0, &e8);
	vcpu_cpuid(v, 0, 0x8000000a, 0, &svm);
	struct nsvm_cpuid c = { f1.ecx, f7.ebx, f7.ecx, e1.ecx, e1.edx };
	nsvm_features_from_cpuid(&n->feat, svm.ebx, svm.edx, e8.eax, &c);
	/* XSAVE is offered to L1 whatever its CR4.OSXSAVE says (the CPUID bit nestor
	 * computes from CR4 is OSXSAVE, not XSAVE). */
	return &n->feat;
}

/*
 * Per vCPU: vmcb02, nestor's copy of vmcb12, the merged MSRPM. L2 gets its own host ASID
 * (the vCPUs' L1 ASIDs are 1..N); where the host has too few, it shares L1's and every
 * switch between the two flushes.
 */
bool svm_nested_vcpu_init(struct vcpu *v, struct svm_vcpu *s)
{
	struct svm_nested *n = (struct svm_nested *)page_alloc(&nestor_pages, 1, 1);
	uint64_t v02 = page_alloc(&nestor_pages, 1, 1);
	uint64_t v12 = page_alloc(&nestor_pages, 1, 1);
	uint64_t msrpm = page_alloc(&nestor_pages, 2, 1);
	_Static_assert(sizeof(struct svm_nested) <= 4096, "svm_nested fits a page");
	if (!n || !v02 || !v12 || !msrpm) {
		log_error("svm: vcpu%u: out of pages for nested SVM", v->id);
		return false;
	}
	const struct svm_vm *sv = v->vm->arch;
	n->gif = true;
	n->vmcb02 = (struct vmcb *)(uintptr_t)v02;
	n->vmcb02_pa = v02;
	n->vmcb12 = (struct vmcb *)(uintptr_t)v12;
	n->msrpm02 = (uint8_t *)(uintptr_t)msrpm;
	memcpy(n->msrpm02, (const void *)(uintptr_t)sv->msrpm_pa, SVM_MSRPM_SIZE);
	n->l2_asid = v->vm->nvcpus + 1 + v->id;
	if (n->l2_asid >= svm_host_nasid)
		n->l2_asid = v->id + 1;
	n->ram_range = (struct nsvm_range){ 0, v->vm->mem.size };
	n->ram = (struct nsvm_ram){ &n->ram_range, 1 };
	n->l2_mem = (struct guest_mem){ v->vm->mem.hva, v->vm->mem.size, svm_npt_translate, v };
	s->nested = n;
	v->nested = &svm_nested_ops;
	/* With the host's VGIF, L1's STGI/CLGI need no exit (KVM runs both around every
	 * VMRUN): vmcb01 enables the virtual GIF, which holds V_IRQ while clear (15.33.2). */
	if (svm_host_vgif) {
		n->vgif_hw = true;
		s->vmcb01->control.vintr |= SVM_V_GIF_ENABLE | SVM_V_GIF;
		s->vmcb01->control.intercept_misc2 &= ~(SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI);
	}
	return true;
}

bool svm_nested_gif(const struct svm_vcpu *s)
{
	const struct svm_nested *n = s->nested;
	return n->vgif_hw ? (s->vmcb01->control.vintr & SVM_V_GIF) != 0 : n->gif;
}

void svm_nested_set_gif(struct svm_vcpu *s, bool gif)
{
	struct svm_nested *n = s->nested;
	n->gif = gif;
	if (gif)
		s->vmcb01->control.vintr |= SVM_V_GIF;
	else
		s->vmcb01->control.vintr &= ~SVM_V_GIF;
}
