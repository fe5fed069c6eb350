/* vmcs: VMCS field encodings and control bits nestor uses (SDM Vol. 3D, Appendix B; 3C 24). */
#ifndef NESTOR_ARCH_X86_VMX_VMCS_H
#define NESTOR_ARCH_X86_VMX_VMCS_H

/*
 * An encoding names a field by width (bits 14:13), type (11:10) and index (9:1); the
 * VMCS layout in memory is the CPU's secret, so every access goes through VMREAD and
 * VMWRITE with these numbers (SDM 24.11.2).
 */
enum vmcs_field {
	/* 16-bit control */
	VMCS_VPID = 0x0000,
	VMCS_POSTED_INTR_NV = 0x0002,
	VMCS_EPTP_INDEX = 0x0004,
	/* 16-bit guest state */
	VMCS_GUEST_ES_SEL = 0x0800,
	VMCS_GUEST_CS_SEL = 0x0802,
	VMCS_GUEST_SS_SEL = 0x0804,
	VMCS_GUEST_DS_SEL = 0x0806,
	VMCS_GUEST_FS_SEL = 0x0808,
	VMCS_GUEST_GS_SEL = 0x080a,
	VMCS_GUEST_LDTR_SEL = 0x080c,
	VMCS_GUEST_TR_SEL = 0x080e,
	VMCS_GUEST_INTR_STATUS = 0x0810,
	VMCS_GUEST_PML_INDEX = 0x0812,
	/* 16-bit host state */
	VMCS_HOST_ES_SEL = 0x0c00,
	VMCS_HOST_CS_SEL = 0x0c02,
	VMCS_HOST_SS_SEL = 0x0c04,
	VMCS_HOST_DS_SEL = 0x0c06,
	VMCS_HOST_FS_SEL = 0x0c08,
	VMCS_HOST_GS_SEL = 0x0c0a,
	VMCS_HOST_TR_SEL = 0x0c0c,
	/* 64-bit control (encoding + 1 is the high half) */
	VMCS_IO_BITMAP_A = 0x2000,
	VMCS_IO_BITMAP_B = 0x2002,
	VMCS_MSR_BITMAP = 0x2004,
	VMCS_EXIT_MSR_STORE_ADDR = 0x2006,
	VMCS_EXIT_MSR_LOAD_ADDR = 0x2008,
	VMCS_ENTRY_MSR_LOAD_ADDR = 0x200a,
	VMCS_PML_ADDRESS = 0x200e,
	VMCS_TSC_OFFSET = 0x2010,
	VMCS_VIRTUAL_APIC_PAGE = 0x2012,
	VMCS_APIC_ACCESS_ADDR = 0x2014,
	VMCS_POSTED_INTR_DESC = 0x2016,
	VMCS_VMFUNC_CONTROLS = 0x2018,
	VMCS_EPT_POINTER = 0x201a,
	VMCS_EOI_EXIT_BITMAP0 = 0x201c,	/* EOI_EXIT_BITMAP1-3 follow at +2 each */
	VMCS_EOI_EXIT_BITMAP1 = 0x201e,
	VMCS_EOI_EXIT_BITMAP2 = 0x2020,
	VMCS_EOI_EXIT_BITMAP3 = 0x2022,
	VMCS_EPTP_LIST_ADDR = 0x2024,
	VMCS_VMREAD_BITMAP = 0x2026,
	VMCS_VMWRITE_BITMAP = 0x2028,
	VMCS_VE_INFO_ADDR = 0x202a,
	VMCS_XSS_EXIT_BITMAP = 0x202c,
	VMCS_TSC_MULTIPLIER = 0x2032,
	/* 64-bit read-only */
	VMCS_GUEST_PHYSICAL_ADDRESS = 0x2400,
	/* 64-bit guest state */
	VMCS_LINK_POINTER = 0x2800,
	VMCS_GUEST_DEBUGCTL = 0x2802,
	VMCS_GUEST_PAT = 0x2804,
	VMCS_GUEST_EFER = 0x2806,
	VMCS_GUEST_PERF_GLOBAL_CTRL = 0x2808,
	VMCS_GUEST_PDPTE0 = 0x280a,	/* PDPTE1-3 follow at +2 each */
	VMCS_GUEST_PDPTE1 = 0x280c,
	VMCS_GUEST_PDPTE2 = 0x280e,
	VMCS_GUEST_PDPTE3 = 0x2810,
	VMCS_GUEST_BNDCFGS = 0x2812,
	/* 64-bit host state */
	VMCS_HOST_PAT = 0x2c00,
	VMCS_HOST_EFER = 0x2c02,
	VMCS_HOST_PERF_GLOBAL_CTRL = 0x2c04,
	/* 32-bit control */
	VMCS_PIN_CONTROLS = 0x4000,
	VMCS_PROC_CONTROLS = 0x4002,
	VMCS_EXCEPTION_BITMAP = 0x4004,
	VMCS_PF_ERROR_MASK = 0x4006,
	VMCS_PF_ERROR_MATCH = 0x4008,
	VMCS_CR3_TARGET_COUNT = 0x400a,
	VMCS_EXIT_CONTROLS = 0x400c,
	VMCS_EXIT_MSR_STORE_COUNT = 0x400e,
	VMCS_EXIT_MSR_LOAD_COUNT = 0x4010,
	VMCS_ENTRY_CONTROLS = 0x4012,
	VMCS_ENTRY_MSR_LOAD_COUNT = 0x4014,
	VMCS_ENTRY_INTR_INFO = 0x4016,
	VMCS_ENTRY_EXCEPTION_ERROR = 0x4018,
	VMCS_ENTRY_INSTRUCTION_LEN = 0x401a,
	VMCS_TPR_THRESHOLD = 0x401c,
	VMCS_PROC2_CONTROLS = 0x401e,
	VMCS_PLE_GAP = 0x4020,
	VMCS_PLE_WINDOW = 0x4022,
	/* 32-bit read-only */
	VMCS_INSTRUCTION_ERROR = 0x4400,
	VMCS_EXIT_REASON = 0x4402,
	VMCS_EXIT_INTR_INFO = 0x4404,
	VMCS_EXIT_INTR_ERROR = 0x4406,
	VMCS_IDT_VECTORING_INFO = 0x4408,
	VMCS_IDT_VECTORING_ERROR = 0x440a,
	VMCS_EXIT_INSTRUCTION_LEN = 0x440c,
	VMCS_EXIT_INSTRUCTION_INFO = 0x440e,
	/* 32-bit guest state: limits, then access rights, in ES CS SS DS FS GS LDTR TR order */
	VMCS_GUEST_ES_LIMIT = 0x4800,
	VMCS_GUEST_GDTR_LIMIT = 0x4810,
	VMCS_GUEST_IDTR_LIMIT = 0x4812,
	VMCS_GUEST_ES_AR = 0x4814,
	VMCS_GUEST_CS_AR = 0x4816,
	VMCS_GUEST_SS_AR = 0x4818,
	VMCS_GUEST_INTERRUPTIBILITY = 0x4824,
	VMCS_GUEST_ACTIVITY_STATE = 0x4826,
	VMCS_GUEST_SMBASE = 0x4828,
	VMCS_GUEST_SYSENTER_CS = 0x482a,
	VMCS_PREEMPTION_TIMER = 0x482e,
	/* 32-bit host state */
	VMCS_HOST_SYSENTER_CS = 0x4c00,
	/* natural-width control */
	VMCS_CR0_MASK = 0x6000,
	VMCS_CR4_MASK = 0x6002,
	VMCS_CR0_SHADOW = 0x6004,
	VMCS_CR4_SHADOW = 0x6006,
	VMCS_CR3_TARGET0 = 0x6008,	/* CR3_TARGET1-3 follow at +2 each */
	/* natural-width read-only */
	VMCS_EXIT_QUALIFICATION = 0x6400,
	VMCS_IO_RCX = 0x6402,
	VMCS_IO_RSI = 0x6404,
	VMCS_IO_RDI = 0x6406,
	VMCS_IO_RIP = 0x6408,
	VMCS_GUEST_LINEAR_ADDRESS = 0x640a,
	/* natural-width guest state: segment bases in ES CS SS DS FS GS LDTR TR order */
	VMCS_GUEST_CR0 = 0x6800,
	VMCS_GUEST_CR3 = 0x6802,
	VMCS_GUEST_CR4 = 0x6804,
	VMCS_GUEST_ES_BASE = 0x6806,
	VMCS_GUEST_CS_BASE = 0x6808,
	VMCS_GUEST_SS_BASE = 0x680a,
	VMCS_GUEST_DS_BASE = 0x680c,
	VMCS_GUEST_FS_BASE = 0x680e,
	VMCS_GUEST_GS_BASE = 0x6810,
	VMCS_GUEST_LDTR_BASE = 0x6812,
	VMCS_GUEST_TR_BASE = 0x6814,
	VMCS_GUEST_GDTR_BASE = 0x6816,
	VMCS_GUEST_IDTR_BASE = 0x6818,
	VMCS_GUEST_DR7 = 0x681a,
	VMCS_GUEST_RSP = 0x681c,
	VMCS_GUEST_RIP = 0x681e,
	VMCS_GUEST_RFLAGS = 0x6820,
	VMCS_GUEST_PENDING_DBG = 0x6822,
	VMCS_GUEST_SYSENTER_ESP = 0x6824,
	VMCS_GUEST_SYSENTER_EIP = 0x6826,
	/* natural-width host state */
	VMCS_HOST_CR0 = 0x6c00,
	VMCS_HOST_CR3 = 0x6c02,
	VMCS_HOST_CR4 = 0x6c04,
	VMCS_HOST_FS_BASE = 0x6c06,
	VMCS_HOST_GS_BASE = 0x6c08,
	VMCS_HOST_TR_BASE = 0x6c0a,
	VMCS_HOST_GDTR_BASE = 0x6c0c,
	VMCS_HOST_IDTR_BASE = 0x6c0e,
	VMCS_HOST_SYSENTER_ESP = 0x6c10,
	VMCS_HOST_SYSENTER_EIP = 0x6c12,
	VMCS_HOST_RSP = 0x6c14,
	VMCS_HOST_RIP = 0x6c16,
};

