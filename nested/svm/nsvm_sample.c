/* nsvm_sample: the valid vmcb12 every negative test breaks in exactly one place. */
#include "arch/x86/regs.h"
#include "lib/string.h"
#include "nested/svm/nsvm_sample.h"

#define EFER_SVME (1ull << 12)
#define ATTR_CODE64 0xa9b	/* present, DPL 0, execute/read accessed, L = 1, D = 0, G = 1 */
#define ATTR_DATA 0xc93		/* present, DPL 0, read/write accessed, B = 1, G = 1 */
#define ATTR_TSS_BUSY 0x08b
#define ATTR_LDT 0x082

static void seg(struct vmcb_seg *g, uint16_t sel, uint16_t attrib, uint32_t limit, uint64_t base)
{
	g->selector = sel;
	g->attrib = attrib;
	g->limit = limit;
	g->base = base;
}

static void sample_control(struct vmcb_control *c, const struct nsvm_sample *s,
			   const struct nsvm_features *f)
{
	c->intercept_exceptions = 0xffffffff;
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_HLT |
			     SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR | SVM_INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL;
	c->iopm_base_pa = s->iopm_pa;
	c->msrpm_base_pa = s->msrpm_pa;
	c->asid = 1;
	c->tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	c->vintr = SVM_V_INTR_MASKING;
	if (f->npt) {
		c->np_control = SVM_NP_ENABLE;
		c->n_cr3 = s->ncr3;
	}
}

void nsvm_sample_build(struct vmcb *v, struct nsvm_vmrun *run, const struct nsvm_sample *s,
		       const struct nsvm_features *f)
{
	memset(v, 0, sizeof(*v));
	sample_control(&v->control, s, f);
	struct vmcb_save *st = &v->save;
	seg(&st->cs, s->cs_sel, ATTR_CODE64, 0xffffffff, 0);
	seg(&st->ds, s->ds_sel, ATTR_DATA, 0xffffffff, 0);
	st->es = st->ss = st->fs = st->gs = st->ds;
	seg(&st->gdtr, 0, 0, s->gdt_limit, s->gdt_base);
	seg(&st->idtr, 0, 0, s->idt_limit, s->idt_base);
	seg(&st->tr, 0, ATTR_TSS_BUSY, 0xffff, 0);
	seg(&st->ldtr, 0, ATTR_LDT, 0xffff, 0);
	st->cpl = 0;
	st->efer = EFER_SVME | X86_EFER_LME | X86_EFER_LMA;
	if (f->cpuid.e1_edx & NSVM_E1_EDX_NX)
		st->efer |= X86_EFER_NXE;
	st->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
	st->cr3 = s->cr3;
	st->cr4 = X86_CR4_PAE;
	st->dr6 = 0xffff0ff0;
	st->dr7 = 0x400;
	st->rflags = 0x2;
	st->rip = s->rip;
	st->rsp = s->rsp;
	st->rax = s->rax;
	st->g_pat = s->pat;

	memset(run, 0, sizeof(*run));
	run->rax = s->vmcb_pa;
	run->efer = EFER_SVME | X86_EFER_LME | X86_EFER_LMA;
	run->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_PG;
	run->rflags = 0x2;
	run->cpl = 0;
}
