/* vmx_guest_state: the guest-state area for the loaders' entry and for INIT/SIPI. */
#include "arch/x86/vmx/vmx_internal.h"


/* Access rights (SDM 24.4.1): type, S, DPL 0, P, and L / D/B / G where they apply. */
#define AR_CODE32 0xc09bu	/* execute/read accessed code, D=1, G=1 */
#define AR_CODE64 0xa09bu	/* execute/read accessed code, L=1, G=1 */
#define AR_DATA32 0xc093u	/* read/write accessed data, B=1, G=1 */
#define AR_CODE16 0x009bu
#define AR_DATA16 0x0093u
#define AR_TSS_BUSY 0x008bu	/* busy 32/64-bit TSS: valid in every mode (26.3.1.2) */

static void vmx_guest_seg(enum vmcs_seg s, uint16_t sel, uint64_t base, uint32_t limit,
			  uint32_t ar)
{
	vmcs_write(VMCS_GUEST_ES_SEL + 2 * s, sel);
	vmcs_write(VMCS_GUEST_ES_BASE + 2 * s, base);
	vmcs_write(VMCS_GUEST_ES_LIMIT + 2 * s, limit);
	vmcs_write(VMCS_GUEST_ES_AR + 2 * s, ar);
}

/* Guest CR0/CR4 as the guest sees them (read shadows) and as VMX needs them. */
static void vmx_guest_crs(uint64_t cr0, uint64_t cr4)
{
	vmcs_write(VMCS_CR0_SHADOW, cr0);
	vmcs_write(VMCS_GUEST_CR0, cr0 | vmx_cfg.guest_cr0_set);
	vmcs_write(VMCS_CR4_SHADOW, cr4);
	vmcs_write(VMCS_GUEST_CR4, cr4 | vmx_cfg.guest_cr4_set);
}

/* What every start shares: no LDT, a busy TSS, empty descriptor tables, reset MSRs. */
static void vmx_guest_common(void)
{
	vmx_guest_seg(VMCS_SEG_LDTR, 0, 0, 0xffff, AR_UNUSABLE);
	vmx_guest_seg(VMCS_SEG_TR, 0, 0, 0xffff, AR_TSS_BUSY);
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_DR7, 0x400);
	vmcs_write(VMCS_GUEST_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_PAT, 0x0007040600070406ull);	/* power-on PAT (SDM 13.12.4) */
	vmcs_write(VMCS_GUEST_RFLAGS, 0x2);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 0);	/* active: HLT and SIPI waits are nestor's */
	vmcs_write(VMCS_GUEST_PENDING_DBG, 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
}

static void vmx_guest_ia32e(bool on)
{
	uint64_t entry = vmcs_read(VMCS_ENTRY_CONTROLS) & ~ENTRY_IA32E_GUEST;
	vmcs_write(VMCS_ENTRY_CONTROLS, entry | (on ? ENTRY_IA32E_GUEST : 0));
}

/* The loaders' conventions (arch/x86/guest_entry.h): flat 32-bit protected mode, or long mode. */
void vmx_guest_set_entry(const struct guest_entry *e)
{
	vmx_guest_common();
	vmx_guest_seg(VMCS_SEG_CS, 0x10, 0, 0xffffffff, e->long_mode ? AR_CODE64 : AR_CODE32);
	for (enum vmcs_seg s = VMCS_SEG_ES; s <= VMCS_SEG_GS; s++)
		if (s != VMCS_SEG_CS)
			vmx_guest_seg(s, 0x18, 0, 0xffffffff, AR_DATA32);
	if (e->long_mode) {
		vmx_guest_crs(X86_CR0_PE | X86_CR0_ET | X86_CR0_PG, X86_CR4_PAE);
		vmcs_write(VMCS_GUEST_CR3, e->cr3);
		vmcs_write(VMCS_GUEST_EFER, X86_EFER_LME | X86_EFER_LMA);
	} else {
		vmx_guest_crs(X86_CR0_PE | X86_CR0_ET, 0);
		vmcs_write(VMCS_GUEST_CR3, 0);
		vmcs_write(VMCS_GUEST_EFER, 0);
	}
	vmx_guest_ia32e(e->long_mode);
	vmcs_write(VMCS_GUEST_RIP, e->rip);
	vmcs_write(VMCS_GUEST_RSP, e->gprs.r[GPR_RSP]);
}

/*
 * After INIT and STARTUP (SDM Vol. 3A 9.1.1, Table 9-1, and 9.4.4): real mode with
 * CS = vector << 8, IP = 0, CR0 = 0x60000010, the other segments zero-based 64 KiB.
 * VMX runs real mode only as an unrestricted guest (SDM 26.3.1.1).
 */
void vmx_guest_set_sipi(uint8_t vector)
{
	vmx_guest_common();
	vmx_guest_seg(VMCS_SEG_CS, (uint16_t)(vector << 8), (uint64_t)vector << 12, 0xffff,
		      AR_CODE16);
	for (enum vmcs_seg s = VMCS_SEG_ES; s <= VMCS_SEG_GS; s++)
		if (s != VMCS_SEG_CS)
			vmx_guest_seg(s, 0, 0, 0xffff, AR_DATA16);
	vmx_guest_crs(X86_CR0_CD | X86_CR0_NW | X86_CR0_ET, 0);
	vmcs_write(VMCS_GUEST_CR3, 0);
	vmcs_write(VMCS_GUEST_EFER, 0);
	vmx_guest_ia32e(false);
	vmcs_write(VMCS_GUEST_RIP, 0);
	vmcs_write(VMCS_GUEST_RSP, 0);
}
