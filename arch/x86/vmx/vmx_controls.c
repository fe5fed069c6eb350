/* vmx_controls: the VMX controls and fixed bits nestor uses, derived from the capability MSRs. */
#include "arch/x86/vmx/vmx_controls.h"

#include "arch/x86/regs.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "lib/format.h"
#include "lib/string.h"

#define BIT(n) (1ull << (n))

struct ctl_name {
	uint32_t bit;
	const char *name;
};

/*
 * What nestor asks of one control field: `want` must be allowed; `dynamic` bits are
 * set per entry (windows, IA-32e mode) so they must be allowed but never forced;
 * `optional` bits are used when allowed; `avoid` bits must not be forced to 1.
 */
struct ctl_request {
	const char *field;		/* for messages */
	const char *msr;
	uint32_t want, dynamic, optional, avoid;
	const struct ctl_name *names;
};

static const struct ctl_name pin_names[] = {
	{ PIN_EXTINT_EXITING, "external-interrupt exiting" },
	{ PIN_NMI_EXITING, "NMI exiting" },
	{ PIN_VIRTUAL_NMIS, "virtual NMIs" },
	{ PIN_PREEMPTION_TIMER, "VMX-preemption timer" },
	{ PIN_POSTED_INTERRUPTS, "process posted interrupts" },
	{ 0, 0 },
};

static const struct ctl_name proc_names[] = {
	{ PROC_IRQ_WINDOW_EXITING, "interrupt-window exiting" },
	{ PROC_TSC_OFFSETTING, "use TSC offsetting" },
	{ PROC_HLT_EXITING, "HLT exiting" },
	{ PROC_INVLPG_EXITING, "INVLPG exiting" },
	{ PROC_MWAIT_EXITING, "MWAIT exiting" },
	{ PROC_RDPMC_EXITING, "RDPMC exiting" },
	{ PROC_RDTSC_EXITING, "RDTSC exiting" },
	{ PROC_CR3_LOAD_EXITING, "CR3-load exiting" },
	{ PROC_CR3_STORE_EXITING, "CR3-store exiting" },
	{ PROC_CR8_LOAD_EXITING, "CR8-load exiting" },
	{ PROC_CR8_STORE_EXITING, "CR8-store exiting" },
	{ PROC_TPR_SHADOW, "use TPR shadow" },
	{ PROC_NMI_WINDOW_EXITING, "NMI-window exiting" },
	{ PROC_MOV_DR_EXITING, "MOV-DR exiting" },
	{ PROC_IO_BITMAPS, "use I/O bitmaps" },
	{ PROC_MONITOR_TRAP_FLAG, "monitor trap flag" },
	{ PROC_MSR_BITMAPS, "use MSR bitmaps" },
	{ PROC_MONITOR_EXITING, "MONITOR exiting" },
	{ PROC_PAUSE_EXITING, "PAUSE exiting" },
	{ PROC_SECONDARY, "activate secondary controls" },
	{ 0, 0 },
};

static const struct ctl_name proc2_names[] = {
	{ PROC2_VIRT_APIC_ACCESSES, "virtualize APIC accesses" },
	{ PROC2_EPT, "enable EPT" },
	{ PROC2_DESC_TABLE_EXITING, "descriptor-table exiting" },
	{ PROC2_RDTSCP, "enable RDTSCP" },
	{ PROC2_VIRT_X2APIC, "virtualize x2APIC mode" },
	{ PROC2_VPID, "enable VPID" },
	{ PROC2_WBINVD_EXITING, "WBINVD exiting" },
	{ PROC2_UNRESTRICTED_GUEST, "unrestricted guest" },
	{ PROC2_APIC_REG_VIRT, "APIC-register virtualization" },
	{ PROC2_VIRT_INTR_DELIVERY, "virtual-interrupt delivery" },
	{ PROC2_PAUSE_LOOP_EXITING, "PAUSE-loop exiting" },
	{ PROC2_INVPCID, "enable INVPCID" },
	{ PROC2_VMFUNC, "enable VM functions" },
	{ PROC2_VMCS_SHADOWING, "VMCS shadowing" },
	{ PROC2_XSAVES, "enable XSAVES/XRSTORS" },
	{ 0, 0 },
};

