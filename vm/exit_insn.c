/* exit_insn: CPUID, HLT, INVD, the instructions a guest cannot have, and a triple fault. */
#include "vm/vcpu_exit.h"

#include "vm/vcpu_arch.h"
#include "vm/hypercall.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vm.h"

bool vcpu_exit_cpuid(struct vcpu *v)
{
	struct cpuid_regs r;
	v->stats.by_reason[EXIT_REASON_CPUID]++;
	vcpu_cpuid(v, v->ops->get_reg(v, VCPU_CR4), (uint32_t)v->gprs.r[GPR_RAX],
		   (uint32_t)v->gprs.r[GPR_RCX], &r);
	v->gprs.r[GPR_RAX] = r.eax;
	v->gprs.r[GPR_RBX] = r.ebx;
	v->gprs.r[GPR_RCX] = r.ecx;
	v->gprs.r[GPR_RDX] = r.edx;
	vcpu_skip_instruction(v);
	return true;
}

/*
 * HLT: the vCPU waits for an interrupt (vm/vcpu_entry.c). Not when completing it raised
 * a single-step #DB: that event is delivered at once and ends the halt, as a pending
 * event wakes a halted CPU.
 */
bool vcpu_exit_hlt(struct vcpu *v)
{
	v->stats.by_reason[EXIT_REASON_HLT]++;
	uint64_t injected = v->stats.injected[INJECT_EXCEPTION];
	if (vcpu_skip_instruction(v) && v->stats.injected[INJECT_EXCEPTION] == injected)
		v->state = VCPU_HALTED;
	return true;
}

/* INVD: no caches to drop that the guest could see. */
bool vcpu_exit_invd(struct vcpu *v)
{
	v->stats.by_reason[EXIT_REASON_OTHER]++;
	vcpu_skip_instruction(v);
	return true;
}

/*
 * An instruction this guest cannot have: VMX/SVM instructions while CPUID hides them
 * (#UD: SDM Vol. 3C 31.3, APM 15.4), MONITOR/MWAIT (#UD while CPUID hides them), RDPMC
 * whose counter index is never valid here (#GP(0): SDM Vol. 2B, RDPMC).
 */
bool vcpu_exit_refused(struct vcpu *v, enum vcpu_exit_reason reason, uint8_t vector)
{
	v->stats.by_reason[reason]++;
	vcpu_inject_exception(v, vector, vector == X86_VECTOR_GP, 0);
	return true;
}

/*
 * VMCALL / VMMCALL, or a #UD the backend intercepts because the personality answers the
 * other vendor's instruction too (KVM's ABI): a hypercall when the instruction at RIP is
 * one and the personality has hypercalls, else the guest's own #UD (SDM Vol. 2C VMCALL;
 * APM Vol. 3 VMMCALL, with EFER.SVME clear as the guest sees it). vm/hypercall.c.
 */
bool vcpu_exit_hypercall(struct vcpu *v, enum vcpu_exit_reason reason)
{
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;

	v->stats.by_reason[reason]++;
	v->ops->emul_cpu(v, &cpu);
	enum x86_emul_status st = vcpu_hypercall_at_rip(v, &cpu, v->ops->decode_flags, &out);
	if (vcpu_finish_emulation(v, st, &cpu, &out))
		return true;
	vm_stop_vcpu(v, "cannot fetch the instruction at rip %#llx: %s",
		     (unsigned long long)cpu.rip, out.why);
	return false;
}

bool vcpu_exit_triple_fault(struct vcpu *v, const char *what)
{
	v->stats.by_reason[EXIT_REASON_TRIPLE_FAULT]++;
	vm_stop_vcpu(v, "triple fault (%s) at rip %#llx; nestor stops the VM instead of "
		     "resetting it", what, (unsigned long long)v->ops->get_reg(v, VCPU_RIP));
	return false;
}
