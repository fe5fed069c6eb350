/* vmcs12: nestor's in-memory layout of L1's VMCS, its field table and VMREAD/VMWRITE semantics. */
#ifndef NESTOR_NESTED_VMX_VMCS12_H
#define NESTOR_NESTED_VMX_VMCS12_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_controls.h"

/*
 * The VMCS region's layout is the implementation's own (SDM 24.2): only the revision
 * identifier (bytes 3:0, bit 31 = shadow-VMCS indicator) and the VMX-abort indicator
 * (bytes 7:4) are architectural. nestor keeps L1's VMCS in L1's memory in this layout,
 * under a revision identifier of its own (IA32_VMX_BASIC[30:0] offered to L1), so a
 * VMCS region written by another implementation is refused by VMPTRLD.
 */
#define VMCS12_REVISION 0x6e657374u	/* "nest"; bit 31 clear */
#define VMCS12_SHADOW_BIT (1u << 31)
#define VMCS12_LAUNCH_CLEAR 0u		/* the launch state VMCLEAR sets (SDM 24.11.3) */
#define VMCS12_LAUNCH_LAUNCHED 1u

/*
 * Every field nestor supports, by width: X(encoding, member). The struct and the field
 * table are both generated from these lists, so they cannot disagree.
 */
#define VMCS12_FIELDS_64(X) \
	X(VMCS_IO_BITMAP_A, io_bitmap_a) X(VMCS_IO_BITMAP_B, io_bitmap_b) \
	X(VMCS_MSR_BITMAP, msr_bitmap) X(VMCS_EXIT_MSR_STORE_ADDR, exit_msr_store_addr) \
	X(VMCS_EXIT_MSR_LOAD_ADDR, exit_msr_load_addr) \
	X(VMCS_ENTRY_MSR_LOAD_ADDR, entry_msr_load_addr) X(VMCS_PML_ADDRESS, pml_address) \
	X(VMCS_TSC_OFFSET, tsc_offset) X(VMCS_VIRTUAL_APIC_PAGE, virtual_apic_page) \
	X(VMCS_APIC_ACCESS_ADDR, apic_access_addr) X(VMCS_POSTED_INTR_DESC, posted_intr_desc) \
	X(VMCS_VMFUNC_CONTROLS, vmfunc_controls) X(VMCS_EPT_POINTER, ept_pointer) \
	X(VMCS_EOI_EXIT_BITMAP0, eoi_exit_bitmap0) X(VMCS_EOI_EXIT_BITMAP1, eoi_exit_bitmap1) \
	X(VMCS_EOI_EXIT_BITMAP2, eoi_exit_bitmap2) X(VMCS_EOI_EXIT_BITMAP3, eoi_exit_bitmap3) \
	X(VMCS_EPTP_LIST_ADDR, eptp_list_addr) X(VMCS_VMREAD_BITMAP, vmread_bitmap) \
	X(VMCS_VMWRITE_BITMAP, vmwrite_bitmap) X(VMCS_VE_INFO_ADDR, ve_info_addr) \
	X(VMCS_XSS_EXIT_BITMAP, xss_exit_bitmap) X(VMCS_TSC_MULTIPLIER, tsc_multiplier) \
	X(VMCS_GUEST_PHYSICAL_ADDRESS, guest_physical_address) \
	X(VMCS_LINK_POINTER, link_pointer) X(VMCS_GUEST_DEBUGCTL, guest_debugctl) \
	X(VMCS_GUEST_PAT, guest_pat) X(VMCS_GUEST_EFER, guest_efer) \
	X(VMCS_GUEST_PERF_GLOBAL_CTRL, guest_perf_global_ctrl) \
	X(VMCS_GUEST_PDPTE0, guest_pdpte0) X(VMCS_GUEST_PDPTE1, guest_pdpte1) \
	X(VMCS_GUEST_PDPTE2, guest_pdpte2) X(VMCS_GUEST_PDPTE3, guest_pdpte3) \
	X(VMCS_GUEST_BNDCFGS, guest_bndcfgs) X(VMCS_HOST_PAT, host_pat) \
	X(VMCS_HOST_EFER, host_efer) X(VMCS_HOST_PERF_GLOBAL_CTRL, host_perf_global_ctrl)

