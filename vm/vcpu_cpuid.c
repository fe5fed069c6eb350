/* vcpu_cpuid: what CPUID tells a vCPU: its VM's personality over the host, with its state. */
#include "vm/vcpu_cpuid.h"

#include "vm/personality.h"
#include "vm/vm.h"

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

void vcpu_cpuid(struct vcpu *v, uint64_t guest_cr4, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *out)
{
	struct cpuid_state s;
	vcpu_state(v, guest_cr4, &s);
	cpuid_model(v->vm->personality, &v->vm->cpuid_host, &s, leaf, subleaf, out);
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
	cpuid_model(v->vm->personality, &v->vm->cpuid_host, &s, f.leaf, f.subleaf, &r);
	return (cpuid_reg_of(&r, (enum cpuid_reg)f.reg) >> f.bit) & 1;
}

enum cpuid_vendor vcpu_cpuid_vendor(struct vcpu *v)
{
	return cpuid_host_vendor(&v->vm->cpuid_host);
}
