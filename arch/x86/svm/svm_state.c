/* svm_state: the guest state in the VMCB as the shared exit handlers see it (vm/vcpu_arch.h). */
#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "vm/vcpu_arch.h"
#include "vm/vm.h"

/* VMCB attrib bits 8-11 hold descriptor bits 52-55: AVL, L, D/B, G. */
#define ATTR_L (1u << 9)
#define ATTR_DB (1u << 10)

/*
 * EFER.SVME as the guest sees it. vmcb01 always has it set (VMRUN refuses a guest
 * without it, APM 15.5.1): L1 sees the SVME it wrote itself (only when SVM is offered,
 * vm/exit_msr.c), else none. L2's is vmcb02's own, which the checks made 1.
 */
static uint64_t svm_guest_efer(const struct svm_vcpu *s)
{
	uint64_t efer = s->vmcb->save.efer;
	if (s->vmcb != s->vmcb01)
		return efer;
	efer &= ~SVM_EFER_SVME;
	if (s->nested && s->nested->efer_svme)
		efer |= SVM_EFER_SVME;
	return efer;
}

uint64_t svm_get_reg(struct vcpu *v, enum vcpu_reg r)
{
	const struct svm_vcpu *s = svm_of(v);
	const struct vmcb_save *st = &s->vmcb->save;
	switch (r) {
	case VCPU_RIP: return st->rip;
	case VCPU_RFLAGS: return st->rflags;
	case VCPU_CR0: return st->cr0;
	case VCPU_CR2: return st->cr2;
	case VCPU_CR3: return st->cr3;
	case VCPU_CR4: return st->cr4;
	case VCPU_EFER: return svm_guest_efer(s);
	case VCPU_PAT: return st->g_pat;
	case VCPU_DR6: return st->dr6;
	case VCPU_DR7: return st->dr7;
	case VCPU_TSC_OFFSET: return s->vmcb->control.tsc_offset;
	default: return 0;
	}
}

/*
 * With nested paging the guest's CR0, CR3, CR4 and EFER are the VMCB's, taken at VMRUN
 * (APM 15.5.1, 15.25.1). A change of the paging controls must drop the guest's cached
 * translations: without flush-by-ASID (QEMU TCG) that is a full flush at the next VMRUN.
 */
bool svm_set_reg(struct vcpu *v, enum vcpu_reg r, uint64_t value)
{
	struct svm_vcpu *s = svm_of(v);
	struct vmcb_save *st = &s->vmcb->save;
	switch (r) {
	case VCPU_RIP: st->rip = value; break;
	case VCPU_RFLAGS: st->rflags = value; break;
	case VCPU_CR0: st->cr0 = value; s->flush_tlb = true; break;
	case VCPU_CR2: st->cr2 = value; break;
	case VCPU_CR3: st->cr3 = value; s->flush_tlb = true; break;
	case VCPU_CR4: st->cr4 = value; s->flush_tlb = true; break;
	/* VMRUN refuses a guest without EFER.SVME (APM 15.5.1): L1's own choice is kept
	 * aside (svm_guest_efer). */
	case VCPU_EFER:
		if (s->vmcb == s->vmcb01 && s->nested)
			s->nested->efer_svme = value & SVM_EFER_SVME;
		st->efer = value | SVM_EFER_SVME;
		s->flush_tlb = true;
		break;
	case VCPU_PAT: st->g_pat = value; break;
	case VCPU_DR6: st->dr6 = value; break;
	case VCPU_DR7: st->dr7 = value; break;
	case VCPU_TSC_OFFSET: s->vmcb->control.tsc_offset = value; break;
	default: return false;
	}
	return true;
}

/*
 * #VMEXIT and VMSAVE leave the guest's SYSENTER, SYSCALL, FS/GS and KERNEL_GS_BASE values
 * in the VMCB and VMRUN/VMLOAD put them back (APM 15.5.2, 15.5.3 VMSAVE): those are the
 * VMCB's. TSC_AUX is not switched and stays the guest's in the register.
 */
static uint64_t *svm_switched_field(struct vmcb_save *st, uint32_t msr)
{
	switch (msr) {
	case 0x174: return &st->sysenter_cs;
	case 0x175: return &st->sysenter_esp;
	case 0x176: return &st->sysenter_eip;
	case 0xc0000081: return &st->star;
	case 0xc0000082: return &st->lstar;
	case 0xc0000083: return &st->cstar;
	case 0xc0000084: return &st->sfmask;
	case 0xc0000100: return &st->fs.base;
	case 0xc0000101: return &st->gs.base;
	case 0xc0000102: return &st->kernel_gs_base;
	default: return NULL;
	}
}

