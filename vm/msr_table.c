/* msr_table: every MSR a guest has, and who answers it how (vm/vcpu_msr.c carries it out). */
#include "vm/msr_table.h"

#define ALWAYS CPUID_BIT(0, 0, 0, 0)
#define SWITCHED_RW(m, n, needs, doc) \
	{ m, m, n, MSR_KIND_SWITCHED, MSR_PASS_READ | MSR_PASS_WRITE, MSR_ANY_VENDOR, needs, 0, doc }
#define SWITCHED_ADDR(m, n, rule, needs, doc) \
	{ m, m, n, MSR_KIND_SWITCHED, MSR_PASS_READ | (rule), MSR_ANY_VENDOR, needs, 0, doc }
#define MTRR(first, last, n) \
	{ first, last, n, MSR_KIND_MTRR, 0, MSR_ANY_VENDOR, CPUID_MTRR, 0, "kept, types checked" }

/* Sorted by number. SDM Vol. 4 ch. 2 (Intel), APM Vol. 2 Appendix A (AMD). */
const struct msr_desc msr_table[] = {
	{ 0x10, 0x10, "IA32_TIME_STAMP_COUNTER", MSR_KIND_EXIT_PATH, 0, MSR_ANY_VENDOR, CPUID_TSC, 0,
	  "the host's TSC plus the vCPU's offset (VMCB/VMCS)" },
	{ 0x17, 0x17, "IA32_PLATFORM_ID", MSR_KIND_CONST, 0, MSR_INTEL, ALWAYS, 0, "0" },
	{ 0x1b, 0x1b, "IA32_APIC_BASE", MSR_KIND_APIC, 0, MSR_ANY_VENDOR, ALWAYS, 0,
	  "the vLAPIC: base, EN, EXTD, BSP" },
	{ 0x3a, 0x3a, "IA32_FEATURE_CONTROL", MSR_KIND_FEATURE_CONTROL, 0, MSR_INTEL, ALWAYS, 0,
	  "the personality's value (locked); writes #GP" },
	{ 0x8b, 0x8b, "IA32_BIOS_SIGN_ID / PATCH_LEVEL", MSR_KIND_CONST_WI, 0, MSR_ANY_VENDOR,
	  ALWAYS, 0, "0 (no microcode revision); writes ignored" },
	{ 0xc1, 0xc2, "IA32_PMC0-1", MSR_KIND_SINK, 0, MSR_INTEL, ALWAYS, 0,
	  "read 0, writes dropped: KVM's P6 counters with its PMU off" },
	{ 0xfe, 0xfe, "IA32_MTRRCAP", MSR_KIND_CONST, 0, MSR_ANY_VENDOR, CPUID_MTRR, 0x508,
	  "8 variable ranges, fixed ranges, WC" },
	SWITCHED_RW(0x174, "IA32_SYSENTER_CS", CPUID_SEP, "guest state, no exit"),
	SWITCHED_ADDR(0x175, "IA32_SYSENTER_ESP", MSR_CANONICAL_INTEL, CPUID_SEP,
		      "guest state; writes exit: non-canonical #GP on Intel"),
	SWITCHED_ADDR(0x176, "IA32_SYSENTER_EIP", MSR_CANONICAL_INTEL, CPUID_SEP,
		      "guest state; writes exit: non-canonical #GP on Intel"),
	{ 0x179, 0x179, "IA32_MCG_CAP", MSR_KIND_CONST, 0, MSR_ANY_VENDOR, CPUID_MCA, 0,
	  "no banks, no MCG_CTL" },
	{ 0x17a, 0x17a, "IA32_MCG_STATUS", MSR_KIND_CONST_WI, 0, MSR_ANY_VENDOR, CPUID_MCA, 0,
	  "0; writes ignored" },
	{ 0x186, 0x187, "IA32_PERFEVTSEL0-1", MSR_KIND_SINK, 0, MSR_INTEL, ALWAYS, 0,
	  "read 0, writes dropped: KVM's P6 event selects with its PMU off" },
	{ 0x1a0, 0x1a0, "IA32_MISC_ENABLE", MSR_KIND_MISC_ENABLE, 0, MSR_ANY_VENDOR, ALWAYS, 0,
	  "R/W bits 0 3 16 18 22 23 34 kept; 7 11 12 read-only; reserved bits #GP" },
	{ 0x1d9, 0x1d9, "IA32_DEBUGCTL", MSR_KIND_ZERO, 0, MSR_ANY_VENDOR, ALWAYS, 0,
	  "0: no LBR, BTF or the rest; writing anything else #GP (KVM reads it every run)" },
	MTRR(0x200, 0x20f, "IA32_MTRR_PHYSBASE0-PHYSMASK7"),
	MTRR(0x250, 0x250, "IA32_MTRR_FIX64K_00000"),
	MTRR(0x258, 0x259, "IA32_MTRR_FIX16K_80000-A0000"),
	MTRR(0x268, 0x26f, "IA32_MTRR_FIX4K_C0000-F8000"),
	{ 0x277, 0x277, "IA32_PAT", MSR_KIND_EXIT_PATH, 0, MSR_ANY_VENDOR, CPUID_PAT, 0,
	  "guest PAT in the VMCB/VMCS, types checked" },
	MTRR(0x2ff, 0x2ff, "IA32_MTRR_DEF_TYPE"),
	{ 0x6e0, 0x6e0, "IA32_TSC_DEADLINE", MSR_KIND_APIC, 0, MSR_ANY_VENDOR,
	  CPUID_TSC_DEADLINE, 0, "the vLAPIC timer" },
	{ 0x800, 0x8ff, "x2APIC registers", MSR_KIND_APIC, 0, MSR_ANY_VENDOR, CPUID_X2APIC, 0,
	  "the vLAPIC in x2APIC mode" },
	{ 0xc0000080, 0xc0000080, "IA32_EFER", MSR_KIND_EXIT_PATH, 0, MSR_ANY_VENDOR, ALWAYS, 0,
	  "guest EFER in the VMCB/VMCS, bits checked" },
	SWITCHED_RW(0xc0000081, "STAR", CPUID_SYSCALL, "guest state, no exit"),
	SWITCHED_ADDR(0xc0000082, "LSTAR", MSR_CANONICAL, CPUID_LM,
		      "guest state; writes exit: non-canonical #GP"),
	SWITCHED_ADDR(0xc0000083, "CSTAR", MSR_CANONICAL, CPUID_LM,
		      "guest state; writes exit: non-canonical #GP"),
	SWITCHED_RW(0xc0000084, "SFMASK", CPUID_SYSCALL, "guest state, no exit"),
	SWITCHED_ADDR(0xc0000100, "FS_BASE", MSR_CANONICAL, CPUID_LM,
		      "guest state; writes exit: non-canonical #GP"),
	SWITCHED_ADDR(0xc0000101, "GS_BASE", MSR_CANONICAL, CPUID_LM,
		      "guest state; writes exit: non-canonical #GP"),
	SWITCHED_ADDR(0xc0000102, "KERNEL_GS_BASE", MSR_CANONICAL, CPUID_LM,
		      "guest state; writes exit: non-canonical #GP"),
	SWITCHED_RW(0xc0000103, "TSC_AUX", CPUID_RDTSCP, "the guest's in the register, no exit"),
	{ 0xc0010000, 0xc0010003, "PerfEvtSel0-3", MSR_KIND_SINK, 0, MSR_AMD, ALWAYS, 0,
	  "legacy PMU (every AMD CPU since K7): read 0, writes dropped, as KVM with its PMU off" },
	{ 0xc0010004, 0xc0010007, "PerfCtr0-3", MSR_KIND_SINK, 0, MSR_AMD, ALWAYS, 0,
	  "legacy PMU counters: read 0, writes dropped" },
	{ 0xc0010010, 0xc0010010, "SYSCFG", MSR_KIND_CONST, 0, MSR_AMD, ALWAYS, 0, "0" },
	{ 0xc0010015, 0xc0010015, "HWCR", MSR_KIND_CONST_WI, 0, MSR_AMD, ALWAYS, 0,
	  "0; writes ignored" },
	{ 0xc001001f, 0xc001001f, "NB_CFG", MSR_KIND_CONST_WI, 0, MSR_AMD, ALWAYS, 0,
	  "0; writes ignored, as KVM (Linux sets EnableCf8ExtCfg on families 10h-17h)" },
	{ 0xc0010055, 0xc0010055, "INT_PENDING_MSG", MSR_KIND_CONST, 0, MSR_AMD, ALWAYS, 0,
	  "0 (no C1E, no SMI on I/O trap)" },
	{ 0xc0010058, 0xc0010058, "MMIO_CONF_BASE", MSR_KIND_CONST_WI, 0, MSR_AMD, ALWAYS, 0,
	  "0 (no MMCONFIG window); writes ignored, as KVM" },
	{ 0xc0010114, 0xc0010114, "VM_CR", MSR_KIND_VM_CR, 0, MSR_AMD, ALWAYS, 0,
	  "with nested SVM: the vCPU's (SVMDIS, LOCK as APM 15.30.1); else the personality's "
	  "value (locked), writes #GP" },
	{ 0xc0010117, 0xc0010117, "VM_HSAVE_PA", MSR_KIND_VM_HSAVE_PA, 0, MSR_AMD, CPUID_SVM, 0,
	  "kept (4 KiB aligned, within MAXPHYADDR); nestor never writes the page" },
	{ 0xc0011029, 0xc0011029, "DE_CFG", MSR_KIND_STORED, 0, MSR_AMD, ALWAYS, 0,
	  "kept as written" },
	{ 0xc001102a, 0xc001102a, "BU_CFG2", MSR_KIND_CONST_WI, 0, MSR_AMD, ALWAYS, 0,
	  "0; writes ignored, as KVM" },
};
const unsigned msr_table_count = sizeof(msr_table) / sizeof(msr_table[0]);

const struct msr_desc *msr_table_find(uint32_t msr)
{
	for (unsigned i = 0; i < msr_table_count; i++)
		if (msr >= msr_table[i].first && msr <= msr_table[i].last)
			return &msr_table[i];
	return 0;
}

void msr_table_passthrough(void (*allow)(void *bitmap, uint32_t msr, bool read, bool write),
			   void *bitmap)
{
	for (unsigned i = 0; i < msr_table_count; i++) {
		const struct msr_desc *d = &msr_table[i];
		if (!(d->flags & (MSR_PASS_READ | MSR_PASS_WRITE)))
			continue;
		for (uint32_t m = d->first; m <= d->last; m++)
			allow(bitmap, m, d->flags & MSR_PASS_READ, d->flags & MSR_PASS_WRITE);
	}
}
