/* nvmx_hosts: recorded host capability MSRs (Bochs 2.7 models) for the nested-VMX host tests. */
#ifndef NESTOR_TESTS_NVMX_HOSTS_H
#define NESTOR_TESTS_NVMX_HOSTS_H

#include "nested/vmx/nvmx_offer.h"

/* Bochs 2.7 corei7_ivy_bridge_3770k, as nestor logs it ("vmx: capability MSRs"). */
static inline struct nvmx_host nvmx_host_ivy_bridge(void)
{
	struct nvmx_host h = {
		.msrs = {
			.basic = 0xd810000000002bull,
			.pin = 0x7f00000016ull, .true_pin = 0x7f00000016ull,
			.proc = 0xf7f9fffe0401e172ull, .true_proc = 0xf7f9fffe04006172ull,
			.exit = 0x7fffff00036dffull, .true_exit = 0x7fffff00036dfbull,
			.entry = 0xffff000011ffull, .true_entry = 0xffff000011fbull,
			.misc = 0x401e0ull,
			.cr0_fixed0 = 0x80000021ull, .cr0_fixed1 = 0xffffffffull,
			.cr4_fixed0 = 0x2000ull, .cr4_fixed1 = 0x1727ffull,
			.proc2 = 0x8ff00000000ull,
			.ept_vpid = 0xf0106114141ull,
		},
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
	h.msrs.misc = 0x600401e0ull;
	h.msrs.cr4_fixed1 = 0x3727ffull;
	h.msrs.proc2 = 0x2177fff00000000ull;
	h.msrs.ept_vpid = 0xf0106334141ull;
	h.cr4_allowed = 0x3727ffull & ~(1ull << 14);
	return h;
}

#endif
