/* exit_msr: RDMSR and WRMSR for both vendors: EFER, PAT and the TSC here, the rest in vcpu_msr. */
#include "vm/vcpu_exit.h"

#include "arch/x86/cpu.h"
#include "vm/vcpu_arch.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

#define MSR_TSC 0x10
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080

#define EFER_SVME (1ull << 12)
#define EFER_FFXSR (1ull << 14)
/* CPUID.80000001H:ECX[2]: SVM (APM Vol. 3 E.4.2) */
#define EXT_ECX_SVM (1u << 2)
/* CPUID.80000001H:EDX (SDM Vol. 2A CPUID; APM Vol. 3 E.4.2) */
#define EXT_EDX_SYSCALL (1u << 11)
#define EXT_EDX_NX (1u << 20)
#define EXT_EDX_FFXSR (1u << 25)
#define EXT_EDX_LM (1u << 29)

/*
 * The EFER bits this guest may set: those whose feature its CPUID offers (SDM Vol. 4
 * IA32_EFER; APM Vol. 2 3.1.7: SCE with SYSCALL, LME/LMA with long mode, NXE with NX,
 * FFXSR with FFXSR, SVME with SVM: APM Vol. 2 15.4). LMSLE, TCE and the rest are not
 * offered: setting them is #GP.
 */
static uint64_t efer_allowed(struct vcpu *v)
{
	struct cpuid_regs r;
	uint64_t ok = 0;
	vcpu_cpuid(v, v->ops->get_reg(v, VCPU_CR4), 0x80000001, 0, &r);
	/* Intel reports SYSCALL only to 64-bit code, yet EFER.SCE exists on every CPU with
	 * long mode (SDM Vol. 2A CPUID, 80000001H:EDX[11]). */
	if (r.edx & (EXT_EDX_SYSCALL | EXT_EDX_LM))
		ok |= X86_EFER_SCE;
	if (r.edx & EXT_EDX_LM)
		ok |= X86_EFER_LME | X86_EFER_LMA;
	if (r.edx & EXT_EDX_NX)
		ok |= X86_EFER_NXE;
	if (r.edx & EXT_EDX_FFXSR)
		ok |= EFER_FFXSR;
	/* VM_CR.SVMDIS makes SVME MBZ (APM 15.30.1). */
	if ((r.ecx & EXT_ECX_SVM) && !(v->msrs.vm_cr & (1ull << 4)))
		ok |= EFER_SVME;
	return ok;
}

/*
 * WRMSR to EFER: #GP for a bit this guest does not have, and for a change of LME while
 * paging is on (SDM Vol. 3A 10.8.5; APM Vol. 2 14.6.1). LMA is the CPU's: a write leaves
 * it as it is (it follows CR0.PG with LME, vm/exit_cr.c).
 */
static enum msr_result write_efer(struct vcpu *v, uint64_t value)
{
	const struct vcpu_arch_ops *ops = v->ops;
	uint64_t cur = ops->get_reg(v, VCPU_EFER);
	if (value & ~efer_allowed(v))
		return MSR_GP;
	if ((ops->get_reg(v, VCPU_CR0) & X86_CR0_PG) && ((value ^ cur) & X86_EFER_LME))
		return MSR_GP;
	value = (value & ~X86_EFER_LMA) | (cur & X86_EFER_LMA);
	return ops->set_reg(v, VCPU_EFER, value) ? MSR_OK : MSR_GP;
}

static enum msr_result msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_EFER: *value = v->ops->get_reg(v, VCPU_EFER); return MSR_OK;
	case MSR_PAT: *value = v->ops->get_reg(v, VCPU_PAT); return MSR_OK;
	case MSR_TSC: *value = rdtsc() + v->ops->get_reg(v, VCPU_TSC_OFFSET); return MSR_OK;
	default: {
		enum msr_result r = vcpu_msr_read(v, msr, value);
		if (r != MSR_GUEST_STATE)
			return r;
		v->ops->switched_msr(v, msr, value, false);
		return MSR_OK;
	}
	}
}

static enum msr_result msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	switch (msr) {
	case MSR_EFER:
		return write_efer(v, value);
	case MSR_PAT:
		/* SDM Vol. 3A 13.12.2: a reserved memory type in any entry is #GP. */
		if (!vcpu_msr_pat_valid(value))
			return MSR_GP;
		return v->ops->set_reg(v, VCPU_PAT, value) ? MSR_OK : MSR_GP;
	case MSR_TSC:
		/* The guest's TSC is the host's plus the offset both vendors add (SDM 25.3,
		 * APM 15.30.5). */
		v->ops->set_reg(v, VCPU_TSC_OFFSET, value - rdtsc());
		/* ... and the TSC-deadline timer reads the same count (SDM 11.5.4.1). */
		vlapic_timer_set_tsc_offset(apic_vm_vcpu(&v->vm->apic, v->id), value - rdtsc());
		return MSR_OK;
	default: {
		enum msr_result r = vcpu_msr_write(v, msr, value);
		if (r != MSR_GUEST_STATE)
			return r;
		v->ops->switched_msr(v, msr, &value, true);
		return MSR_OK;
	}
	}
}

/* ECX names the MSR, EDX:EAX holds the value (SDM Vol. 2B RDMSR/WRMSR). */
bool vcpu_exit_msr(struct vcpu *v, bool write)
{
	uint32_t msr = (uint32_t)v->gprs.r[GPR_RCX];
	enum msr_result r;

	v->stats.by_reason[write ? EXIT_REASON_MSR_WRITE : EXIT_REASON_MSR_READ]++;
	exit_tally_add(&v->stats.sources, write ? EXIT_SOURCE_MSR_WRITE : EXIT_SOURCE_MSR_READ, msr, 1);
	if (write) {
		uint64_t value = (v->gprs.r[GPR_RDX] << 32) | (uint32_t)v->gprs.r[GPR_RAX];
		r = msr_write(v, msr, value);
	} else {
		uint64_t value = 0;
		r = msr_read(v, msr, &value);
		if (r == MSR_OK) {
			v->gprs.r[GPR_RAX] = (uint32_t)value;
			v->gprs.r[GPR_RDX] = value >> 32;
		}
	}
	if (r == MSR_GP)
		vcpu_inject_gp(v);
	else
		vcpu_skip_instruction(v);
	return true;
}