#define VMCS12_FIELDS_NATURAL(X) \
	X(VMCS_CR0_MASK, cr0_mask) X(VMCS_CR4_MASK, cr4_mask) X(VMCS_CR0_SHADOW, cr0_shadow) \
	X(VMCS_CR4_SHADOW, cr4_shadow) X(VMCS_CR3_TARGET0, cr3_target0) \
	X(VMCS_CR3_TARGET0 + 2, cr3_target1) X(VMCS_CR3_TARGET0 + 4, cr3_target2) \
	X(VMCS_CR3_TARGET0 + 6, cr3_target3) X(VMCS_EXIT_QUALIFICATION, exit_qualification) \
	X(VMCS_IO_RCX, io_rcx) X(VMCS_IO_RSI, io_rsi) X(VMCS_IO_RDI, io_rdi) \
	X(VMCS_IO_RIP, io_rip) X(VMCS_GUEST_LINEAR_ADDRESS, guest_linear_address) \
	X(VMCS_GUEST_CR0, guest_cr0) X(VMCS_GUEST_CR3, guest_cr3) X(VMCS_GUEST_CR4, guest_cr4) \
	X(VMCS_GUEST_ES_BASE, guest_es_base) X(VMCS_GUEST_CS_BASE, guest_cs_base) \
	X(VMCS_GUEST_SS_BASE, guest_ss_base) X(VMCS_GUEST_DS_BASE, guest_ds_base) \
	X(VMCS_GUEST_FS_BASE, guest_fs_base) X(VMCS_GUEST_GS_BASE, guest_gs_base) \
	X(VMCS_GUEST_LDTR_BASE, guest_ldtr_base) X(VMCS_GUEST_TR_BASE, guest_tr_base) \
	X(VMCS_GUEST_GDTR_BASE, guest_gdtr_base) X(VMCS_GUEST_IDTR_BASE, guest_idtr_base) \
	X(VMCS_GUEST_DR7, guest_dr7) X(VMCS_GUEST_RSP, guest_rsp) X(VMCS_GUEST_RIP, guest_rip) \
	X(VMCS_GUEST_RFLAGS, guest_rflags) X(VMCS_GUEST_PENDING_DBG, guest_pending_dbg) \
	X(VMCS_GUEST_SYSENTER_ESP, guest_sysenter_esp) \
	X(VMCS_GUEST_SYSENTER_EIP, guest_sysenter_eip) X(VMCS_HOST_CR0, host_cr0) \
	X(VMCS_HOST_CR3, host_cr3) X(VMCS_HOST_CR4, host_cr4) X(VMCS_HOST_FS_BASE, host_fs_base) \
	X(VMCS_HOST_GS_BASE, host_gs_base) X(VMCS_HOST_TR_BASE, host_tr_base) \
	X(VMCS_HOST_GDTR_BASE, host_gdtr_base) X(VMCS_HOST_IDTR_BASE, host_idtr_base) \
	X(VMCS_HOST_SYSENTER_ESP, host_sysenter_esp) \
	X(VMCS_HOST_SYSENTER_EIP, host_sysenter_eip) X(VMCS_HOST_RSP, host_rsp) \
	X(VMCS_HOST_RIP, host_rip)

