/* nvmx_offer: L1's VMX capability MSRs, per personality, from what the host lets nestor emulate. */
#include "nested/vmx/nvmx_offer.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "lib/format.h"
#include "lib/string.h"

/* The "default1" controls of the plain capability MSRs (SDM A.2): always 1 there. */
#define PIN_DEFAULT1 0x00000016u
#define PROC_DEFAULT1 0x0401e172u
#define EXIT_DEFAULT1 0x00036dffu
#define ENTRY_DEFAULT1 0x000011ffu

#define PROC2_RDRAND_EXITING (1u << 11)

/*
 * What nestor's nested VMX carries: for each control, the L2 exits it causes are decided
 * by nvmx_exit.c and the state it names is merged into vmcs02 (nvmx_merge.c). Controls
 * in *_SOFT are emulated without the host having them; the others go to vmcs02 as they
 * are, so the host must allow them too.
 */
#define PIN_EMUL (PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS)
#define PROC_EMUL (PROC_IRQ_WINDOW_EXITING | PROC_TSC_OFFSETTING | PROC_HLT_EXITING | \
		   PROC_INVLPG_EXITING | PROC_MWAIT_EXITING | PROC_RDPMC_EXITING | \
		   PROC_RDTSC_EXITING | PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING | \
		   PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING | PROC_TPR_SHADOW | \
		   PROC_NMI_WINDOW_EXITING | PROC_MOV_DR_EXITING | PROC_UNCOND_IO_EXITING | \
		   PROC_IO_BITMAPS | PROC_MONITOR_TRAP_FLAG | PROC_MSR_BITMAPS | \
		   PROC_MONITOR_EXITING | PROC_PAUSE_EXITING | PROC_SECONDARY)
#define PROC_SOFT (PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_UNCOND_IO_EXITING)
#define PROC2_EMUL (PROC2_EPT | PROC2_DESC_TABLE_EXITING | PROC2_RDTSCP | PROC2_VIRT_X2APIC | \
		    PROC2_VPID | PROC2_WBINVD_EXITING | PROC2_UNRESTRICTED_GUEST | \
		    PROC2_PAUSE_LOOP_EXITING | PROC2_RDRAND_EXITING | PROC2_INVPCID | \
		    PROC2_RDSEED_EXITING)
#define EXIT_EMUL (EXIT_SAVE_DEBUG_CONTROLS | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_ACK_INTR_ON_EXIT | \
		   EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER)
#define EXIT_SOFT (EXIT_ACK_INTR_ON_EXIT)
#define ENTRY_EMUL (ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_IA32E_GUEST | ENTRY_LOAD_PAT | \
		    ENTRY_LOAD_EFER)

/*
 * Per flavor, what it may offer of the above. hyperv: no APIC virtualization beyond TPR
 * shadow (no virtualize x2APIC mode either), no pause-loop exiting. kvm: the controls of
 * KVM 6.1's nested_vmx_setup_ctls_msrs (no PLE; RDRAND/RDSEED exiting and virtualize x2APIC
 * mode yes); what KVM offers and nestor does not emulate (preemption timer, posted
 * interrupts, APIC-access page, APIC-register virtualization, VMCS shadowing, PML,
 * VM functions) is left out and listed in docs/nested-vmx.md.
 */
#define PROC2_HYPERV (PROC2_EPT | PROC2_DESC_TABLE_EXITING | PROC2_RDTSCP | PROC2_VPID | \
		      PROC2_WBINVD_EXITING | PROC2_UNRESTRICTED_GUEST | PROC2_INVPCID | \
		      PROC2_RDRAND_EXITING | PROC2_RDSEED_EXITING)
#define PROC2_KVM (PROC2_HYPERV | PROC2_VIRT_X2APIC)