static const struct ctl_name exit_names[] = {
	{ EXIT_SAVE_DEBUG_CONTROLS, "save debug controls" },
	{ EXIT_HOST_ADDR_SPACE_SIZE, "host address-space size" },
	{ EXIT_ACK_INTR_ON_EXIT, "acknowledge interrupt on exit" },
	{ EXIT_SAVE_PAT, "save IA32_PAT" },
	{ EXIT_LOAD_PAT, "load IA32_PAT" },
	{ EXIT_SAVE_EFER, "save IA32_EFER" },
	{ EXIT_LOAD_EFER, "load IA32_EFER" },
	{ EXIT_SAVE_PREEMPTION_TIMER, "save VMX-preemption timer value" },
	{ 0, 0 },
};

static const struct ctl_name entry_names[] = {
	{ ENTRY_LOAD_DEBUG_CONTROLS, "load debug controls" },
	{ ENTRY_IA32E_GUEST, "IA-32e mode guest" },
	{ ENTRY_TO_SMM, "entry to SMM" },
	{ ENTRY_DEACTIVATE_DUAL_MONITOR, "deactivate dual-monitor treatment" },
	{ ENTRY_LOAD_PAT, "load IA32_PAT" },
	{ ENTRY_LOAD_EFER, "load IA32_EFER" },
	{ 0, 0 },
};

static const char *ctl_bit_name(const struct ctl_name *names, uint32_t bits)
{
	for (const struct ctl_name *n = names; n->name; n++)
		if (bits & n->bit)
			return n->name;
	return "(unnamed)";
}

static unsigned lowest_bit(uint32_t bits)
{
	unsigned i = 0;
	while (i < 31 && !(bits & (1u << i)))
		i++;
	return i;
}

/*
 * SDM A.3-A.5: bits 31:0 of a control MSR are the allowed-0 settings (a 1 there means
 * the control must be 1), bits 63:32 the allowed-1 settings (a 0 means it must be 0).
 */
static bool ctl_compute(const struct ctl_request *r, uint64_t msr, uint32_t *out, char *why,
			size_t len)
{
	uint32_t must1 = (uint32_t)msr, may1 = (uint32_t)(msr >> 32);
	uint32_t missing = (r->want | r->dynamic) & ~may1;
	uint32_t forced = must1 & (r->avoid | r->dynamic);

	if (missing) {
		fmt_snprintf(why, len, "VMX control '%s' (%s bit %u) not allowed by %s",
			     ctl_bit_name(r->names, missing), r->field, lowest_bit(missing), r->msr);
		return false;
	}
	if (forced) {
		fmt_snprintf(why, len, "VMX control '%s' (%s bit %u) forced to 1 by %s",
			     ctl_bit_name(r->names, forced), r->field,
			     lowest_bit(forced), r->msr);
		return false;
	}
	*out = must1 | r->want | (r->optional & may1);
	return true;
}

static bool vmx_basic_ok(uint64_t basic, char *why, size_t len)
{
	/* SDM A.1: nestor's pages may be anywhere, and it maps them write-back. */
	if (basic & VMX_BASIC_32BIT_ADDRESSES) {
		fmt_snprintf(why, len, "IA32_VMX_BASIC[48]: VMX structures limited to 32-bit "
			     "addresses");
		return false;
	}
	if (VMX_BASIC_MEMTYPE(basic) != VMX_MEMTYPE_WB) {
		fmt_snprintf(why, len, "IA32_VMX_BASIC[53:50] = %u: VMCS memory type is not "
			     "write-back", (unsigned)VMX_BASIC_MEMTYPE(basic));
		return false;
	}
	return true;
}