#define VMCS12_FIELDS_32(X) \
	X(VMCS_PIN_CONTROLS, pin_controls) X(VMCS_PROC_CONTROLS, proc_controls) \
	X(VMCS_EXCEPTION_BITMAP, exception_bitmap) X(VMCS_PF_ERROR_MASK, pf_error_mask) \
	X(VMCS_PF_ERROR_MATCH, pf_error_match) X(VMCS_CR3_TARGET_COUNT, cr3_target_count) \
	X(VMCS_EXIT_CONTROLS, exit_controls) X(VMCS_EXIT_MSR_STORE_COUNT, exit_msr_store_count) \
	X(VMCS_EXIT_MSR_LOAD_COUNT, exit_msr_load_count) X(VMCS_ENTRY_CONTROLS, entry_controls) \
	X(VMCS_ENTRY_MSR_LOAD_COUNT, entry_msr_load_count) \
	X(VMCS_ENTRY_INTR_INFO, entry_intr_info) \
	X(VMCS_ENTRY_EXCEPTION_ERROR, entry_exception_error) \
	X(VMCS_ENTRY_INSTRUCTION_LEN, entry_instruction_len) \
	X(VMCS_TPR_THRESHOLD, tpr_threshold) X(VMCS_PROC2_CONTROLS, proc2_controls) \
	X(VMCS_PLE_GAP, ple_gap) X(VMCS_PLE_WINDOW, ple_window) \
	X(VMCS_INSTRUCTION_ERROR, instruction_error) X(VMCS_EXIT_REASON, exit_reason) \
	X(VMCS_EXIT_INTR_INFO, exit_intr_info) X(VMCS_EXIT_INTR_ERROR, exit_intr_error) \
	X(VMCS_IDT_VECTORING_INFO, idt_vectoring_info) \
	X(VMCS_IDT_VECTORING_ERROR, idt_vectoring_error) \
	X(VMCS_EXIT_INSTRUCTION_LEN, exit_instruction_len) \
	X(VMCS_EXIT_INSTRUCTION_INFO, exit_instruction_info) \
	X(VMCS_GUEST_ES_LIMIT, guest_es_limit) X(VMCS_GUEST_ES_LIMIT + 2, guest_cs_limit) \
	X(VMCS_GUEST_ES_LIMIT + 4, guest_ss_limit) X(VMCS_GUEST_ES_LIMIT + 6, guest_ds_limit) \
	X(VMCS_GUEST_ES_LIMIT + 8, guest_fs_limit) X(VMCS_GUEST_ES_LIMIT + 10, guest_gs_limit) \
	X(VMCS_GUEST_ES_LIMIT + 12, guest_ldtr_limit) \
	X(VMCS_GUEST_ES_LIMIT + 14, guest_tr_limit) X(VMCS_GUEST_GDTR_LIMIT, guest_gdtr_limit) \
	X(VMCS_GUEST_IDTR_LIMIT, guest_idtr_limit) X(VMCS_GUEST_ES_AR, guest_es_ar) \
	X(VMCS_GUEST_CS_AR, guest_cs_ar) X(VMCS_GUEST_SS_AR, guest_ss_ar) \
	X(VMCS_GUEST_ES_AR + 6, guest_ds_ar) X(VMCS_GUEST_ES_AR + 8, guest_fs_ar) \
	X(VMCS_GUEST_ES_AR + 10, guest_gs_ar) X(VMCS_GUEST_ES_AR + 12, guest_ldtr_ar) \
	X(VMCS_GUEST_ES_AR + 14, guest_tr_ar) \
	X(VMCS_GUEST_INTERRUPTIBILITY, guest_interruptibility) \
	X(VMCS_GUEST_ACTIVITY_STATE, guest_activity_state) X(VMCS_GUEST_SMBASE, guest_smbase) \
	X(VMCS_GUEST_SYSENTER_CS, guest_sysenter_cs) \
	X(VMCS_PREEMPTION_TIMER, preemption_timer) X(VMCS_HOST_SYSENTER_CS, host_sysenter_cs)

#define VMCS12_FIELDS_16(X) \
	X(VMCS_VPID, vpid) X(VMCS_POSTED_INTR_NV, posted_intr_nv) X(VMCS_EPTP_INDEX, eptp_index) \
	X(VMCS_GUEST_ES_SEL, guest_es_sel) X(VMCS_GUEST_CS_SEL, guest_cs_sel) \
	X(VMCS_GUEST_SS_SEL, guest_ss_sel) X(VMCS_GUEST_DS_SEL, guest_ds_sel) \
	X(VMCS_GUEST_FS_SEL, guest_fs_sel) X(VMCS_GUEST_GS_SEL, guest_gs_sel) \
	X(VMCS_GUEST_LDTR_SEL, guest_ldtr_sel) X(VMCS_GUEST_TR_SEL, guest_tr_sel) \
	X(VMCS_GUEST_INTR_STATUS, guest_intr_status) X(VMCS_GUEST_PML_INDEX, guest_pml_index) \
	X(VMCS_HOST_ES_SEL, host_es_sel) X(VMCS_HOST_CS_SEL, host_cs_sel) \
	X(VMCS_HOST_SS_SEL, host_ss_sel) X(VMCS_HOST_DS_SEL, host_ds_sel) \
	X(VMCS_HOST_FS_SEL, host_fs_sel) X(VMCS_HOST_GS_SEL, host_gs_sel) \
	X(VMCS_HOST_TR_SEL, host_tr_sel)

