/* nvmx_merge: vmcs02's controls and guest state from vmcs12 and nestor's own settings. */
#include "nested/vmx/nvmx_merge.h"

#include "nested/vmx/nvmx_exit.h"

#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define PROC2_RDRAND_EXITING (1u << 11)

/* Controls whose exits and effects are L1's alone: vmcs02 takes them from vmcs12. */
#define PROC_FROM_L1 (PROC_IRQ_WINDOW_EXITING | PROC_HLT_EXITING | PROC_INVLPG_EXITING | \
		      PROC_RDTSC_EXITING | PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING | \
		      PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING | PROC_TPR_SHADOW | \
		      PROC_NMI_WINDOW_EXITING | PROC_MOV_DR_EXITING | PROC_MONITOR_TRAP_FLAG | \
		      PROC_PAUSE_EXITING)
/* nestor's own: TSC offsetting (L1's offset applies to L2 too), every port and the MSRs
 * through its bitmaps, MONITOR/MWAIT/RDPMC (#UD/#GP: L1's CPUID has none). */
#define PROC_FROM_L0 (PROC_TSC_OFFSETTING | PROC_IO_BITMAPS | PROC_MSR_BITMAPS | \
		      PROC_MWAIT_EXITING | PROC_MONITOR_EXITING | PROC_RDPMC_EXITING | \
		      PROC_SECONDARY)
#define PROC2_FROM_L1 (PROC2_DESC_TABLE_EXITING | PROC2_RDTSCP | PROC2_VIRT_X2APIC | \
		       PROC2_WBINVD_EXITING | PROC2_UNRESTRICTED_GUEST | \
		       PROC2_PAUSE_LOOP_EXITING | PROC2_RDRAND_EXITING | PROC2_INVPCID | \
		       PROC2_RDSEED_EXITING)

static bool ram_page(const struct nvmx_l0 *l0, uint64_t gpa, uint64_t *hpa)
{
	if (gpa & 0xfff || gpa >= l0->ram_size || l0->ram_size - gpa < 4096)
		return false;
	*hpa = l0->ram_hpa + gpa;
	return true;
}

static void merge_controls(const struct vmcs12 *v12, const struct nvmx_l0 *l0, struct vmcs12 *v02)
{
	uint32_t proc = v12->proc_controls;

	/* Physical interrupts and NMIs are nestor's (L1's own arrive as synthesized exits);
	 * virtual NMIs as L1 asked. Acknowledge-on-exit stays 0: nestor takes its interrupts
	 * with IF=1 after the exit, and emulates L1's acknowledgement. */
	v02->pin_controls = l0->pin_must1 | PIN_EXTINT_EXITING | PIN_NMI_EXITING |
			    (v12->pin_controls & PIN_VIRTUAL_NMIS);
	v02->proc_controls = l0->proc_must1 | PROC_FROM_L0 | (proc & PROC_FROM_L1);
	/* Without a TPR shadow, MOV CR8 would reach the physical TPR: intercept it. */
	if (!(proc & PROC_TPR_SHADOW))
		v02->proc_controls |= PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING;
	v02->proc2_controls = l0->proc2_must1 | PROC2_EPT | (nvmx_proc2(v12) & PROC2_FROM_L1) |
			      (l0->vpid ? PROC2_VPID : 0);
	/* Save everything reflection needs; load what vmcs02's guest fields hold. */
	v02->exit_controls = l0->exit_must1 | EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_DEBUG_CONTROLS |
			     EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER;
	v02->entry_controls = l0->entry_must1 | ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_LOAD_PAT |
			      ENTRY_LOAD_EFER | (v12->entry_controls & ENTRY_IA32E_GUEST);
	/* L1's exceptions, and nestor's #DB and #AC always (vmx_vmcs.c): an L2 could otherwise
	 * hold the physical CPU in a benign-exception delivery loop (CVE-2015-8104,
	 * CVE-2015-5307). The ones L1 does not want are given back into L2
	 * (vmx_nested_exit.c). Bit 14 (#PF) and its mask and match stay L1's alone. */
	v02->exception_bitmap = v12->exception_bitmap | NVMX_L0_EXCEPTIONS;
	v02->pf_error_mask = v12->pf_error_mask;
	v02->pf_error_match = v12->pf_error_match;
	v02->cr0_mask = v12->cr0_mask;
	v02->cr4_mask = v12->cr4_mask;
	v02->cr0_shadow = v12->cr0_shadow;
	v02->cr4_shadow = v12->cr4_shadow;
	v02->cr3_target_count = v12->cr3_target_count;
	v02->cr3_target0 = v12->cr3_target0;
	v02->cr3_target1 = v12->cr3_target1;
	v02->cr3_target2 = v12->cr3_target2;
	v02->cr3_target3 = v12->cr3_target3;
	v02->io_bitmap_a = l0->io_bitmap_a;
	v02->io_bitmap_b = l0->io_bitmap_b;
	v02->msr_bitmap = l0->msr_bitmap;
	v02->tsc_offset = l0->tsc_offset + ((proc & PROC_TSC_OFFSETTING) ? v12->tsc_offset : 0);
	v02->tpr_threshold = v12->tpr_threshold;
	v02->ept_pointer = l0->eptp;
	v02->vpid = l0->vpid ? l0->vpid02 : 0;
	v02->ple_gap = v12->ple_gap;
	v02->ple_window = v12->ple_window;
	v02->entry_intr_info = v12->entry_intr_info;
	v02->entry_exception_error = v12->entry_exception_error;
	v02->entry_instruction_len = v12->entry_instruction_len;
	v02->exit_msr_store_count = v02->exit_msr_load_count = v02->entry_msr_load_count = 0;
	v02->link_pointer = ~0ull;
}

