/* vmx_msr: RDMSR/WRMSR exits: EFER, PAT and the TSC live in the VMCS, the rest is vcpu_msr's. */
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vcpu_msr.h"

#define MSR_TSC 0x10
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080

/*
 * WRMSR to EFER (SDM Vol. 4, IA32_EFER; Vol. 3A 10.8.5): SCE, LME and NXE are the guest's,
 * LMA is the CPU's (kept), and LME cannot change while paging is on. The VMCS copy is
 * what the "load IA32_EFER" entry control puts in the register.
 */
static enum msr_result vmx_write_efer(uint64_t value)
{
	uint64_t cur = vmcs_read(VMCS_GUEST_EFER);
	if (value & ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE))
		return MSR_GP;
	if ((vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PG) && ((value ^ cur) & X86_EFER_LME))
		return MSR_GP;
	vmcs_write(VMCS_GUEST_EFER, (value & ~X86_EFER_LMA) | (cur & X86_EFER_LMA));
	return MSR_OK;
}

/*
 * MSRs the CPU switches (vcpu_msr's MSR_GUEST_STATE): FS/GS base and SYSENTER live in the
 * VMCS guest state (SDM 24.4.1); KERNEL_GS_BASE, the SYSCALL MSRs and TSC_AUX are not
 * switched at all and stay the guest's in the registers (docs/vmx.md).
 */
static uint32_t vmx_switched_field(uint32_t msr)
{
	switch (msr) {
	case 0x174: return VMCS_GUEST_SYSENTER_CS;
	case 0x175: return VMCS_GUEST_SYSENTER_ESP;
	case 0x176: return VMCS_GUEST_SYSENTER_EIP;
	case 0xc0000100: return VMCS_GUEST_FS_BASE;
	case 0xc0000101: return VMCS_GUEST_GS_BASE;
	default: return 0;
	}
}

static enum msr_result vmx_guest_state_msr(uint32_t msr, uint64_t *value, bool write)
{
	uint32_t field = vmx_switched_field(msr);
	if (field && write)
		vmcs_write(field, *value);
	else if (field)
		*value = vmcs_read(field);
	else if (write)
		wrmsr(msr, *value);
	else
		*value = rdmsr(msr);
	return MSR_OK;
}

/* The MSRs whose guest copy lives in the VMCS; everything else is vcpu_msr's. */
static enum msr_result vmx_msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_EFER: *value = vmcs_read(VMCS_GUEST_EFER); return MSR_OK;
	case MSR_PAT: *value = vmcs_read(VMCS_GUEST_PAT); return MSR_OK;
	case MSR_TSC: *value = rdtsc() + vmcs_read(VMCS_TSC_OFFSET); return MSR_OK;
	default: {
		enum msr_result r = vcpu_msr_read(v, msr, value);
		return r == MSR_GUEST_STATE ? vmx_guest_state_msr(msr, value, false) : r;
	}
	}
}

static enum msr_result vmx_msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	switch (msr) {
	case MSR_EFER:
		return vmx_write_efer(value);
	case MSR_PAT:
		if (!vcpu_msr_pat_valid(value))
			return MSR_GP;
		vmcs_write(VMCS_GUEST_PAT, value);
		return MSR_OK;
	case MSR_TSC:
		vmcs_write(VMCS_TSC_OFFSET, value - rdtsc());
		return MSR_OK;
	default: {
		enum msr_result r = vcpu_msr_write(v, msr, value);
		return r == MSR_GUEST_STATE ? vmx_guest_state_msr(msr, &value, true) : r;
	}
	}
}

bool vmx_exit_msr(struct vcpu *v, bool write)
{
	uint32_t msr = (uint32_t)v->gprs.r[GPR_RCX];
	enum msr_result r;

	v->stats.by_reason[write ? EXIT_REASON_MSR_WRITE : EXIT_REASON_MSR_READ]++;
	if (write) {
		uint64_t value = (v->gprs.r[GPR_RDX] << 32) | (uint32_t)v->gprs.r[GPR_RAX];
		r = vmx_msr_write(v, msr, value);
	} else {
		uint64_t value = 0;
		r = vmx_msr_read(v, msr, &value);
		if (r == MSR_OK) {
			v->gprs.r[GPR_RAX] = (uint32_t)value;
			v->gprs.r[GPR_RDX] = value >> 32;
		}
	}
	if (r == MSR_GP)
		vmx_inject_exception(v, X86_VECTOR_GP, true, 0);
	else
		vmx_skip_instruction(v);
	return true;
}