/* EPT and VPID capabilities shadow EPT and INVVPID emulation carry (A.10). */
#define EPT_CAP_EXEC_ONLY (1ull << 0)
#define EPT_CAP_1G (1ull << 17)
#define VPID_CAP_INDIVIDUAL (1ull << 40)
#define VPID_CAP_SINGLE_GLOBALS (1ull << 43)
#define VPID_CAPS (VPID_CAP_INVVPID | VPID_CAP_INDIVIDUAL | VPID_CAP_INVVPID_SINGLE | \
		   VPID_CAP_INVVPID_ALL | VPID_CAP_SINGLE_GLOBALS)

#define BASIC_INOUT (1ull << 54)
#define VMCS12_SIZE 4096ull

static uint64_t ctl(uint32_t must1, uint32_t may1)
{
	return (uint64_t)(may1 | must1) << 32 | must1;
}

/* A control word's may-be-1 bits: the host's where it must carry it, nestor's own else. */
static uint32_t may1(uint64_t host, uint32_t emul, uint32_t soft, uint32_t flavor)
{
	return ((VMX_CTL_MAY1(host) & emul) | soft) & flavor;
}

static bool refuse(char *why, size_t len, const char *what)
{
	fmt_snprintf(why, len, "nested VMX: the host CPU lacks %s", what);
	return false;
}

static bool host_ok(const struct nvmx_host *h, char *why, size_t len)
{
	const struct vmx_cap_msrs *m = &h->msrs;

	if (!(m->basic & VMX_BASIC_TRUE_CTLS))
		return refuse(why, len, "the TRUE control MSRs (IA32_VMX_BASIC[55])");
	if (!(VMX_CTL_MAY1(m->proc) & PROC_SECONDARY) || !(VMX_CTL_MAY1(m->proc2) & PROC2_EPT))
		return refuse(why, len, "EPT (vmcs02 always runs on nestor's EPT)");
	if ((VMX_CTL_MAY1(m->true_exit) & (EXIT_SAVE_EFER | EXIT_LOAD_EFER)) !=
	    (EXIT_SAVE_EFER | EXIT_LOAD_EFER) ||
	    !(VMX_CTL_MAY1(m->true_entry) & ENTRY_LOAD_EFER))
		return refuse(why, len, "the save/load IA32_EFER controls");
	return true;
}

static void offer_controls(const struct nvmx_host *h, enum nvmx_flavor f, bool ept,
			   struct vmx_cap_msrs *m)
{
	const struct vmx_cap_msrs *hm = &h->msrs;
	uint32_t proc2_flavor = f == NVMX_FLAVOR_HYPERV ? PROC2_HYPERV :
				f == NVMX_FLAVOR_KVM ? PROC2_KVM : PROC2_EMUL;
	uint32_t pin = may1(hm->true_pin, PIN_EMUL, 0, PIN_EMUL);
	uint32_t proc = may1(hm->true_proc, PROC_EMUL, PROC_SOFT, PROC_EMUL);
	uint32_t proc2 = may1(hm->proc2, PROC2_EMUL, 0, proc2_flavor);
	uint32_t exit = may1(hm->true_exit, EXIT_EMUL, EXIT_SOFT, EXIT_EMUL);
	uint32_t entry = may1(hm->true_entry, ENTRY_EMUL, 0, ENTRY_EMUL);

	if (!ept)
		proc2 &= ~(PROC2_EPT | PROC2_UNRESTRICTED_GUEST);
	/* Virtualize x2APIC mode needs TPR shadow (26.2.1.1); KVM drops it without. */
	if (!(proc & PROC_TPR_SHADOW))
		proc2 &= ~PROC2_VIRT_X2APIC;
	/* The plain MSRs force the default1 class; the TRUE ones let L1 clear what the host
	 * lets nestor clear (CR3 exiting, debug controls): A.2. */
	m->pin = ctl(PIN_DEFAULT1, pin);
	m->true_pin = ctl(PIN_DEFAULT1 & VMX_CTL_MUST1(hm->true_pin), pin);
	m->proc = ctl(PROC_DEFAULT1, proc);
	m->true_proc = ctl(PROC_DEFAULT1 & VMX_CTL_MUST1(hm->true_proc), proc);
	m->proc2 = ctl(0, proc2);
	m->exit = ctl(EXIT_DEFAULT1, exit);
	m->true_exit = ctl(EXIT_DEFAULT1 & ~EXIT_SAVE_DEBUG_CONTROLS, exit);
	m->entry = ctl(ENTRY_DEFAULT1, entry);
	m->true_entry = ctl(ENTRY_DEFAULT1 & ~ENTRY_LOAD_DEBUG_CONTROLS, entry);
}