/*
 * The guest state is vmcs12's, except what vmcs12 does not load (26.3.2.1): IA32_EFER then
 * stays L1's with LMA and LME following "IA-32e mode guest", IA32_PAT L1's, DR7 and
 * IA32_DEBUGCTL as a VM entry leaves them (400H, 0). Without EPT in vmcs12 a PAE L2's
 * PDPTEs come from memory (26.3.2.4), which the backend read into l0->pdpte.
 */
static void merge_guest(const struct vmcs12 *v12, const struct nvmx_l0 *l0, struct vmcs12 *v02)
{
	bool ia32e = v12->entry_controls & ENTRY_IA32E_GUEST;

	vmcs12_copy_guest(v02, v12);
	if (!(v12->entry_controls & ENTRY_LOAD_EFER)) {
		v02->guest_efer = l0->l1_efer & ~(EFER_LMA | EFER_LME);
		if (ia32e)
			v02->guest_efer |= EFER_LMA | ((v12->guest_cr0 & CR0_PG) ? EFER_LME : 0);
	}
	if (!(v12->entry_controls & ENTRY_LOAD_PAT))
		v02->guest_pat = l0->l1_pat;
	if (!(v12->entry_controls & ENTRY_LOAD_DEBUG_CONTROLS)) {
		v02->guest_dr7 = 0x400;
		v02->guest_debugctl = 0;
	}
	if (!(nvmx_proc2(v12) & PROC2_EPT)) {
		v02->guest_pdpte0 = l0->pdpte[0];
		v02->guest_pdpte1 = l0->pdpte[1];
		v02->guest_pdpte2 = l0->pdpte[2];
		v02->guest_pdpte3 = l0->pdpte[3];
	}
	v02->link_pointer = ~0ull;
}

bool nvmx_merge(const struct vmcs12 *v12, const struct nvmx_l0 *l0, struct vmcs12 *v02,
		const char **why)
{
	uint64_t hpa = 0;

	vmcs12_clear(v02);
	v02->revision = v12->revision;
	if ((v12->proc_controls & PROC_TPR_SHADOW) && !ram_page(l0, v12->virtual_apic_page, &hpa)) {
		*why = "virtual-APIC page not in L1 RAM";
		return false;
	}
	v02->virtual_apic_page = hpa;
	merge_controls(v12, l0, v02);
	merge_guest(v12, l0, v02);
	return true;
}

bool nvmx_msr_intercept02(const struct vmcs12 *v12, uint32_t msr, bool l0_exits, bool l1_exits)
{
	if (!(v12->proc_controls & PROC_MSR_BITMAPS))
		l1_exits = true;
	if (msr == 0x808 && (nvmx_proc2(v12) & PROC2_VIRT_X2APIC) &&
	    (v12->proc_controls & PROC_TPR_SHADOW))
		return l1_exits;
	return l0_exits || l1_exits;
}