/* Encoding layout (SDM 24.11.2): access type, index, type, width. */
#define VMCS_ENC_HIGH 1u			/* bit 0: high 32 bits of a 64-bit field */
#define VMCS_ENC_TYPE(e) (((e) >> 10) & 3u)	/* 0 control, 1 read-only, 2 guest, 3 host */
#define VMCS_ENC_WIDTH(e) (((e) >> 13) & 3u)	/* 0 16-bit, 1 64-bit, 2 32-bit, 3 natural */
#define VMCS_TYPE_READ_ONLY 1u
#define VMCS_WIDTH_16 0u
#define VMCS_WIDTH_64 1u
#define VMCS_WIDTH_32 2u
#define VMCS_WIDTH_NATURAL 3u

/* The eight guest segment registers, in the VMCS's own order (each block steps by 2). */
enum vmcs_seg { VMCS_SEG_ES, VMCS_SEG_CS, VMCS_SEG_SS, VMCS_SEG_DS, VMCS_SEG_FS, VMCS_SEG_GS,
		VMCS_SEG_LDTR, VMCS_SEG_TR, VMCS_SEG_COUNT };

/* Pin-based controls (SDM 24.6.1). */
#define PIN_EXTINT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PIN_PREEMPTION_TIMER (1u << 6)
#define PIN_POSTED_INTERRUPTS (1u << 7)