#define VMCS12_MEMBER64(enc, m) uint64_t m;
#define VMCS12_MEMBER32(enc, m) uint32_t m;
#define VMCS12_MEMBER16(enc, m) uint16_t m;

/* Fixed-width members only: the layout is the same in nestor and in host tests. */
struct vmcs12 {
	uint32_t revision;		/* bits 30:0 VMCS12_REVISION, bit 31 shadow */
	uint32_t abort;			/* VMX-abort indicator (SDM 24.2) */
	uint32_t launch_state;		/* VMCS12_LAUNCH_* */
	uint32_t reserved;
	VMCS12_FIELDS_64(VMCS12_MEMBER64)
	VMCS12_FIELDS_NATURAL(VMCS12_MEMBER64)
	VMCS12_FIELDS_32(VMCS12_MEMBER32)
	VMCS12_FIELDS_16(VMCS12_MEMBER16)
};

_Static_assert(sizeof(struct vmcs12) <= 4096, "a VMCS region is one 4 KiB page");

/* One supported field: where it lives and how wide it is. */
struct vmcs12_field {
	uint16_t encoding;
	uint16_t offset;
	uint8_t width;			/* VMCS_WIDTH_* */
	const char *name;		/* the struct member, used in log lines */
};

extern const struct vmcs12_field vmcs12_fields[];
extern const unsigned vmcs12_field_count;

/* The field for an encoding, access-type bit ignored; NULL when nestor has no such field. */
const struct vmcs12_field *vmcs12_field_find(uint64_t encoding);

/*
 * Whether the field exists on the processor L1 sees: a field belonging to a control
 * exists only when that control may be 1 (SDM 24.6-24.8 "exists only on processors
 * that support the 1-setting of ..."). `caps` NULL: every supported field exists.
 */
bool vmcs12_field_exists(const struct vmcs12_field *f, const struct vmx_cap_msrs *caps);

/* A field's whole value, zero-extended (for checks and logs; no access-type rules). */
uint64_t vmcs12_get(const struct vmcs12 *v, const struct vmcs12_field *f);
void vmcs12_set(struct vmcs12 *v, const struct vmcs12_field *f, uint64_t value);

/*
 * VMREAD / VMWRITE with the SDM's width rules (Vol. 3C 30.3, 24.11.2). `opsize` is the
 * instruction's operand size in bytes (8 in 64-bit mode, else 4). Returns 0 on success,
 * else the VM-instruction error: 12 (unsupported VMCS component: no such field, a high
 * access to a field that is not 64-bit, or a field absent under `caps`) or, for
 * VMWRITE, 13 (read-only exit-information field, unless IA32_VMX_MISC[29] in `caps`).
 */
unsigned vmcs12_vmread(const struct vmcs12 *v, const struct vmx_cap_msrs *caps,
		       uint64_t encoding, unsigned opsize, uint64_t *value);
unsigned vmcs12_vmwrite(struct vmcs12 *v, const struct vmx_cap_msrs *caps, uint64_t encoding,
			unsigned opsize, uint64_t value);

/*
 * Hot-path helpers (nested entries and exits): whole-struct copies 8 bytes at a time, and
 * the guest-state fields (encoding type 2, 24.4) copied from one vmcs12 to another.
 */
void vmcs12_copy(struct vmcs12 *dst, const struct vmcs12 *src);
void vmcs12_clear(struct vmcs12 *v);
void vmcs12_copy_guest(struct vmcs12 *dst, const struct vmcs12 *src);

#endif