void svm_switched_msr(struct vcpu *v, uint32_t msr, uint64_t *value, bool write)
{
	uint64_t *p = svm_switched_field(&svm_of(v)->vmcb->save, msr);
	if (p && write)
		*p = *value;
	else if (p)
		*value = *p;
	else if (write)
		wrmsr(msr, *value);
	else
		*value = rdmsr(msr);
}

void svm_emul_cpu(struct vcpu *v, struct x86_emul_cpu *cpu)
{
	const struct svm_vcpu *s = svm_of(v);
	const struct vmcb_save *st = &s->vmcb->save;
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
	/* L2's physical addresses are L1's only without L1's nested paging. */
	cpu->mem = v->guest_mode && s->nested->l1_npt ? &s->nested->l2_mem : &v->vm->mem;
	cpu->paging = (struct guest_paging){ st->cr0, st->cr3, st->cr4,
					     st->efer & ~SVM_EFER_SVME, 0 };
}

unsigned svm_cpl(struct vcpu *v)
{
	return svm_of(v)->vmcb->save.cpl;
}

bool svm_long_mode_code(struct vcpu *v)
{
	const struct vmcb_save *st = &svm_of(v)->vmcb->save;
	return (st->efer & SVM_EFER_LMA) && (st->cs.attrib & ATTR_L);
}

/* Known for IOIO (EXITINFO2, APM 15.10.2) and, with NRIPS, for the instruction
 * intercepts (15.7.1); 0 otherwise, and the shared code decodes. */
unsigned svm_exit_insn_len(struct vcpu *v)
{
	const struct svm_vcpu *s = svm_of(v);
	uint64_t rip = s->vmcb->save.rip;
	if (s->exit_next_rip > rip && s->exit_next_rip - rip <= 15)
		return (unsigned)(s->exit_next_rip - rip);
	return 0;
}

void svm_clear_interrupt_shadow(struct vcpu *v)
{
	svm_of(v)->vmcb->control.interrupt_shadow = 0;
}

/* EVENTINJ (APM 15.20): vector, type, error code; the event types are VMX's numbers
 * except for software exceptions, which SVM calls exceptions (type 3). */
void svm_inject(struct vcpu *v, const struct vcpu_event *ev)
{
	uint64_t type;
	switch (ev->type) {
	case VCPU_EVENT_EXTINT: type = SVM_EVENT_TYPE_INTR; break;
	case VCPU_EVENT_NMI: type = SVM_EVENT_TYPE_NMI; break;
	case VCPU_EVENT_SOFT_INT: type = SVM_EVENT_TYPE_SOFT_INT; break;
	default: type = SVM_EVENT_TYPE_EXCEPTION; break;
	}
	uint64_t e = ev->vector | type | SVM_EVENT_VALID;
	if (ev->has_error)
		e |= SVM_EVENT_ERROR_VALID | ((uint64_t)ev->error << 32);
	svm_of(v)->vmcb->control.event_inj = e;
}

/* EXITINTINFO has EVENTINJ's format (APM 15.7.2); QEMU leaves stale bits with V clear
 * (emulators.md), so only V decides. */
void svm_undelivered_event(struct vcpu *v, struct vcpu_event *ev)
{
	struct svm_vcpu *s = svm_of(v);
	uint64_t info = s->vmcb->control.exit_int_info;
	*ev = (struct vcpu_event){ 0 };
	if (!(info & SVM_EVENT_VALID))
		return;
	uint64_t type = info & SVM_EVENT_TYPE_MASK;
	ev->valid = true;
	ev->vector = (uint8_t)info;
	ev->type = type == SVM_EVENT_TYPE_INTR ? VCPU_EVENT_EXTINT
		 : type == SVM_EVENT_TYPE_NMI ? VCPU_EVENT_NMI
		 : type == SVM_EVENT_TYPE_SOFT_INT ? VCPU_EVENT_SOFT_INT : VCPU_EVENT_EXCEPTION;
	ev->has_error = info & SVM_EVENT_ERROR_VALID;
	ev->error = (uint32_t)(info >> 32);
	/* An NMI that never reached the guest does not block NMIs yet. */
	if (ev->type == VCPU_EVENT_NMI)
		s->nmi_blocked = false;
}
