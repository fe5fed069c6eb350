/* vmx_cap_read: reading the VMX capability MSRs (SDM Appendix A), for nestor and its test kernels. */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmx_controls.h"

/*
 * Plain RDMSR of every MSR that exists: 0x480-0x489 always with VMX; the others only
 * when what announces them is set, or RDMSR would #GP. The differential test kernel
 * (tests/guests/nvmx_diff.c) links this very file.
 */
void vmx_cap_msrs_read(struct vmx_cap_msrs *m)
{
	m->basic = rdmsr(0x480);
	m->pin = rdmsr(0x481);
	m->proc = rdmsr(0x482);
	m->exit = rdmsr(0x483);
	m->entry = rdmsr(0x484);
	m->misc = rdmsr(0x485);
	m->cr0_fixed0 = rdmsr(0x486);
	m->cr0_fixed1 = rdmsr(0x487);
	m->cr4_fixed0 = rdmsr(0x488);
	m->cr4_fixed1 = rdmsr(0x489);
	/* SDM A.3.3 and A.10: these two exist only when the controls that need them may be 1. */
	m->proc2 = (m->proc >> 32) & (1u << 31) ? rdmsr(0x48b) : 0;
	m->ept_vpid = (m->proc2 >> 32) & ((1u << 1) | (1u << 5)) ? rdmsr(0x48c) : 0;
	m->vmfunc = (m->proc2 >> 32) & (1u << 13) ? rdmsr(0x491) : 0;
	if (m->basic & (1ull << 55)) {
		m->true_pin = rdmsr(0x48d);
		m->true_proc = rdmsr(0x48e);
		m->true_exit = rdmsr(0x48f);
		m->true_entry = rdmsr(0x490);
	}
}
