/* svm_emul: the guest state the instruction decoder and emulator see, from the VMCB. */
#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/svm/svm_internal.h"
#include "vm/vm.h"

/* VMCB attrib bits 8-11 hold descriptor bits 52-55: AVL, L, D/B, G. */
#define ATTR_L (1u << 9)
#define ATTR_DB (1u << 10)

void svm_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu)
{
	const struct vmcb_save *st = &svm_of(v)->vmcb->save;
	cpu->gprs = &v->gprs;
	cpu->rip = st->rip;
	cpu->rflags = st->rflags;
	cpu->mode = x86_mode_from_cs(st->efer & SVM_EFER_LMA, st->cs.attrib & ATTR_L,
				     st->cs.attrib & ATTR_DB);
	cpu->cpl = st->cpl;
	cpu->seg_base[X86_SEG_ES] = st->es.base;
	cpu->seg_base[X86_SEG_CS] = st->cs.base;
	cpu->seg_base[X86_SEG_SS] = st->ss.base;
	cpu->seg_base[X86_SEG_DS] = st->ds.base;
	cpu->seg_base[X86_SEG_FS] = st->fs.base;
	cpu->seg_base[X86_SEG_GS] = st->gs.base;
	cpu->mem = &v->vm->mem;
	cpu->paging = (struct guest_paging){ st->cr0, st->cr3, st->cr4,
					     st->efer & ~SVM_EFER_SVME, 0 };
}

/*
 * Without NRIPS (QEMU TCG) the CPU does not say where the intercepted instruction ends,
 * so nestor decodes it: a prefix or two in front of CPUID or RDMSR is legal and would
 * break a fixed length.
 */
bool svm_skip_instruction(struct vcpu *v)
{
	struct vmcb *vmcb = svm_of(v)->vmcb;
	struct x86_emul_cpu cpu;
	struct x86_insn insn;
	struct x86_emul_outcome out;

	svm_emul_cpu(v, &cpu);
	enum x86_emul_status st = x86_fetch_decode(&cpu, X86_DECODE_AMD, &insn, &out);
	if (st == X86_EMUL_OK) {
		vmcb->save.rip += insn.len;
		return true;
	}
	/* The fetch faulted: the exception goes to the guest, the instruction is not done. */
	if (!svm_finish_emulation(v, st, &cpu, &out))
		vm_stop_vcpu(v, "cannot fetch the instruction at rip %#llx: %s",
			    (unsigned long long)vmcb->save.rip, out.why);
	return false;
}

/*
 * An emulated instruction's outcome: done (RIP and RFLAGS from the emulator), or the
 * exception the CPU would have raised. False for what nestor cannot carry out; the caller
 * stops the VM naming the access and out->why.
 */
bool svm_finish_emulation(struct vcpu *v, enum x86_emul_status st, const struct x86_emul_cpu *cpu,
			  const struct x86_emul_outcome *out)
{
	struct vmcb *vmcb = svm_of(v)->vmcb;

	switch (st) {
	case X86_EMUL_OK:
		vmcb->save.rip = cpu->rip;
		vmcb->save.rflags = cpu->rflags;
		return true;
	case X86_EMUL_UD:
		svm_inject_exception(v, X86_VECTOR_UD, false, 0);
		return true;
	case X86_EMUL_GP:
		svm_inject_exception(v, X86_VECTOR_GP, true, 0);
		return true;
	case X86_EMUL_PAGE_FAULT:
		vmcb->save.cr2 = out->fault_linear;
		svm_inject_exception(v, X86_VECTOR_PF, true, out->pf_error);
		return true;
	default:
		return false;
	}
}

void svm_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error)
{
	uint64_t ev = vector | SVM_EVENT_TYPE_EXCEPTION | SVM_EVENT_VALID;
	if (has_error)
		ev |= SVM_EVENT_ERROR_VALID | ((uint64_t)error << 32);
	svm_of(v)->vmcb->control.event_inj = ev;
	v->stats.injected[INJECT_EXCEPTION]++;
}
