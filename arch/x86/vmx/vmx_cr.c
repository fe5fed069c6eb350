/* vmx_cr: guest writes to CR0/CR4 bits nestor owns, emulated on the guest's behalf. */
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vm.h"

/* CR-access exit qualification (SDM Vol. 3C 27.2.1, Table 27-3). */
#define CRQ_NUMBER(q) ((unsigned)(q) & 0xf)
#define CRQ_TYPE(q) (((unsigned)(q) >> 4) & 3)
#define CRQ_GPR(q) (((unsigned)(q) >> 8) & 0xf)
#define CRQ_TYPE_MOV_TO_CR 0

/*
 * An emulated CR write changes translations the way the real instruction would; with
 * VPID the guest's cached translations survive VM exits, so they are dropped here
 * (SDM 28.3.3). Without VPID every entry and exit already flushes them.
 */
static void vmx_flush_guest_tlb(struct vcpu *v)
{
	if (!vmx_cfg.vpid)
		return;
	if (vmx_cfg.invvpid_single)
		invvpid(INVVPID_SINGLE_CONTEXT, vmx_of(v)->vpid);
	else
		invvpid(INVVPID_ALL_CONTEXTS, 0);
}

/*
 * PAE paging with EPT takes the four PDPTEs from the VMCS at entry (SDM 26.3.2.4), not
 * from memory, so an emulated write that turns PAE paging on or changes it loads them
 * here, as MOV to CR does (SDM Vol. 3A 4.4.1). A table outside guest RAM reads as zeros
 * (not present): the guest then faults on its first access instead of nestor crashing.
 */
static void vmx_load_pdptes(struct vcpu *v)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
	uint64_t pdpte[4] = { 0, 0, 0, 0 };
	if (!(cr0 & X86_CR0_PG) || !(cr4 & X86_CR4_PAE) || vmx_guest_long_mode())
		return;
	guest_mem_read(&v->vm->mem, vmcs_read(VMCS_GUEST_CR3) & 0xffffffe0ull, pdpte,
		       sizeof(pdpte));
	for (unsigned i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

static void vmx_set_long_mode(bool lma)
{
	uint64_t efer = vmcs_read(VMCS_GUEST_EFER);
	uint64_t entry = vmcs_read(VMCS_ENTRY_CONTROLS);
	vmcs_write(VMCS_GUEST_EFER, lma ? efer | X86_EFER_LMA : efer & ~X86_EFER_LMA);
	vmcs_write(VMCS_ENTRY_CONTROLS, lma ? entry | ENTRY_IA32E_GUEST : entry & ~ENTRY_IA32E_GUEST);
}

/*
 * MOV to CR0 (SDM Vol. 3A 2.5 and the MOV-to-CR #GP list): the guest's value becomes the
 * read shadow, the register gets VMX's fixed bits too. Turning paging on with EFER.LME
 * activates long mode (SDM 10.8.5), which nestor does here because the CPU did not run
 * the instruction.
 */
static bool vmx_write_cr0(struct vcpu *v, uint64_t value)
{
	uint64_t old = vmcs_read(VMCS_GUEST_CR0);
	uint64_t efer = vmcs_read(VMCS_GUEST_EFER);
	value |= X86_CR0_ET;	/* hard-wired to 1 since the Pentium 4 */
	if ((value >> 32) || (value & ~vmx_cfg.cr0_fixed1 & ~vmx_cfg.guest_cr0_set) ||
	    ((value & X86_CR0_PG) && !(value & X86_CR0_PE)) || ((value & X86_CR0_NW) && !(value & X86_CR0_CD)))
		return false;
	if (!(old & X86_CR0_PG) && (value & X86_CR0_PG) && (efer & X86_EFER_LME)) {
		if (!(vmcs_read(VMCS_CR4_SHADOW) & X86_CR4_PAE))
			return false;
		vmx_set_long_mode(true);
	} else if ((old & X86_CR0_PG) && !(value & X86_CR0_PG) && (efer & X86_EFER_LMA)) {
		if (vmcs_read(VMCS_GUEST_CS_AR) & AR_L)
			return false;	/* paging cannot be turned off in 64-bit code */
		vmx_set_long_mode(false);
	}
	vmcs_write(VMCS_CR0_SHADOW, value);
	vmcs_write(VMCS_GUEST_CR0, value | vmx_cfg.guest_cr0_set);
	vmx_load_pdptes(v);
	vmx_flush_guest_tlb(v);
	return true;
}

/* MOV to CR4: VMXE and SMXE stay hidden (CPUID hides VMX and SMX), as do bits the CPU
 * cannot set in VMX operation; long mode needs PAE. */
static bool vmx_write_cr4(struct vcpu *v, uint64_t value)
{
	if ((value & vmx_cfg.cr4_forbidden) || (vmx_guest_long_mode() && !(value & X86_CR4_PAE)))
		return false;
	vmcs_write(VMCS_CR4_SHADOW, value);
	vmcs_write(VMCS_GUEST_CR4, value | vmx_cfg.guest_cr4_set);
	vmx_load_pdptes(v);
	vmx_flush_guest_tlb(v);
	return true;
}

/* Only MOV to CR0/CR4 can exit: CR3 and CR8 exiting are off, and CLTS/LMSW touch no
 * masked bit (vmx_controls.c). Anything else is reported. */
bool vmx_exit_cr_access(struct vcpu *v)
{
	uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	unsigned cr = CRQ_NUMBER(q);
	v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
	if (CRQ_TYPE(q) != CRQ_TYPE_MOV_TO_CR || (cr != 0 && cr != 4)) {
		vm_stop_vcpu(v, "unexpected CR-access exit, qualification %#llx",
			    (unsigned long long)q);
		return false;
	}
	uint64_t value = v->gprs.r[CRQ_GPR(q)];
	/* Outside 64-bit mode the operand is 32 bits (SDM Vol. 2B, MOV-Move to/from CR). */
	if (!vmx_guest_long_mode() || !(vmcs_read(VMCS_GUEST_CS_AR) & AR_L))
		value = (uint32_t)value;
	if (cr == 0 ? vmx_write_cr0(v, value) : vmx_write_cr4(v, value))
		vmx_skip_instruction(v);
	else
		vmx_inject_exception(v, X86_VECTOR_GP, true, 0);
	return true;
}
