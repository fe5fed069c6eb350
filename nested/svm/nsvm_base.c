/* nsvm_base: L1's offered features from its CPUID, address widths, RAM ranges, outcome names. */
#include "nested/svm/nsvm.h"

void nsvm_features_from_cpuid(struct nsvm_features *f, uint32_t svm_ebx, uint32_t svm_edx,
			      uint32_t leaf_80000008_eax, const struct nsvm_cpuid *c)
{
	f->npt = svm_edx & NSVM_SVM_EDX_NPT;
	f->lbr_virt = svm_edx & NSVM_SVM_EDX_LBRV;
	f->nrips = svm_edx & NSVM_SVM_EDX_NRIPS;
	f->vmcb_clean = svm_edx & NSVM_SVM_EDX_VMCB_CLEAN;
	f->flushbyasid = svm_edx & NSVM_SVM_EDX_FLUSHBYASID;
	f->v_vmsave_vmload = svm_edx & NSVM_SVM_EDX_V_VMSAVE_VMLOAD;
	f->vgif = svm_edx & NSVM_SVM_EDX_VGIF;
	f->nasid = svm_ebx;
	f->maxphyaddr = (uint8_t)leaf_80000008_eax;
	f->cpuid = *c;
}

bool nsvm_pa_legal(const struct nsvm_features *f, uint64_t pa)
{
	return f->maxphyaddr >= 64 || (pa >> f->maxphyaddr) == 0;
}

bool nsvm_ram_contains(const struct nsvm_ram *ram, uint64_t base, uint64_t len)
{
	if (len == 0)
		return true;
	if (base + (len - 1) < base)
		return false;		/* wraps around the address space */
	uint64_t at = base, last = base + (len - 1);
	for (;;) {
		size_t i;
		for (i = 0; i < ram->count; i++) {
			const struct nsvm_range *r = &ram->ranges[i];
			if (r->size && at >= r->base && at - r->base < r->size)
				break;
		}
		if (i == ram->count)
			return false;
		uint64_t range_last = ram->ranges[i].base + (ram->ranges[i].size - 1);
		if (range_last >= last || range_last < ram->ranges[i].base)
			return true;
		at = range_last + 1;	/* continue in an adjacent range, if any */
	}
}

const char *nsvm_outcome_name(enum nsvm_outcome o)
{
	switch (o) {
	case NSVM_RUN: return "run";
	case NSVM_UD: return "#UD";
	case NSVM_GP: return "#GP(0)";
	case NSVM_VMEXIT_INVALID: return "#VMEXIT(INVALID)";
	}
	return "?";
}

const char *nsvm_outcome_token(enum nsvm_outcome o)
{
	switch (o) {
	case NSVM_RUN: return "run";
	case NSVM_UD: return "ud";
	case NSVM_GP: return "gp";
	case NSVM_VMEXIT_INVALID: return "vmexit-invalid";
	}
	return "?";
}
