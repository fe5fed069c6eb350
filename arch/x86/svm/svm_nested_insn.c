/* svm_nested_insn: L1's VMLOAD, VMSAVE, STGI, CLGI, INVLPGA and SKINIT, as the processor runs them. */
#include "apic/apic_vm.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "lib/log.h"
#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_merge.h"
#include "vm/vcpu_exit.h"
#include "vm/vm.h"

/*
 * L1's state as an SVM instruction sees it: the decoded instruction (no NRIPS: nestor
 * needs its length) and rAX at the instruction's address size. False when fetching it
 * faulted (the fault is queued) or stopped the VM.
 */
static bool l1_insn_state(struct vcpu *v, struct x86_insn *insn, struct nsvm_vmrun *run)
{
	const struct vcpu_arch_ops *ops = v->ops;
	if (!vcpu_fetch_insn(v, "SVM instruction", insn))
		return false;
	uint64_t rax = v->gprs.r[GPR_RAX];
	if (insn->addrsize == 4)
		rax = (uint32_t)rax;
	else if (insn->addrsize == 2)
		rax = (uint16_t)rax;
	*run = (struct nsvm_vmrun){ .rax = rax, .efer = ops->get_reg(v, VCPU_EFER),
				    .cr0 = ops->get_reg(v, VCPU_CR0),
				    .rflags = ops->get_reg(v, VCPU_RFLAGS), .cpl = (uint8_t)ops->cpl(v) };
	return true;
}

/* The instruction's own faults; true when it may go on. */
static bool l1_insn_allowed(struct vcpu *v, const char *name, const struct nsvm_vmrun *run,
			    bool vmcb_in_rax)
{
	struct svm_nested *n = svm_of(v)->nested;
	struct nsvm_check_input in = { run, NULL, svm_nested_features(v), &n->ram };
	const struct nsvm_check *c = nsvm_insn_check(&in, vmcb_in_rax);
	if (!c)
		return true;
	char line[200];
	nsvm_check_describe(line, sizeof(line), c, &in);
	log_info("vcpu%u: L1 %s at rip %#llx: %s", v->id, name,
		 (unsigned long long)v->ops->get_reg(v, VCPU_RIP), line);
	if (c->outcome == NSVM_UD)
		vcpu_inject_ud(v);
	else
		vcpu_inject_gp(v);
	return false;
}

static void done(struct vcpu *v, const struct x86_insn *insn)
{
	vcpu_complete_instruction(v, v->ops->get_reg(v, VCPU_RIP) + insn->len);
}

/*
 * VMLOAD / VMSAVE (APM Vol. 3): FS, GS, TR, LDTR, KernelGsBase, the SYSCALL and SYSENTER
 * MSRs between the VMCB at rAX and the processor, which for L1 is vmcb01's save area
 * (svm_entry.asm VMLOADs it before every VMRUN and VMSAVEs it after).
 */
static void vmload_vmsave(struct vcpu *v, bool load, const struct x86_insn *insn,
			  const struct nsvm_vmrun *run)
{
	struct svm_vcpu *s = svm_of(v);
	struct vmcb *mem = guest_mem_ptr(&v->vm->mem, run->rax, sizeof(struct vmcb));
	if (load) {
		s->nested->stats.vmload++;
		nsvm_copy_vmload_state(&s->vmcb01->save, &mem->save);
	} else {
		s->nested->stats.vmsave++;
		nsvm_copy_vmload_state(&mem->save, &s->vmcb01->save);
	}
	done(v, insn);
}

/*
 * STGI / CLGI (15.17): GIF is nestor's to emulate. While it is clear nothing is
 * injected into L1 (svm_intr_state tells apic/); setting it makes apic/ decide again.
 */
static void set_gif(struct vcpu *v, bool gif, const struct x86_insn *insn)
{
	struct svm_nested *n = svm_of(v)->nested;
	if (gif) {
		n->stats.stgi++;
		if (!svm_nested_gif(svm_of(v)))
			vlapic_request_event(apic_vm_vcpu(&v->vm->apic, v->id));
	} else {
		n->stats.clgi++;
	}
	svm_nested_set_gif(svm_of(v), gif);
	done(v, insn);
}

/* INVLPGA (15.16.2): one page of one ASID; nestor flushes every ASID at the next VMRUN,
 * a superset. The shadow NPT caches L1's nested table, not linear translations: kept. */
static void invlpga(struct vcpu *v, const struct x86_insn *insn)
{
	struct svm_vcpu *s = svm_of(v);
	s->nested->stats.invlpga++;
	s->flush_tlb = true;
	done(v, insn);
}

bool svm_nested_l1_insn(struct vcpu *v, uint64_t code)
{
	struct x86_insn insn;
	struct nsvm_vmrun run;
	v->stats.by_reason[EXIT_REASON_VIRT_INSN]++;
	if (code == SVM_EXIT_VMRUN)
		return svm_nested_vmrun(v);
	/* SKINIT is not offered (CPUID 8000_0001h.ECX[12] clear): #UD (APM Vol. 3, SKINIT). */
	if (code == SVM_EXIT_SKINIT) {
		vcpu_inject_ud(v);
		return true;
	}
	if (!l1_insn_state(v, &insn, &run))
		return !v->vm->stopping;
	switch (code) {
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
		if (l1_insn_allowed(v, code == SVM_EXIT_VMLOAD ? "VMLOAD" : "VMSAVE", &run, true))
			vmload_vmsave(v, code == SVM_EXIT_VMLOAD, &insn, &run);
		return true;
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
		if (l1_insn_allowed(v, code == SVM_EXIT_STGI ? "STGI" : "CLGI", &run, false))
			set_gif(v, code == SVM_EXIT_STGI, &insn);
		return true;
	default:	/* INVLPGA */
		if (l1_insn_allowed(v, "INVLPGA", &run, false))
			invlpga(v, &insn);
		return true;
	}
}