/* Primary processor-based controls (SDM 24.6.2). */
#define PROC_IRQ_WINDOW_EXITING (1u << 2)
#define PROC_TSC_OFFSETTING (1u << 3)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_INVLPG_EXITING (1u << 9)
#define PROC_MWAIT_EXITING (1u << 10)
#define PROC_RDPMC_EXITING (1u << 11)
#define PROC_RDTSC_EXITING (1u << 12)
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_CR3_STORE_EXITING (1u << 16)
#define PROC_CR8_LOAD_EXITING (1u << 19)
#define PROC_CR8_STORE_EXITING (1u << 20)
#define PROC_TPR_SHADOW (1u << 21)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define PROC_MOV_DR_EXITING (1u << 23)
#define PROC_UNCOND_IO_EXITING (1u << 24)
#define PROC_IO_BITMAPS (1u << 25)
#define PROC_MONITOR_TRAP_FLAG (1u << 27)
#define PROC_MSR_BITMAPS (1u << 28)
#define PROC_MONITOR_EXITING (1u << 29)
#define PROC_PAUSE_EXITING (1u << 30)
#define PROC_SECONDARY (1u << 31)

/* Secondary processor-based controls (SDM 24.6.2). */
#define PROC2_VIRT_APIC_ACCESSES (1u << 0)
#define PROC2_EPT (1u << 1)
#define PROC2_DESC_TABLE_EXITING (1u << 2)
#define PROC2_RDTSCP (1u << 3)
#define PROC2_VIRT_X2APIC (1u << 4)
#define PROC2_VPID (1u << 5)
#define PROC2_WBINVD_EXITING (1u << 6)
#define PROC2_UNRESTRICTED_GUEST (1u << 7)
#define PROC2_APIC_REG_VIRT (1u << 8)
#define PROC2_VIRT_INTR_DELIVERY (1u << 9)
#define PROC2_PAUSE_LOOP_EXITING (1u << 10)
#define PROC2_INVPCID (1u << 12)
#define PROC2_VMFUNC (1u << 13)
#define PROC2_VMCS_SHADOWING (1u << 14)
#define PROC2_ENCLS_EXITING (1u << 15)
#define PROC2_RDSEED_EXITING (1u << 16)
#define PROC2_PML (1u << 17)
#define PROC2_EPT_VE (1u << 18)
#define PROC2_CONCEAL_FROM_PT (1u << 19)
#define PROC2_XSAVES (1u << 20)
#define PROC2_MODE_BASED_EPT (1u << 22)
#define PROC2_SPP (1u << 23)
#define PROC2_PT_USES_GPA (1u << 24)
#define PROC2_TSC_SCALING (1u << 25)
#define PROC2_USER_WAIT_PAUSE (1u << 26)