static uint64_t offer_misc(const struct nvmx_host *h, enum nvmx_flavor f)
{
	uint64_t hm = h->msrs.misc, m;
	unsigned targets = VMX_MISC_CR3_TARGETS(hm) < 4 ? VMX_MISC_CR3_TARGETS(hm) : 4;

	/* LMA stored on exit and zero-length injection as the host; HLT activity only (no
	 * shutdown or wait-for-SIPI for L2); up to 4 CR3 targets (vmcs12 has 4); 512 MSRs per
	 * list; no preemption timer (rate 0). KVM's offer has no CR3 targets and lets
	 * VMWRITE write exit-information fields. */
	m = (hm & (VMX_MISC_EXIT_STORES_LMA | VMX_MISC_ZERO_LEN_INJECTION)) | VMX_MISC_ACTIVITY_HLT;
	if (f == NVMX_FLAVOR_KVM)
		m |= VMX_MISC_VMWRITE_ANY;
	else
		m |= (uint64_t)targets << 16;
	if (f == NVMX_FLAVOR_NATIVE)
		m |= hm & VMX_MISC_VMWRITE_ANY;
	return m;
}

static uint64_t offer_ept_vpid(const struct nvmx_host *h, enum nvmx_flavor f, uint32_t proc2)
{
	uint64_t he = h->msrs.ept_vpid, e = 0;

	if (proc2 & PROC2_EPT) {
		/* Shadow EPT walks L1's tables itself: 4-level, 2 MiB and 1 GiB leaves, every
		 * INVEPT type. Execute-only needs the host's (shadow leaves keep L1's rights).
		 * No accessed/dirty flags. KVM offers WB only; the others the host's UC too. */
		e = EPT_CAP_4LEVEL | EPT_CAP_WB | EPT_CAP_2M | EPT_CAP_1G | EPT_CAP_INVEPT |
		    EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL | (he & EPT_CAP_EXEC_ONLY);
		if (f != NVMX_FLAVOR_KVM)
			e |= he & EPT_CAP_UC;
	}
	if (proc2 & PROC2_VPID)
		e |= VPID_CAPS;
	return e;
}

bool nvmx_offer(const struct nvmx_host *h, enum nvmx_flavor f, const struct nvmx_offer_opts *o,
		struct nvmx_caps *out, char *why, size_t len)
{
	struct vmx_cap_msrs *m = &out->msrs;

	memset(out, 0, sizeof(*out));
	if (f == NVMX_FLAVOR_NONE)
		return true;
	if (!host_ok(h, why, len))
		return false;
	offer_controls(h, f, !(o && o->no_ept), m);
	/* VPID needs the host's (vmcs02 runs L2 under a VPID of nestor's, 26.2.1.1). */
	if (!(VMX_CTL_MAY1(h->msrs.proc2) & PROC2_VPID) ||
	    !(h->msrs.ept_vpid & VPID_CAP_INVVPID))
		m->proc2 &= ~((uint64_t)PROC2_VPID << 32);
	m->basic = VMCS12_REVISION | VMX_BASIC_TRUE_CTLS | (VMCS12_SIZE << 32) |
		   ((uint64_t)VMX_MEMTYPE_WB << 50) | (h->msrs.basic & (BASIC_INOUT |
									VMX_BASIC_NO_HW_ERRCODE));
	m->misc = offer_misc(h, f);
	/* CR0: PE, NE, PG fixed in VMX operation as on the host (unrestricted guest relaxes
	 * PE/PG for L2, 26.3.1.1). CR4: VMXE fixed; only bits L1's CPUID offers may be 1. */
	m->cr0_fixed0 = h->msrs.cr0_fixed0;
	m->cr0_fixed1 = h->msrs.cr0_fixed1;
	m->cr4_fixed0 = h->msrs.cr4_fixed0;
	m->cr4_fixed1 = h->msrs.cr4_fixed1 & (h->cr4_allowed | h->msrs.cr4_fixed0);
	m->ept_vpid = offer_ept_vpid(h, f, VMX_CTL_MAY1(m->proc2));
	m->vmfunc = 0;
	out->maxphyaddr = h->maxphyaddr;
	out->linear_bits = h->linear_bits;
	out->efer_valid = h->efer_valid;
	out->debugctl_valid = 0;	/* L1's WRMSR of IA32_DEBUGCTL is #GP (not modelled) */
	out->perf_global_ctrl_valid = 0;	/* no PMU */
	out->mpx = h->mpx;
	out->rtm = h->rtm;
	out->sgx = h->sgx;
	return true;
}

