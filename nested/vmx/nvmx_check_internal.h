/* nvmx_check_internal: the evaluation state and helpers the check predicates share. */
#ifndef NESTOR_NESTED_VMX_NVMX_CHECK_INTERNAL_H
#define NESTOR_NESTED_VMX_NVMX_CHECK_INTERNAL_H

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_checks.h"

/* One 16-byte element of an MSR-load area (SDM 24.7.2, Table 24-12). */
struct nvmx_msr_entry {
	uint32_t index;
	uint32_t reserved;
	uint64_t value;
};

/*
 * What the predicates see. The control words are the effective ones: with "activate
 * secondary controls" 0 the secondary controls act as 0 (26.2.1.1). Memory the checks
 * read is fetched once by the nestor safety entry placed right before the first user.
 */
struct nvmx_eval {
	const struct vmcs12 *v;
	const struct nvmx_env *env;
	const struct nvmx_caps *caps;
	uint32_t pin, proc, proc2, exit, entry;
	uint8_t vtpr;
	uint32_t link_rev;
	uint64_t pdpte[4];
	struct nvmx_msr_entry msr;
	uint32_t msr_i;
};

#define NVMX_BIT(n) (1ull << (n))

/* Bits 11:0 clear (4 KiB page) and nothing beyond L1's MAXPHYADDR. */
static inline bool nvmx_addr_ok(const struct nvmx_eval *e, uint64_t a, uint64_t align_mask)
{
	return !(a & align_mask) && !(a >> e->caps->maxphyaddr);
}

static inline bool nvmx_page_ok(const struct nvmx_eval *e, uint64_t a)
{
	return nvmx_addr_ok(e, a, 0xfff);
}

/* Bits 63:N-1 all equal, N = the linear-address width. */
static inline bool nvmx_canonical(const struct nvmx_eval *e, uint64_t a)
{
	unsigned n = e->caps->linear_bits;
	int64_t s = (int64_t)(a << (64 - n)) >> (64 - n);

	return (uint64_t)s == a;
}

/* Each byte a memory type WRMSR accepts in IA32_PAT: 0, 1, 4, 5, 6, 7 (SDM 11.12.2). */
static inline bool nvmx_pat_ok(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (8 * i));
		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/* A control word against its capability MSR (allowed-0 / allowed-1, A.3-A.5). */
static inline bool nvmx_ctl_ok(uint32_t value, uint64_t msr)
{
	return (value & VMX_CTL_MUST1(msr)) == VMX_CTL_MUST1(msr) &&
	       !(value & ~VMX_CTL_MAY1(msr));
}

/* The control MSR VM entry consults: the TRUE form when IA32_VMX_BASIC[55] is 1 (A.2). */
static inline uint64_t nvmx_ctl_msr(const struct nvmx_caps *c, uint64_t plain, uint64_t tru)
{
	return (c->msrs.basic & VMX_BASIC_TRUE_CTLS) ? tru : plain;
}

/* Guest segment registers by their VMCS index (enum vmcs_seg). */
uint16_t nvmx_seg_sel(const struct vmcs12 *v, int seg);
uint64_t nvmx_seg_base(const struct vmcs12 *v, int seg);
uint32_t nvmx_seg_limit(const struct vmcs12 *v, int seg);
uint32_t nvmx_seg_ar(const struct vmcs12 *v, int seg);

static inline bool nvmx_ia32e_guest(const struct nvmx_eval *e)
{
	return e->entry & ENTRY_IA32E_GUEST;
}

static inline bool nvmx_v86(const struct nvmx_eval *e)
{
	return e->v->guest_rflags & NVMX_BIT(17);
}

static inline bool nvmx_ug(const struct nvmx_eval *e)
{
	return e->proc2 & PROC2_UNRESTRICTED_GUEST;
}

static inline bool nvmx_injecting(const struct nvmx_eval *e)
{
	return e->v->entry_intr_info & INTR_INFO_VALID;
}

static inline uint32_t nvmx_inj_type(const struct nvmx_eval *e)
{
	return e->v->entry_intr_info & INTR_INFO_TYPE_MASK;
}

#define NVMX_PRED(n) bool nvmx_p_##n(struct nvmx_eval *e, int arg __attribute__((unused)))

#endif
