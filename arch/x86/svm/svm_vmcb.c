/* svm_vmcb: building a vCPU's VMCB: intercepts and architectural start states. */
#include "arch/x86/guest_entry.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/string.h"
#include "vm/hypercall.h"
#include "vm/vm.h"

#define EFER_SVME (1ull << 12)

/* Segment attributes in VMCB form (descriptor bits 40-47 and 52-55, see vmcb.h). */
#define ATTR_CODE32 0xc9b	/* present, code execute/read accessed, D=1, G=1 */
#define ATTR_CODE64 0xa9b	/* present, code execute/read accessed, L=1, G=1 */
#define ATTR_DATA32 0xc93	/* present, data read/write accessed, B=1, G=1 */
#define ATTR_CODE16 0x09b
#define ATTR_DATA16 0x093
#define ATTR_TSS_BUSY 0x08b
#define ATTR_LDT 0x082

static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit, uint64_t base)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = base;
}

/* State common to every start: debug registers, PAT, TR/LDTR, descriptor tables. */
static void svm_vmcb_common_state(struct vmcb_save *st)
{
	seg(&st->tr, 0, ATTR_TSS_BUSY, 0xffff, 0);
	seg(&st->ldtr, 0, ATTR_LDT, 0xffff, 0);
	seg(&st->gdtr, 0, 0, 0xffff, 0);
	seg(&st->idtr, 0, 0, 0xffff, 0);
	st->dr6 = 0xffff0ff0;
	st->dr7 = 0x400;
	st->g_pat = 0x0007040600070406ull;	/* the power-on PAT (SDM Vol. 3A 13.12.4) */
	st->rflags = 0x2;
	st->cpl = 0;
	/* VMRUN refuses a guest without EFER.SVME (APM 15.5.1); the guest never sees it,
	 * because EFER reads and writes are intercepted and answered from guest_efer. */
	st->efer = EFER_SVME;
}

void svm_vmcb_set_entry(struct vmcb *vmcb, const struct guest_entry *e)
{
	struct vmcb_save *st = &vmcb->save;
	svm_vmcb_common_state(st);
	uint16_t code = e->long_mode ? ATTR_CODE64 : ATTR_CODE32;
	seg(&st->cs, 0x10, code, 0xffffffff, 0);
	seg(&st->ds, 0x18, ATTR_DATA32, 0xffffffff, 0);
	st->es = st->ss = st->fs = st->gs = st->ds;
	st->cr0 = X86_CR0_PE | X86_CR0_ET;
	st->cr4 = 0;
	st->cr3 = 0;
	if (e->long_mode) {
		st->cr0 |= X86_CR0_PG;
		st->cr4 = X86_CR4_PAE;
		st->cr3 = e->cr3;
		st->efer |= X86_EFER_LME | X86_EFER_LMA;
	}
	st->rip = e->rip;
	st->rsp = e->gprs.r[GPR_RSP];
	st->rax = e->gprs.r[GPR_RAX];
}

/*
 * After INIT and STARTUP (SDM Vol. 3A 9.1.1, Table 9-1, and 9.4.4): real mode with
 * CS = vector << 8, IP = 0, CR0 = 0x60000010, the other segments zero-based 64 KiB.
 */
void svm_vmcb_set_sipi(struct vmcb *vmcb, uint8_t vector)
{
	struct vmcb_save *st = &vmcb->save;
	memset(st, 0, sizeof(*st));
	svm_vmcb_common_state(st);
	seg(&st->cs, (uint16_t)(vector << 8), ATTR_CODE16, 0xffff, (uint64_t)vector << 12);
	seg(&st->ds, 0, ATTR_DATA16, 0xffff, 0);
	st->es = st->ss = st->fs = st->gs = st->ds;
	st->cr0 = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;
	st->rip = 0;
	st->rsp = 0;
	st->rax = 0;
}