enum nvmx_mode nvmx_flavor_mode(enum nvmx_flavor f)
{
	return f == NVMX_FLAVOR_KVM ? NVMX_MODE_KVM : NVMX_MODE_ALL;
}

const char *nvmx_flavor_name(enum nvmx_flavor f)
{
	static const char *const names[] = { "none", "native", "kvm", "hyperv" };
	return (unsigned)f < 4 ? names[f] : "?";
}

/* IA32_VMX_VMCS_ENUM (A.9): bits 9:1 the highest index of any field vmcs12 has. */
static uint64_t vmcs_enum(void)
{
	unsigned top = 0;

	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		unsigned index = (vmcs12_fields[i].encoding >> 1) & 0x1ff;
		if (index > top)
			top = index;
	}
	return (uint64_t)top << 1;
}

bool nvmx_caps_msr(const struct nvmx_caps *c, uint32_t msr, uint64_t *value)
{
	const struct vmx_cap_msrs *m = &c->msrs;
	bool secondary = VMX_CTL_MAY1(m->proc) & PROC_SECONDARY;
	bool ept_vpid = secondary && (VMX_CTL_MAY1(m->proc2) & (PROC2_EPT | PROC2_VPID));
	bool true_ctls = m->basic & VMX_BASIC_TRUE_CTLS;

	if (!m->basic)
		return false;
	switch (msr) {
	case 0x480: *value = m->basic; return true;
	case 0x481: *value = m->pin; return true;
	case 0x482: *value = m->proc; return true;
	case 0x483: *value = m->exit; return true;
	case 0x484: *value = m->entry; return true;
	case 0x485: *value = m->misc; return true;
	case 0x486: *value = m->cr0_fixed0; return true;
	case 0x487: *value = m->cr0_fixed1; return true;
	case 0x488: *value = m->cr4_fixed0; return true;
	case 0x489: *value = m->cr4_fixed1; return true;
	case 0x48a: *value = vmcs_enum(); return true;
	case 0x48b: *value = m->proc2; return secondary;
	case 0x48c: *value = m->ept_vpid; return ept_vpid;
	case 0x48d: *value = m->true_pin; return true_ctls;
	case 0x48e: *value = m->true_proc; return true_ctls;
	case 0x48f: *value = m->true_exit; return true_ctls;
	case 0x490: *value = m->true_entry; return true_ctls;
	case 0x491: *value = m->vmfunc; return secondary && (VMX_CTL_MAY1(m->proc2) & PROC2_VMFUNC);
	default: return false;
	}
}

bool nvmx_feature_control_write(uint64_t *fc, uint64_t value)
{
	if ((*fc & FEATURE_CONTROL_LOCKED) ||
	    (value & ~(FEATURE_CONTROL_LOCKED | FEATURE_CONTROL_VMX_INSIDE_SMX |
		       FEATURE_CONTROL_VMX_OUTSIDE_SMX)))
		return false;
	*fc = value;
	return true;
}
