/* caps: the CPU capabilities nestor cares about, decoded from raw CPUID and MSR values. */
#ifndef NESTOR_ARCH_X86_CAPS_H
#define NESTOR_ARCH_X86_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Raw values exactly as CPUID/RDMSR returned them; kept so tests can replay real CPUs. */
struct cpu_raw {
	uint32_t max_leaf;
	uint32_t max_ext_leaf;
	uint32_t vendor[3];		/* CPUID.0: EBX, EDX, ECX */
	uint32_t leaf1_eax, leaf1_ecx, leaf1_edx;
	uint32_t ext1_ecx, ext1_edx;	/* CPUID.80000001h */
	uint32_t svm_eax, svm_ebx, svm_edx;	/* CPUID.8000000Ah, when SVM is present */
	/* VMX capability MSRs, read only when CPUID.1:ECX.VMX = 1 (SDM Vol. 3D, Appendix A) */
	uint64_t vmx_basic;		/* IA32_VMX_BASIC 0x480 */
	uint64_t vmx_pinbased;		/* IA32_VMX_PINBASED_CTLS 0x481 */
	uint64_t vmx_procbased;		/* IA32_VMX_PROCBASED_CTLS 0x482 */
	uint64_t vmx_procbased2;	/* IA32_VMX_PROCBASED_CTLS2 0x48B (if allowed) */
	uint64_t vmx_ept_vpid;		/* IA32_VMX_EPT_VPID_CAP 0x48C (if EPT or VPID) */
	uint64_t feature_control;	/* IA32_FEATURE_CONTROL 0x3A */
	uint64_t vm_cr;			/* AMD VM_CR 0xC0010114, when SVM is present */
};

enum cpu_vendor { VENDOR_OTHER, VENDOR_INTEL, VENDOR_AMD };

struct vmx_caps {
	bool present;
	bool true_ctls;			/* BASIC[55]: the TRUE_* control MSRs exist */
	uint32_t vmcs_revision;
	bool tpr_shadow;
	bool secondary_ctls;
	bool virt_apic_accesses;
	bool apic_reg_virt;
	bool virt_intr_delivery;
	bool posted_intr;
	bool vmcs_shadowing;
	bool ept;
	bool vpid;
	bool unrestricted_guest;
	bool ept_4level, ept_wb, ept_2m, ept_1g, ept_ad, invept, invvpid;
	bool locked_off;		/* FEATURE_CONTROL locked with VMX outside SMX off */
};

struct svm_caps {
	bool present;
	uint32_t revision;
	uint32_t nasid;
	bool npt, nrips, vmcb_clean, flush_by_asid, decode_assists, pause_filter;
	bool avic, x2avic, vgif, vnmi;
	bool disabled_by_bios;		/* VM_CR.SVMDIS */
};

struct cpu_caps {
	enum cpu_vendor vendor;
	char vendor_name[13];
	unsigned family, model, stepping;
	struct vmx_caps vmx;
	struct svm_caps svm;
};

/* Which raw MSRs the reader must fetch, decided from the CPUID part of *raw alone. */
bool caps_want_vmx_msrs(const struct cpu_raw *raw);
bool caps_want_procbased2(const struct cpu_raw *raw);
bool caps_want_ept_vpid(const struct cpu_raw *raw);
bool caps_want_svm_leaf(const struct cpu_raw *raw);

void caps_decode(const struct cpu_raw *raw, struct cpu_caps *caps);
/* Logs the capability table: one row per feature, the same columns on both vendors. */
void caps_log_table(const struct cpu_caps *caps);
void caps_log_raw(const struct cpu_raw *raw);

/* Reads this CPU (arch/x86/caps_read.c; not in host tests). */
void caps_read_raw(struct cpu_raw *raw);

#endif
