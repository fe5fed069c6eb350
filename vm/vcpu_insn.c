/* vcpu_insn: finishing an instruction nestor carried out for the guest, and exceptions. */
#include "vm/vcpu_exit.h"

#include "arch/x86/regs.h"
#include "vm/vcpu_arch.h"
#include "vm/vm.h"

#define DR6_BS (1ull << 14)

void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	struct vcpu_event ev = { .valid = true, .type = VCPU_EVENT_EXCEPTION, .vector = vector,
				 .has_error = has_error, .error = error };
	v->ops->inject(v, &ev);
	v->stats.injected[INJECT_EXCEPTION]++;
}

void vcpu_inject_gp(struct vcpu *v)
{
	vcpu_inject_exception(v, X86_VECTOR_GP, true, 0);
}

void vcpu_inject_ud(struct vcpu *v)
{
	vcpu_inject_exception(v, X86_VECTOR_UD, false, 0);
}

/*
 * The instruction the guest executed is done, carried out by nestor instead of the CPU:
 * - RIP moves past it;
 * - blocking by STI or MOV SS covered exactly this instruction and ends with it (SDM Vol. 3A
 *   6.8.3, APM Vol. 2 15.21.5); a shadow left behind would hold off an interrupt for one
 *   more instruction, or across a HLT, and VMX refuses to inject while it claims one
 *   (SDM 26.3.1.5);
 * - with RFLAGS.TF set when it began, the CPU would raise a single-step #DB trap right after
 *   it (SDM Vol. 3A 18.3.1.4), DR6.BS set: nestor raises it.
 */
void vcpu_complete_instruction(struct vcpu *v, uint64_t next_rip)
{
	const struct vcpu_arch_ops *ops = v->ops;
	bool single_step = ops->get_reg(v, VCPU_RFLAGS) & RFLAGS_TF;
	ops->set_reg(v, VCPU_RIP, next_rip);
	ops->clear_interrupt_shadow(v);
	if (single_step) {
		ops->set_reg(v, VCPU_DR6, ops->get_reg(v, VCPU_DR6) | DR6_BS);
		vcpu_inject_exception(v, X86_VECTOR_DB, false, 0);
	}
}

/*
 * Fetches and decodes the instruction at the guest's RIP with the vendor's rules. When
 * that faults (a #PF on the fetch, #GP for 15+ bytes, #UD), the fault is queued for the
 * guest, or the VM stopped if it cannot be; false then, and the instruction is not done.
 */
bool vcpu_fetch_insn(struct vcpu *v, const char *what, struct x86_insn *insn)
{
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	v->ops->emul_cpu(v, &cpu);
	enum x86_emul_status st = x86_fetch_decode(&cpu, v->ops->decode_flags, insn, &out);
	if (st == X86_EMUL_OK)
		return true;
	if (!vcpu_finish_emulation(v, st, &cpu, &out))
		vm_stop_vcpu(v, "%s: cannot fetch the instruction at rip %#llx: %s", what,
			     (unsigned long long)cpu.rip, out.why);
	return false;
}

/*
 * Skips the intercepted instruction: by the length the CPU reported, or (SVM without
 * NRIPS, as under QEMU TCG) by decoding it, because a prefix or two in front of CPUID or
 * RDMSR is legal and would break a fixed length. False when fetching it faulted: the
 * fault is queued and the instruction is not done.
 */
bool vcpu_skip_instruction(struct vcpu *v)
{
	unsigned len = v->ops->exit_insn_len(v);
	if (!len) {
		struct x86_insn insn;
		if (!vcpu_fetch_insn(v, "skipping an intercepted instruction", &insn))
			return false;
		len = insn.len;
	}
	vcpu_complete_instruction(v, v->ops->get_reg(v, VCPU_RIP) + len);
	return true;
}

/*
 * An emulated instruction's outcome: done (RIP and RFLAGS from the emulator), or the
 * exception the CPU would have raised. False for what nestor cannot carry out; the caller
 * stops the VM naming the access and out->why.
 */
bool vcpu_finish_emulation(struct vcpu *v, enum x86_emul_status st,
			   const struct x86_emul_cpu *cpu, const struct x86_emul_outcome *out)
{
	switch (st) {
	case X86_EMUL_OK:
		/* TF comes from RFLAGS as the instruction began: none of the emulated
		 * instructions changes it. A REP string instruction with iterations left keeps
		 * its RIP and is not complete yet: the next entry runs it on. */
		v->ops->set_reg(v, VCPU_RFLAGS, cpu->rflags);
		if (cpu->rip != v->ops->get_reg(v, VCPU_RIP))
			vcpu_complete_instruction(v, cpu->rip);
		return true;
	case X86_EMUL_UD:
		vcpu_inject_ud(v);
		return true;
	case X86_EMUL_GP:
		vcpu_inject_gp(v);
		return true;
	case X86_EMUL_PAGE_FAULT:
		v->ops->set_reg(v, VCPU_CR2, out->fault_linear);
		vcpu_inject_exception(v, X86_VECTOR_PF, true, out->pf_error);
		return true;
	default:
		return false;
	}
}
