/* vcpu_cpuid: what CPUID tells a vCPU: its VM's personality over the host, with its state. */
#include "vm/vcpu_cpuid.h"

#include "vm/personality.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"
#include "vm/vm_nested.h"

/* CPUID.80000001h:ECX[2]: SVM (APM Vol. 3, E.4.2). */
#define X1_ECX_SVM (1u << 2)

static void vcpu_state(struct vcpu *v, uint64_t guest_cr4, struct cpuid_state *s)
{
	const struct cpuid_host *h = &v->vm->cpuid_host;
	s->vcpu_id = v->id;
	s->nvcpus = v->vm->nvcpus;
	s->cr4 = guest_cr4;
	s->xcr0 = h->xcr0 ? h->xcr0(h->ctx) : 1;
	s->apic_base = vlapic_get_apic_base(apic_vm_vcpu(&v->vm->apic, v->id));
	s->misc_enable = v->msrs.misc_enable;
}

/*
 * Nested SVM, when the backend offers it (vm/vm_nested.h): the SVM flag and the feature
 * leaf the backend filled in (APM Vol. 3, E.4.2 and E.4.10).
 */
void cpuid_offer_svm(const struct vm_nested_offer *n, uint32_t leaf, struct cpuid_regs *r)
{
	if (!n->svm)
		return;
	if (leaf == 0x80000001)
		r->ecx |= X1_ECX_SVM;
	else if (leaf == 0x8000000a)
		*r = (struct cpuid_regs){ n->svm_leaf[0], n->svm_leaf[1], n->svm_leaf[2],
					  n->svm_leaf[3] };
}

void vcpu_cpuid(struct vcpu *v, uint64_t guest_cr4, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *out)
{
	struct cpuid_state s;
	vcpu_state(v, guest_cr4, &s);
	cpuid_model(v->vm->personality, &v->vm->cpuid_host, &s, leaf, subleaf, out);
	cpuid_offer_svm(&v->vm->nested, leaf, out);
	if (v->nested && v->nested->cpuid)
		v->nested->cpuid(v, leaf, subleaf, out);
}

bool vcpu_cpuid_has(struct vcpu *v, uint64_t guest_cr4, struct cpuid_bit f)
{
	struct cpuid_state s;
	struct cpuid_ranges rg;
	struct cpuid_regs r;
	vcpu_state(v, guest_cr4, &s);
	cpuid_ranges(v->vm->personality, &v->vm->cpuid_host, &s, &rg);
	if (!cpuid_leaf_in_range(&rg, f.leaf))
		return false;	/* Intel would answer with another leaf's bits */
	vcpu_cpuid(v, guest_cr4, f.leaf, f.subleaf, &r);	/* the answer the guest gets */
	return (cpuid_reg_of(&r, (enum cpuid_reg)f.reg) >> f.bit) & 1;
}

enum cpuid_vendor vcpu_cpuid_vendor(struct vcpu *v)
{
	return cpuid_host_vendor(&v->vm->cpuid_host);
}