static void svm_vmcb_set_intercepts(struct vmcb_control *c)
{
	/* Physical interrupts and NMIs are nestor's; so are CPUID, HLT, ports, MSRs, and a
	 * triple fault (SHUTDOWN) ends the VM with a report rather than resetting it. */
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_CPUID |
			     SVM_INTERCEPT_HLT | SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
			     SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_INVLPGA |
			     SVM_INTERCEPT_TASK_SWITCH | SVM_INTERCEPT_INVD;
	/* VMRUN must be intercepted (APM 15.5.1 consistency checks); SVM is hidden from
	 * the guest, so the other SVM instructions are intercepted and answered #UD. */
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL | SVM_INTERCEPT_VMLOAD |
			     SVM_INTERCEPT_VMSAVE | SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_XSETBV;
	/*
	 * Writes to CR0 and CR4 (and XSETBV above) are checked by nestor against the
	 * architecture and the guest's CPUID before they reach the VMCB: the CPU would take
	 * a bit CPUID hides, and a value VMRUN refuses would end in VMEXIT_INVALID instead of
	 * the guest's #GP (APM 15.5.1). CR8 writes too: QEMU's TCG checks none of its
	 * reserved bits (svm_apply_decision says more).
	 */
	c->intercept_cr = SVM_INTERCEPT_CR0_WRITE | SVM_INTERCEPT_CR4_WRITE |
			  SVM_INTERCEPT_CR8_WRITE;
	/* V_INTR_MASKING: guest RFLAGS.IF masks only virtual interrupts; physical ones stay
	 * under the host's IF (APM 15.21.1), so they always exit to nestor. */
	c->vintr = SVM_V_INTR_MASKING;
}

bool svm_vcpu_init(struct vcpu *v, const struct guest_entry *entry)
{
	struct svm_vcpu *s = (struct svm_vcpu *)page_alloc(&nestor_pages, 1, 1);
	struct vmcb *vmcb = (struct vmcb *)page_alloc(&nestor_pages, 1, 1);
	if (!s || !vmcb) {
		log_error("svm: vcpu%u: out of pages", v->id);
		return false;
	}
	const struct svm_vm *sv = v->vm->arch;
	s->vmcb = s->vmcb01 = vmcb;
	s->vmcb_pa = (uint64_t)(uintptr_t)vmcb;
	struct vmcb_control *c = &vmcb->control;
	svm_vmcb_set_intercepts(c);
	/* #AC and #DB always (APM Vol. 2 15.12): a guest could otherwise loop the CPU in
	 * their delivery (vm/exit_exception.c). VMCALL is #UD on AMD: intercepted when the
	 * personality answers it (vm/hypercall.c). */
	c->intercept_exceptions = (1u << X86_VECTOR_AC) | (1u << X86_VECTOR_DB);
	if (vm_hypercalls_need_ud_intercept(v->vm))
		c->intercept_exceptions |= 1u << X86_VECTOR_UD;
	c->iopm_base_pa = sv->iopm01_pa;
	c->msrpm_base_pa = sv->msrpm_pa;
	c->asid = v->id + 1;		/* ASID 0 is the host's */
	c->np_control = 1;		/* NP_ENABLE */
	c->n_cr3 = sv->ncr3;
	if (entry) {
		svm_vmcb_set_entry(vmcb, entry);
		v->gprs = entry->gprs;
		v->state = VCPU_RUNNABLE;
	} else {
		svm_vmcb_set_sipi(vmcb, 0);
		v->state = VCPU_WAIT_FOR_SIPI;
	}
	if (v->vm->nested.svm && !svm_nested_vcpu_init(v, s))
		return false;
	v->arch = s;
	v->ops = &svm_vcpu_ops;
	return true;
}

void svm_log_vmcb(const struct vcpu *v)
{
	const struct vmcb *vmcb = ((const struct svm_vcpu *)v->arch)->vmcb;
	const struct vmcb_save *st = &vmcb->save;
	const struct vmcb_control *c = &vmcb->control;
	log_error("vcpu%u: rip %#llx rsp %#llx rflags %#llx cpl %u efer %#llx", v->id,
		  (unsigned long long)st->rip, (unsigned long long)st->rsp,
		  (unsigned long long)st->rflags, st->cpl, (unsigned long long)st->efer);
	log_error("vcpu%u: cr0 %#llx cr3 %#llx cr4 %#llx cs %#x/%#x base %#llx limit %#x", v->id,
		  (unsigned long long)st->cr0, (unsigned long long)st->cr3,
		  (unsigned long long)st->cr4, st->cs.selector, st->cs.attrib,
		  (unsigned long long)st->cs.base, st->cs.limit);
	log_error("vcpu%u: exit %#llx (%s) info1 %#llx info2 %#llx exitintinfo %#llx", v->id,
		  (unsigned long long)c->exit_code, svm_exit_name(c->exit_code),
		  (unsigned long long)c->exit_info1, (unsigned long long)c->exit_info2,
		  (unsigned long long)c->exit_int_info);
}