/*
 * EPT as nestor builds it (arch/x86/pagetable.c): 4-level walks, write-back leaves and
 * 2 MiB pages; INVEPT to drop what a fresh VMXON may have cached (SDM 28.3.3).
 */
static bool vmx_ept_ok(uint64_t cap, struct vmx_config *c, char *why, size_t len)
{
	static const struct { uint64_t bit; const char *what; } need[] = {
		{ EPT_CAP_4LEVEL, "4-level EPT walks (EPT_VPID_CAP[6])" },
		{ EPT_CAP_WB, "write-back EPT structures (EPT_VPID_CAP[14])" },
		{ EPT_CAP_2M, "2 MiB EPT pages (EPT_VPID_CAP[16])" },
		{ EPT_CAP_INVEPT, "INVEPT (EPT_VPID_CAP[20])" },
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!(cap & need[i].bit)) {
			fmt_snprintf(why, len, "EPT without %s", need[i].what);
			return false;
		}
	}
	if (!(cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL))) {
		fmt_snprintf(why, len, "INVEPT offers neither single- nor all-context");
		return false;
	}
	c->invept_single = cap & EPT_CAP_INVEPT_SINGLE;
	/* VPID is a speed-up only: used when INVVPID can flush what it tags. */
	c->vpid = (c->proc2 & PROC2_VPID) && (cap & VPID_CAP_INVVPID) &&
		  (cap & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL));
	c->invvpid_single = cap & VPID_CAP_INVVPID_SINGLE;
	if (!c->vpid)
		c->proc2 &= ~PROC2_VPID;
	return true;
}

/*
 * Guest CR0/CR4 (SDM 26.3.1.1 and A.7/A.8): the fixed-1 bits are forced in the real
 * register and hidden behind the read shadow, except CR0.PE and CR0.PG, which
 * unrestricted guest lets the guest clear. Every CR0 bit the guest cannot own (fixed
 * either way) is in the guest/host mask, so a write that changes it exits to nestor; the
 * other CR0 bits the CPU checks itself. Every CR4 bit is in the mask: which CR4 bits the
 * guest may set follows its CPUID, not the CPU's, so nestor checks each write
 * (vm/exit_cr.c) and the guest reads CR4 from the shadow.
 */
static void vmx_guest_cr_masks(struct vmx_config *c)
{
	c->guest_cr0_set = c->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
	c->cr0_mask = c->guest_cr0_set | ~c->cr0_fixed1;
	c->guest_cr4_set = c->cr4_fixed0;
	c->cr4_forbidden = (~c->cr4_fixed1 & ~c->cr4_fixed0) | X86_CR4_VMXE | X86_CR4_SMXE;
	c->cr4_mask = ~0ull;
}

