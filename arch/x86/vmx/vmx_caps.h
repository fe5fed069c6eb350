/* vmx_caps: bits of the VMX capability MSRs (SDM Vol. 3D, Appendix A), shared by the backend and nested/. */
#ifndef NESTOR_ARCH_X86_VMX_VMX_CAPS_H
#define NESTOR_ARCH_X86_VMX_VMX_CAPS_H

/* MSR indices (Appendix A; IA32_VMX_VMFUNC is A.11). */
#define MSR_IA32_VMX_BASIC 0x480u
#define MSR_IA32_VMX_VMFUNC 0x491u

/* IA32_VMX_BASIC (A.1). */
#define VMX_BASIC_REVISION_MASK 0x7fffffffull
#define VMX_BASIC_32BIT_ADDRESSES (1ull << 48)
#define VMX_BASIC_MEMTYPE(b) (((b) >> 50) & 0xf)
#define VMX_BASIC_TRUE_CTLS (1ull << 55)
#define VMX_BASIC_NO_HW_ERRCODE (1ull << 56)	/* any hardware exception, error code or not */
#define VMX_MEMTYPE_UC 0
#define VMX_MEMTYPE_WB 6

/* IA32_VMX_MISC (A.6). */
#define VMX_MISC_EXIT_STORES_LMA (1ull << 5)
#define VMX_MISC_ACTIVITY_HLT (1ull << 6)
#define VMX_MISC_ACTIVITY_SHUTDOWN (1ull << 7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI (1ull << 8)
#define VMX_MISC_CR3_TARGETS(m) (((m) >> 16) & 0x1ff)
#define VMX_MISC_MAX_MSR_LIST(m) (512u * ((((m) >> 25) & 7u) + 1u))
#define VMX_MISC_VMWRITE_ANY (1ull << 29)	/* VMWRITE may write exit-information fields */
#define VMX_MISC_ZERO_LEN_INJECTION (1ull << 30)

/* IA32_VMX_EPT_VPID_CAP (A.10). */
#define EPT_CAP_4LEVEL (1ull << 6)
#define EPT_CAP_5LEVEL (1ull << 7)
#define EPT_CAP_UC (1ull << 8)
#define EPT_CAP_WB (1ull << 14)
#define EPT_CAP_2M (1ull << 16)
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_AD (1ull << 21)
#define EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define EPT_CAP_INVEPT_ALL (1ull << 26)
#define VPID_CAP_INVVPID (1ull << 32)
#define VPID_CAP_INVVPID_SINGLE (1ull << 41)
#define VPID_CAP_INVVPID_ALL (1ull << 42)

/* A control MSR (A.3-A.5): bits 31:0 allowed-0 (1 = must be 1), 63:32 allowed-1. */
#define VMX_CTL_MUST1(msr) ((uint32_t)(msr))
#define VMX_CTL_MAY1(msr) ((uint32_t)((msr) >> 32))

#endif