/* VM-exit controls (SDM 24.7.1). */
#define EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define EXIT_LOAD_PERF_GLOBAL_CTRL (1u << 12)
#define EXIT_ACK_INTR_ON_EXIT (1u << 15)
#define EXIT_SAVE_PAT (1u << 18)
#define EXIT_LOAD_PAT (1u << 19)
#define EXIT_SAVE_EFER (1u << 20)
#define EXIT_LOAD_EFER (1u << 21)
#define EXIT_SAVE_PREEMPTION_TIMER (1u << 22)
#define EXIT_CLEAR_BNDCFGS (1u << 23)

/* VM-entry controls (SDM 24.8.1). */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_GUEST (1u << 9)
#define ENTRY_TO_SMM (1u << 10)
#define ENTRY_DEACTIVATE_DUAL_MONITOR (1u << 11)
#define ENTRY_LOAD_PERF_GLOBAL_CTRL (1u << 13)
#define ENTRY_LOAD_PAT (1u << 14)
#define ENTRY_LOAD_EFER (1u << 15)
#define ENTRY_LOAD_BNDCFGS (1u << 16)

/* Interruption information: VM-entry (24.8.3), VM-exit and IDT-vectoring (24.9.2/3). */
#define INTR_INFO_VECTOR_MASK 0xffu
#define INTR_INFO_TYPE_SHIFT 8
#define INTR_INFO_TYPE_MASK (7u << 8)
#define INTR_TYPE_EXTERNAL (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_HW_EXCEPTION (3u << 8)
#define INTR_TYPE_SW_INTERRUPT (4u << 8)
#define INTR_TYPE_PRIV_SW_EXCEPTION (5u << 8)
#define INTR_TYPE_SW_EXCEPTION (6u << 8)
#define INTR_TYPE_OTHER_EVENT (7u << 8)
#define INTR_INFO_ERROR_VALID (1u << 11)
#define INTR_INFO_NMI_UNBLOCKED_BY_IRET (1u << 12)
#define INTR_INFO_VALID (1u << 31)

