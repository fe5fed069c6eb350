/* nvmx_hosts: recorded host capability MSRs (Bochs 2.7 models) for the nested-VMX host tests. */
#ifndef NESTOR_TESTS_NVMX_HOSTS_H
#define NESTOR_TESTS_NVMX_HOSTS_H

#include "nested/vmx/nvmx_offer.h"
#include "tests/unit/bochs_vmx_msrs.h"

/* Bochs 2.7 corei7_ivy_bridge_3770k, as nestor logs it ("vmx: capability MSRs"). */
static inline struct nvmx_host nvmx_host_ivy_bridge(void)
{
	struct nvmx_host h = {
		.msrs = bochs_ivy_bridge_msrs(),

		.maxphyaddr = 40,
		.linear_bits = 48,
		.efer_valid = 0xd01,
		/* L1's CPUID on ivy bridge: everything of CR4_FIXED1 but SMXE (hidden). */
		.cr4_allowed = 0x1727ffull & ~(1ull << 14),
	};
	return h;
}

/* Bochs 2.7 corei7_skylake_x: adds VID, APIC-register virtualization, VMCS shadowing. */
static inline struct nvmx_host nvmx_host_skylake_x(void)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	h.msrs = bochs_skylake_x_msrs();
	h.cr4_allowed = 0x3727ffull & ~(1ull << 14);
	return h;
}

#endif
