/* bochs_vmx_msrs: Bochs 2.7's VMX capability MSRs, recorded once for every host test. */
#ifndef NESTOR_TESTS_UNIT_BOCHS_VMX_MSRS_H
#define NESTOR_TESTS_UNIT_BOCHS_VMX_MSRS_H

#include "arch/x86/vmx/vmx_caps.h"

/* corei7_ivy_bridge_3770k, as nestor logs it ("vmx: capability MSRs" and "cpu raw"). */
#define BOCHS_IVY_BRIDGE_VMX_MSRS { \
	.basic = 0xd810000000002bull, \
	.pin = 0x7f00000016ull, .true_pin = 0x7f00000016ull, \
	.proc = 0xf7f9fffe0401e172ull, .true_proc = 0xf7f9fffe04006172ull, \
	.exit = 0x7fffff00036dffull, .true_exit = 0x7fffff00036dfbull, \
	.entry = 0xffff000011ffull, .true_entry = 0xffff000011fbull, \
	.misc = 0x401e0ull, \
	.cr0_fixed0 = 0x80000021ull, .cr0_fixed1 = 0xffffffffull, \
	.cr4_fixed0 = 0x2000ull, .cr4_fixed1 = 0x1727ffull, \
	.proc2 = 0x8ff00000000ull, \
	.ept_vpid = 0xf0106114141ull, \
}

static inline struct vmx_cap_msrs bochs_ivy_bridge_msrs(void)
{
	struct vmx_cap_msrs m = BOCHS_IVY_BRIDGE_VMX_MSRS;
	return m;
}

/* corei7_skylake_x: adds VID, APIC-register virtualization and VMCS shadowing. */
static inline struct vmx_cap_msrs bochs_skylake_x_msrs(void)
{
	struct vmx_cap_msrs m = bochs_ivy_bridge_msrs();
	m.misc = 0x600401e0ull;
	m.cr4_fixed1 = 0x3727ffull;
	m.proc2 = 0x2177fff00000000ull;
	m.ept_vpid = 0xf0106334141ull;
	return m;
}

#endif