/* Guest interruptibility state (SDM 24.4.2). */
#define INTERRUPTIBILITY_STI (1u << 0)
#define INTERRUPTIBILITY_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_SMI (1u << 2)
#define INTERRUPTIBILITY_NMI (1u << 3)
#define INTERRUPTIBILITY_ENCLAVE (1u << 4)

/* Guest activity state (SDM 24.4.2); IA32_VMX_MISC bits 6-8 say which are supported. */
#define ACTIVITY_ACTIVE 0u
#define ACTIVITY_HLT 1u
#define ACTIVITY_SHUTDOWN 2u
#define ACTIVITY_WAIT_SIPI 3u

/* Pending debug exceptions (SDM 24.4.2, Table 24-4). */
#define PENDING_DBG_B0_3 0xfull
#define PENDING_DBG_BP_ENABLED (1ull << 12)
#define PENDING_DBG_BS (1ull << 14)
#define PENDING_DBG_RTM (1ull << 16)

/* VM-function controls (SDM 24.6.14). */
#define VMFUNC_EPTP_SWITCHING (1ull << 0)

/* EPTP (SDM 24.6.11). */
#define EPTP_MEMTYPE_MASK 7ull
#define EPTP_WALK_SHIFT 3
#define EPTP_WALK_MASK (7ull << 3)
#define EPTP_AD (1ull << 6)

/* Segment access rights in VMCS form (SDM 24.4.1). */
#define AR_TYPE_MASK 0xfu
#define AR_S (1u << 4)
#define AR_DPL_MASK (3u << 5)
#define AR_P (1u << 7)
#define AR_G (1u << 15)
#define AR_UNUSABLE (1u << 16)
#define AR_L (1u << 13)
#define AR_DB (1u << 14)
#define AR_DPL_SHIFT 5

/* Exit reason: basic reason in 15:0, bit 31 = VM-entry failure (SDM 24.9.1). */
#define EXIT_REASON_ENTRY_FAILURE (1u << 31)
#define EXIT_REASON_INVALID_GUEST_STATE 33u
#define EXIT_REASON_MSR_LOADING 34u

/* Exit qualification of a failed entry (reason 33): SDM 26.8. */
#define ENTRY_FAIL_QUAL_DEFAULT 0u
#define ENTRY_FAIL_QUAL_PDPTE 2u
#define ENTRY_FAIL_QUAL_NMI_SMM 3u
#define ENTRY_FAIL_QUAL_LINK_POINTER 4u

/* VM-instruction errors (SDM 30.4) the entry checks give. */
#define VMXERR_ENTRY_INVALID_CONTROLS 7u
#define VMXERR_ENTRY_INVALID_HOST_STATE 8u
#define VMXERR_UNSUPPORTED_FIELD 12u
#define VMXERR_WRITE_READ_ONLY_FIELD 13u

#endif
