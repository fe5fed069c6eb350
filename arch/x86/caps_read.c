/* caps_read: fill struct cpu_raw from this CPU's CPUID and capability MSRs. */
#include "arch/x86/caps.h"
#include "arch/x86/cpu.h"
#include "lib/string.h"

#define MSR_FEATURE_CONTROL 0x3a
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_PINBASED 0x481
#define MSR_VMX_PROCBASED 0x482
#define MSR_VMX_PROCBASED2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VM_CR 0xc0010114

/*
 * MSRs are read only when CPUID (or the allowed-1 bit of a previous MSR) says they
 * exist: RDMSR of a missing MSR raises #GP (SDM Vol. 3D, Appendix A).
 */
void caps_read_raw(struct cpu_raw *raw)
{
	memset(raw, 0, sizeof(*raw));
	struct cpuid_regs r = cpuid(0, 0);
	raw->max_leaf = r.eax;
	raw->vendor[0] = r.ebx;
	raw->vendor[1] = r.edx;
	raw->vendor[2] = r.ecx;
	if (raw->max_leaf >= 1) {
		r = cpuid(1, 0);
		raw->leaf1_eax = r.eax;
		raw->leaf1_ecx = r.ecx;
		raw->leaf1_edx = r.edx;
	}
	raw->max_ext_leaf = cpuid(0x80000000, 0).eax;
	if (raw->max_ext_leaf >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		raw->ext1_ecx = r.ecx;
		raw->ext1_edx = r.edx;
	}
	if (caps_want_vmx_msrs(raw)) {
		raw->feature_control = rdmsr(MSR_FEATURE_CONTROL);
		raw->vmx_basic = rdmsr(MSR_VMX_BASIC);
		raw->vmx_pinbased = rdmsr(MSR_VMX_PINBASED);
		raw->vmx_procbased = rdmsr(MSR_VMX_PROCBASED);
		if (caps_want_procbased2(raw))
			raw->vmx_procbased2 = rdmsr(MSR_VMX_PROCBASED2);
		if (caps_want_ept_vpid(raw))
			raw->vmx_ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	}
	if (caps_want_svm_leaf(raw)) {
		r = cpuid(0x8000000a, 0);
		raw->svm_eax = r.eax;
		raw->svm_ebx = r.ebx;
		raw->svm_edx = r.edx;
		raw->vm_cr = rdmsr(MSR_VM_CR);
	}
}
