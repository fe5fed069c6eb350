/* vmx_emul: the guest state the decoder sees, RIP advance and exception injection on VMX. */
#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vm.h"

bool vmx_guest_long_mode(void)
{
	return vmcs_read(VMCS_ENTRY_CONTROLS) & ENTRY_IA32E_GUEST;
}

/*
 * The CPU's own view (not the read shadows): CR0/CR4 as they drive paging, EFER from the
 * VMCS (saved on every exit), and CPL = SS.DPL (SDM Vol. 3A 5.5). On exit the "IA-32e mode
 * guest" entry control holds EFER.LMA (IA32_VMX_MISC[5], SDM A.6).
 */
void vmx_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu)
{
	uint32_t cs_ar = (uint32_t)vmcs_read(VMCS_GUEST_CS_AR);
	cpu->gprs = &v->gprs;
	cpu->rip = vmcs_read(VMCS_GUEST_RIP);
	cpu->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	cpu->mode = x86_mode_from_cs(vmx_guest_long_mode(), cs_ar & AR_L, cs_ar & AR_DB);
	cpu->cpl = ((uint32_t)vmcs_read(VMCS_GUEST_SS_AR) >> AR_DPL_SHIFT) & 3;
	cpu->seg_base[X86_SEG_ES] = vmcs_read(VMCS_GUEST_ES_BASE);
	cpu->seg_base[X86_SEG_CS] = vmcs_read(VMCS_GUEST_CS_BASE);
	cpu->seg_base[X86_SEG_SS] = vmcs_read(VMCS_GUEST_SS_BASE);
	cpu->seg_base[X86_SEG_DS] = vmcs_read(VMCS_GUEST_DS_BASE);
	cpu->seg_base[X86_SEG_FS] = vmcs_read(VMCS_GUEST_FS_BASE);
	cpu->seg_base[X86_SEG_GS] = vmcs_read(VMCS_GUEST_GS_BASE);
	cpu->mem = &v->vm->mem;
	cpu->paging = (struct guest_paging){ vmcs_read(VMCS_GUEST_CR0), vmcs_read(VMCS_GUEST_CR3),
					     vmcs_read(VMCS_GUEST_CR4),
					     vmcs_read(VMCS_GUEST_EFER), 0 };
}

/*
 * An instruction nestor carried out for the guest is complete: RIP moves on, and any STI /
 * MOV SS blocking it ran under ends with it (SDM 26.3.1.5 refuses an injected interrupt
 * while the VMCS still claims that blocking).
 */
void vmx_complete_instruction(uint64_t next_rip)
{
	uint32_t intr = (uint32_t)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	vmcs_write(VMCS_GUEST_RIP, next_rip);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   intr & ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/* With the length the CPU reported (SDM 27.2.5: valid for every instruction-caused exit
 * nestor skips: CPUID, HLT, INVD, RDMSR/WRMSR, I/O, MOV CR, XSETBV). */
void vmx_skip_instruction(struct vcpu *v)
{
	(void)v;
	vmx_complete_instruction(vmcs_read(VMCS_GUEST_RIP) + vmcs_read(VMCS_EXIT_INSTRUCTION_LEN));
}

/* A hardware exception for the next entry (SDM 26.5.1). In real mode no error code is
 * pushed, and 26.2.1.3 refuses one there. */
void vmx_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	uint32_t info = vector | INTR_TYPE_HW_EXCEPTION | INTR_INFO_VALID;
	if (has_error && (vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PE)) {
		info |= INTR_INFO_ERROR_VALID;
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, error);
	}
	vmcs_write(VMCS_ENTRY_INTR_INFO, info);
	v->stats.injected[INJECT_EXCEPTION]++;
}

/* CR2 is not in the VMCS (SDM 24.4.1): the guest's lives in the register itself. */
static void write_guest_cr2(uint64_t value)
{
	__asm__ volatile("mov %0, %%cr2" ::"r"(value) : "memory");
}

/*
 * An emulated instruction's outcome: done (RIP and RFLAGS from the emulator), or the
 * exception the CPU would have raised. False for what nestor cannot carry out; the caller
 * stops the VM naming the access and out->why.
 */
bool vmx_finish_emulation(struct vcpu *v, enum x86_emul_status st, const struct x86_emul_cpu *cpu,
			  const struct x86_emul_outcome *out)
{
	switch (st) {
	case X86_EMUL_OK:
		vmcs_write(VMCS_GUEST_RFLAGS, cpu->rflags);
		vmx_complete_instruction(cpu->rip);
		return true;
	case X86_EMUL_UD:
		vmx_inject_exception(v, X86_VECTOR_UD, false, 0);
		return true;
	case X86_EMUL_GP:
		vmx_inject_exception(v, X86_VECTOR_GP, true, 0);
		return true;
	case X86_EMUL_PAGE_FAULT:
		write_guest_cr2(out->fault_linear);
		vmx_inject_exception(v, X86_VECTOR_PF, true, out->pf_error);
		return true;
	default:
		return false;
	}
}
