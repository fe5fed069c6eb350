/* personality: the four personalities, each one table (docs/personalities.md lists them). */
#include "vm/personality.h"

#include "vm/cpuid_cpu_rows.h"

#define ROWS(t) (t), (unsigned)(sizeof(t) / sizeof((t)[0]))

/*
 * IA32_MISC_ENABLE after RESET: fast strings on; BTS and PEBS unavailable and no
 * performance monitoring (bit 7 clear), as there is no PMU (SDM Vol. 4, Table 2-2).
 * It is what KVM with its PMU off shows a guest under QEMU.
 */
#define MISC_ENABLE_RESET 0x1801ull

#define HIDDEN_VIRT { PERSONALITY_FEATURE_CONTROL_LOCKED_OFF, \
		      PERSONALITY_VM_CR_SVMDIS_LOCKED, false, false }
/* Nested SVM and VMX offered, each on its own vendor's backend (native, kvm); VM_CR and
 * FEATURE_CONTROL are then the vCPU's own. */
#define SVM_VMX_VIRT { PERSONALITY_FEATURE_CONTROL_LOCKED_OFF, \
		       PERSONALITY_VM_CR_SVMDIS_LOCKED, true, true }
/* Hyper-V: nested VMX only (TPR shadow without APICv, every check in software). */
#define VMX_VIRT { PERSONALITY_FEATURE_CONTROL_LOCKED_OFF, \
		   PERSONALITY_VM_CR_SVMDIS_LOCKED, false, true }

/* none: a plain guest of nestor, which says so ("nestornestor") and offers nothing more. */
static const struct cpuid_rule none_cpuid[] = {
	NESTOR_CPU_ROWS,
	HYPERVISOR_PRESENT_ROW,
	{ 0x40000000, CPUID_ANY_SUBLEAF, NONE,
	  REGS(0x40000001, SIG4('n', 'e', 's', 't'), SIG4('o', 'r', 'n', 'e'),
	       SIG4('s', 't', 'o', 'r')), CPUID_FIX_NONE,
	  "signature \"nestornestor\", highest leaf 40000001h" },
	{ 0x40000001, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "features: none" },
};

/* native: a bare CPU. No hypervisor bit, no hypervisor leaves (they read as out of range). */
static const struct cpuid_rule native_cpuid[] = {
	NESTOR_CPU_ROWS,
};

/*
 * kvm: KVM's guest interface (Documentation/virt/kvm/x86/cpuid.rst): the signature leaf and
 * a features leaf offering only what nestor implements, KVM_FEATURE_PV_SEND_IPI (bit 11,
 * vm/hypercall.c). No kvmclock, async PF, steal time, PV EOI or PV unhalt: their MSRs #GP.
 */
#define KVM_FEATURE_PV_SEND_IPI B(11)
static const struct cpuid_rule kvm_cpuid[] = {
	NESTOR_CPU_ROWS,
	HYPERVISOR_PRESENT_ROW,
	{ 0x40000000, CPUID_ANY_SUBLEAF, NONE,
	  REGS(0x40000001, SIG4('K', 'V', 'M', 'K'), SIG4('V', 'M', 'K', 'V'),
	       SIG4('M', 0, 0, 0)), CPUID_FIX_NONE,
	  "signature \"KVMKVMKVM\\0\\0\\0\", highest leaf 40000001h" },
	{ 0x40000001, CPUID_ANY_SUBLEAF, NONE, REGS(KVM_FEATURE_PV_SEND_IPI, 0, 0, 0),
	  CPUID_FIX_NONE, "features: PV_SEND_IPI (EAX[11]) only; no hints (EDX)" },
};

/*
 * hyperv: the "Microsoft Hv" leaves of the Hypervisor TLFS with no partition privilege
 * (so no synthetic MSR and no hypercall page) and no enlightenment recommended:
 * 40000004h.EAX[14] (enlightened VMCS) and 4000000Ah (nested optimizations: EAX[18]
 * guest-mapping flush, the eVMCS version) stay 0, so an L1 KVM uses plain VMREAD/VMWRITE
 * (../shared/docs/nested-facts.md).
 */
static const struct cpuid_rule hyperv_cpuid[] = {
	NESTOR_CPU_ROWS,
	HYPERVISOR_PRESENT_ROW,
	{ 0x40000000, CPUID_ANY_SUBLEAF, NONE,
	  REGS(0x4000000a, SIG4('M', 'i', 'c', 'r'), SIG4('o', 's', 'o', 'f'),
	       SIG4('t', ' ', 'H', 'v')), CPUID_FIX_NONE,
	  "signature \"Microsoft Hv\", highest leaf 4000000Ah" },
	{ 0x40000001, CPUID_ANY_SUBLEAF, NONE, REGS(SIG4('H', 'v', '#', '1'), 0, 0, 0),
	  CPUID_FIX_NONE, "interface \"Hv#1\"" },
	{ 0x40000002, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "version: 0" },
	{ 0x40000003, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE,
	  "features: no privilege (no synthetic MSRs, no hypercall page)" },
	{ 0x40000004, CPUID_ANY_SUBLEAF, NONE, REGS(0, ALL, 0, 0), CPUID_FIX_NONE,
	  "recommendations: none (EAX[14] eVMCS clear); spinlock retries: never notify" },
	{ 0x40000005, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "limits: not given" },
	{ 0x40000006, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "hardware features: none" },
	{ 0x40000007, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "CPU management: none" },
	{ 0x40000008, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "shared virtual memory: none" },
	{ 0x40000009, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE, "nested features: none" },
	{ 0x4000000a, CPUID_ANY_SUBLEAF, NONE, NONE, CPUID_FIX_NONE,
	  "nested optimizations: none (EAX[18] clear, no eVMCS version)" },
};

static const struct personality personalities[PERSONALITY_COUNT] = {
	[PERSONALITY_NONE] = { PERSONALITY_NONE, "none",
			       "a plain guest of nestor: no VMX or SVM, nestor's own signature",
			       ROWS(none_cpuid), MISC_ENABLE_RESET, HYPERCALL_NONE, HIDDEN_VIRT },
	[PERSONALITY_NATIVE] = { PERSONALITY_NATIVE, "native",
				 "a bare CPU: no hypervisor bit, no hypervisor leaves",
				 ROWS(native_cpuid), MISC_ENABLE_RESET, HYPERCALL_NONE,
				 SVM_VMX_VIRT },
	[PERSONALITY_KVM] = { PERSONALITY_KVM, "kvm",
			      "KVM's guest interface: KVMKVMKVM leaves, KVM's hypercalls",
			      ROWS(kvm_cpuid), MISC_ENABLE_RESET, HYPERCALL_KVM, SVM_VMX_VIRT },
	[PERSONALITY_HYPERV] = { PERSONALITY_HYPERV, "hyperv",
				 "Hyper-V's leaves with no enlightenment recommended",
				 ROWS(hyperv_cpuid), MISC_ENABLE_RESET, HYPERCALL_NONE,
				 VMX_VIRT },
};

const struct personality *personality_get(enum personality_id id)
{
	if ((unsigned)id >= PERSONALITY_COUNT)
		return NULL;
	return &personalities[id];
}