bool vmx_config_compute(const struct vmx_cap_msrs *m, struct vmx_config *c, char *why,
			size_t len)
{
	bool true_ctls = m->basic & VMX_BASIC_TRUE_CTLS;
	const struct ctl_request pin = {
		"pin-based", true_ctls ? "IA32_VMX_TRUE_PINBASED_CTLS" : "IA32_VMX_PINBASED_CTLS",
		PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, 0, 0,
		PIN_PREEMPTION_TIMER | PIN_POSTED_INTERRUPTS, pin_names,
	};
	const struct ctl_request proc = {
		"primary",
		true_ctls ? "IA32_VMX_TRUE_PROCBASED_CTLS" : "IA32_VMX_PROCBASED_CTLS",
		PROC_TSC_OFFSETTING | PROC_HLT_EXITING | PROC_MWAIT_EXITING | PROC_RDPMC_EXITING |
			PROC_TPR_SHADOW | PROC_IO_BITMAPS | PROC_MSR_BITMAPS |
			PROC_MONITOR_EXITING | PROC_SECONDARY,
		PROC_IRQ_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING, 0,
		PROC_INVLPG_EXITING | PROC_RDTSC_EXITING | PROC_CR3_LOAD_EXITING |
			PROC_CR3_STORE_EXITING | PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING |
			PROC_MOV_DR_EXITING | PROC_MONITOR_TRAP_FLAG | PROC_PAUSE_EXITING,
		proc_names,
	};
	const struct ctl_request proc2 = {
		"secondary", "IA32_VMX_PROCBASED_CTLS2",
		PROC2_EPT | PROC2_UNRESTRICTED_GUEST, 0,
		PROC2_VPID | PROC2_RDTSCP | PROC2_INVPCID,
		/* XSAVES off: CPUID hides it, as nestor does not model IA32_XSS (vcpu_cpuid.c). */
		PROC2_XSAVES | PROC2_VIRT_APIC_ACCESSES | PROC2_DESC_TABLE_EXITING | PROC2_VIRT_X2APIC |
			PROC2_WBINVD_EXITING | PROC2_APIC_REG_VIRT | PROC2_VIRT_INTR_DELIVERY |
			PROC2_PAUSE_LOOP_EXITING | PROC2_VMFUNC | PROC2_VMCS_SHADOWING,
		proc2_names,
	};
	const struct ctl_request exit = {
		"VM-exit", true_ctls ? "IA32_VMX_TRUE_EXIT_CTLS" : "IA32_VMX_EXIT_CTLS",
		EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_DEBUG_CONTROLS | EXIT_SAVE_PAT |
			EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER, 0, 0,
		EXIT_ACK_INTR_ON_EXIT | EXIT_SAVE_PREEMPTION_TIMER, exit_names,
	};
	const struct ctl_request entry = {
		"VM-entry", true_ctls ? "IA32_VMX_TRUE_ENTRY_CTLS" : "IA32_VMX_ENTRY_CTLS",
		ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_LOAD_PAT | ENTRY_LOAD_EFER, ENTRY_IA32E_GUEST, 0,
		ENTRY_TO_SMM | ENTRY_DEACTIVATE_DUAL_MONITOR, entry_names,
	};

	memset(c, 0, sizeof(*c));
	if (!vmx_basic_ok(m->basic, why, len))
		return false;
	/* SDM A.6: guests switch paging modes without exits; nestor learns EFER.LMA from the
	 * "IA-32e mode guest" entry control the exit wrote back. */
	if (!(m->misc & VMX_MISC_EXIT_STORES_LMA)) {
		fmt_snprintf(why, len, "IA32_VMX_MISC[5] clear: VM exits do not store EFER.LMA");
		return false;
	}
	if (!((m->proc2 >> 32) & PROC2_UNRESTRICTED_GUEST)) {
		fmt_snprintf(why, len, "no unrestricted guest (PROCBASED_CTLS2[39]), needed for "
			     "real-mode SIPI starts and paging-off loaders");
		return false;
	}
	c->revision = (uint32_t)(m->basic & 0x7fffffff);
	if (!ctl_compute(&pin, true_ctls ? m->true_pin : m->pin, &c->pin, why, len) ||
	    !ctl_compute(&proc, true_ctls ? m->true_proc : m->proc, &c->proc, why, len) ||
	    !ctl_compute(&proc2, m->proc2, &c->proc2, why, len) ||
	    !ctl_compute(&exit, true_ctls ? m->true_exit : m->exit, &c->exit, why, len) ||
	    !ctl_compute(&entry, true_ctls ? m->true_entry : m->entry, &c->entry, why, len))
		return false;
	if (!vmx_ept_ok(m->ept_vpid, c, why, len))
		return false;
	c->cr0_fixed0 = m->cr0_fixed0;
	c->cr0_fixed1 = m->cr0_fixed1;
	c->cr4_fixed0 = m->cr4_fixed0;
	c->cr4_fixed1 = m->cr4_fixed1;
	vmx_guest_cr_masks(c);
	return true;
}
