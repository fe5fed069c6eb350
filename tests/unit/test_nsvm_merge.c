/* test_nsvm_merge: vmcb12 -> vmcb02 and the #VMEXIT reflection back into vmcb12. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_merge.h"
#include "nested/svm/nsvm_sample.h"
#include "tests/unit/nsvm/nsvm_fixture.h"

static struct vmcb vmcb12, vmcb02;
static struct vmcb_save l1_cpu;
static struct nsvm_vmrun run;
static struct nsvm_features feat;
static struct nsvm_l0 l0;
static struct nsvm_merge_info info;

static int setup(void **state)
{
	(void)state;
	struct nsvm_sample s = fixture_sample();
	feat = fixture_features();
	nsvm_sample_build(&vmcb12, &run, &s, &feat);
	memset(&l1_cpu, 0, sizeof(l1_cpu));
	l1_cpu.fs.base = 0x7000;
	l1_cpu.gs.base = 0x8000;
	l1_cpu.tr.selector = 0x40;
	l1_cpu.star = 0x0023001000000000ull;
	l1_cpu.lstar = 0xffffffff81000000ull;
	l1_cpu.sysenter_eip = 0x1234;
	l1_cpu.g_pat = 0x0007010600070106ull;	/* L1's own PAT */
	l0 = (struct nsvm_l0){
		.intercept_exceptions = 1u << 18,	/* #MC */
		.intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_CPUID |
				   SVM_INTERCEPT_INVD,
		.intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMLOAD,
		.tsc_offset = 1000, .asid = 7, .ncr3_l1 = 0x90000000, .ncr3_shadow = 0x91000000,
		.iopm_pa = 0x92000000, .msrpm_pa = 0x93000000,
	};
	return 0;
}

static void merge(void)
{
	nsvm_merge(&vmcb02, &vmcb12, &l1_cpu, &l0, &feat, &info);
}

static void test_intercepts_are_the_union(void **state)
{
	(void)state;
	vmcb12.control.intercept_cr = 0x00100001;
	vmcb12.control.intercept_misc1 |= SVM_INTERCEPT_VINTR;
	merge();
	const struct vmcb_control *c = &vmcb02.control;
	assert_int_equal(c->intercept_cr, 0x00100001);
	assert_int_equal(c->intercept_exceptions, 0xffffffff);
	assert_int_equal(c->intercept_misc1, vmcb12.control.intercept_misc1 | l0.intercept_misc1);
	assert_true(c->intercept_misc1 & SVM_INTERCEPT_CPUID);		/* nestor's only */
	assert_true(c->intercept_misc1 & SVM_INTERCEPT_VINTR);		/* L1's only */
	assert_int_equal(c->intercept_misc2, SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
					     SVM_INTERCEPT_VMLOAD);
	l0.intercept_misc2 = 0;
	merge();
	assert_true(vmcb02.control.intercept_misc2 & SVM_INTERCEPT_VMRUN);
}

static void test_tsc_offsets_add(void **state)
{
	(void)state;
	vmcb12.control.tsc_offset = (uint64_t)-400;	/* L2 behind L1 */
	merge();
	assert_int_equal(vmcb02.control.tsc_offset, 600);
	l0.tsc_offset = 0xfffffffffffffff0ull;
	vmcb12.control.tsc_offset = 0x20;
	merge();
	assert_int_equal(vmcb02.control.tsc_offset, 0x10);	/* modulo 2^64, as hardware adds */
}

static void test_nestor_owns_asid_maps_and_npt(void **state)
{
	(void)state;
	vmcb12.control.tlb_control = 0;
	merge();
	const struct vmcb_control *c = &vmcb02.control;
	assert_int_equal(c->asid, 7);
	assert_int_equal(c->iopm_base_pa, 0x92000000);
	assert_int_equal(c->msrpm_base_pa, 0x93000000);
	assert_int_equal(c->np_control, SVM_NP_ENABLE);
	assert_int_equal(c->n_cr3, 0x91000000);
	assert_true(info.l1_npt);
	assert_false(info.flush);
	assert_int_equal(c->tlb_control, 0);
	vmcb12.control.tlb_control = 3;
	vmcb12.control.np_control = 0;			/* L1 pages L2 itself */
	merge();
	assert_true(info.flush);
	assert_int_equal(vmcb02.control.tlb_control, SVM_TLB_CONTROL_FLUSH_ALL);
	assert_false(info.l1_npt);
	assert_int_equal(vmcb02.control.n_cr3, 0x90000000);
	assert_int_equal(vmcb02.control.np_control, SVM_NP_ENABLE);
	assert_int_equal(vmcb02.save.g_pat, l1_cpu.g_pat);	/* L2 uses L1's PAT */
	vmcb12.control.np_control = SVM_NP_ENABLE;
	feat.npt = false;				/* set but not offered: ignored */
	merge();
	assert_false(info.l1_npt);
	assert_int_equal(vmcb02.control.n_cr3, 0x90000000);
	assert_int_equal(vmcb02.save.g_pat, l1_cpu.g_pat);
}

static void test_int_ctl_as_l1_asked(void **state)
{
	(void)state;
	uint64_t asked = 0x9 | SVM_V_IRQ | (0xcull << SVM_V_INTR_PRIO_SHIFT) | SVM_V_IGN_TPR |
			 (0x41ull << SVM_V_INTR_VECTOR_SHIFT);
	vmcb12.control.vintr = asked | SVM_V_INTR_MASKING;
	merge();
	assert_int_equal(vmcb02.control.vintr, asked | SVM_V_INTR_MASKING);
	assert_true(info.l1_v_intr_masking);
	/* V_INTR_MASKING stays nestor's; L1's choice is reported, not given to hardware. */
	vmcb12.control.vintr = asked;
	merge();
	assert_int_equal(vmcb02.control.vintr, asked | SVM_V_INTR_MASKING);
	assert_false(info.l1_v_intr_masking);
	/* V_GIF / V_GIF_ENABLE only with VGIF offered; AVIC (bit 31) is never offered. */
	vmcb12.control.vintr = asked | SVM_V_GIF | SVM_V_GIF_ENABLE | (1ull << 31) | 0xf0;
	merge();
	assert_int_equal(vmcb02.control.vintr, asked | SVM_V_INTR_MASKING | SVM_V_GIF |
					       SVM_V_GIF_ENABLE);
	feat.vgif = false;
	merge();
	assert_int_equal(vmcb02.control.vintr, asked | SVM_V_INTR_MASKING);
}

static void test_event_injection_and_shadow(void **state)
{
	(void)state;
	vmcb12.control.event_inj = SVM_EVENT_VALID | SVM_EVENT_TYPE_EXCEPTION |
				   SVM_EVENT_ERROR_VALID | 13 | (0x18ull << 32);
	vmcb12.control.interrupt_shadow = SVM_INTERRUPT_SHADOW | SVM_GUEST_INTERRUPT_MASK;
	merge();
	assert_int_equal(vmcb02.control.event_inj, vmcb12.control.event_inj);
	assert_int_equal(vmcb02.control.interrupt_shadow, SVM_INTERRUPT_SHADOW);
}

/* Features not offered are not honoured: clean bits, NRIPS, LBR virt, vVMSAVE/VMLOAD. */
static void test_unoffered_features_ignored(void **state)
{
	(void)state;
	vmcb12.control.clean_bits = 0xffffffff;
	vmcb12.control.next_rip = 0x400123;
	vmcb12.control.virt_ext = SVM_VIRT_EXT_LBR_ENABLE | SVM_VIRT_EXT_V_VMSAVE_VMLOAD;
	vmcb12.save.dbgctl = 1;
	vmcb12.save.br_from = 0x1111;
	feat.nrips = false;
	merge();
	assert_int_equal(vmcb02.control.clean_bits, 0);
	assert_int_equal(vmcb02.control.next_rip, 0);
	assert_int_equal(vmcb02.control.virt_ext, 0);
	assert_int_equal(vmcb02.save.dbgctl, 0);
	assert_int_equal(vmcb02.save.br_from, 0);
	feat.nrips = feat.vmcb_clean = feat.lbr_virt = feat.v_vmsave_vmload = true;
	merge();
	assert_int_equal(vmcb02.control.clean_bits, 0);		/* vmcb02 is always rebuilt */
	assert_int_equal(vmcb02.control.next_rip, 0x400123);
	assert_int_equal(vmcb02.control.virt_ext, vmcb12.control.virt_ext);
	assert_int_equal(vmcb02.save.br_from, 0x1111);
	vmcb12.control.np_control = 0;		/* vVMSAVE/VMLOAD needs nested paging */
	merge();
	assert_int_equal(vmcb02.control.virt_ext, SVM_VIRT_EXT_LBR_ENABLE);
}

static void test_save_area(void **state)
{
	(void)state;
	vmcb12.save.cr2 = 0xdead000;
	vmcb12.save.fs.base = 0x5555;		/* VMRUN does not load FS: L1's stays */
	vmcb12.save.lstar = 0x6666;
	merge();
	const struct vmcb_save *s = &vmcb02.save;
	assert_memory_equal(&s->cs, &vmcb12.save.cs, sizeof(s->cs));
	assert_memory_equal(&s->idtr, &vmcb12.save.idtr, sizeof(s->idtr));
	assert_int_equal(s->efer, vmcb12.save.efer);
	assert_int_equal(s->cr0, vmcb12.save.cr0);
	assert_int_equal(s->cr3, vmcb12.save.cr3);
	assert_int_equal(s->cr2, 0xdead000);
	assert_int_equal(s->rip, vmcb12.save.rip);
	assert_int_equal(s->rax, vmcb12.save.rax);
	assert_int_equal(s->g_pat, vmcb12.save.g_pat);
	assert_int_equal(s->fs.base, 0x7000);
	assert_int_equal(s->gs.base, 0x8000);
	assert_int_equal(s->tr.selector, 0x40);
	assert_int_equal(s->lstar, 0xffffffff81000000ull);
	assert_int_equal(s->sysenter_eip, 0x1234);
}

/* vmcb02 of a vmcb12 that passed must pass the table itself, on nestor's side. */
static void test_merged_vmcb02_passes_the_table(void **state)
{
	(void)state;
	static const struct nsvm_range host[] = { { 0x90000000, 0x10000000 } };
	struct nsvm_ram host_ram = { host, 1 };
	struct nsvm_features hw = feat;
	hw.nasid = 64;
	hw.maxphyaddr = 48;
	struct nsvm_vmrun l0run = run;
	l0run.rax = 0x94000000;
	struct nsvm_check_input in12 = { &run, &vmcb12, &feat, &fixture_ram };
	assert_null(nsvm_check_run(&in12, NSVM_ORIGINS_ALL).failed);
	merge();
	struct nsvm_check_input in02 = { &l0run, &vmcb02, &hw, &host_ram };
	assert_null(nsvm_check_run(&in02, NSVM_ORIGINS_ALL).failed);
}

static void exit_from_l2(void)
{
	merge();
	vmcb02.control.exit_code = SVM_EXIT_CPUID;
	vmcb02.control.exit_info1 = 0x11;
	vmcb02.control.exit_info2 = 0x22;
	vmcb02.control.exit_int_info = SVM_EVENT_VALID | 0x30 | (5ull << 32);
	vmcb02.control.next_rip = 0x400002;
	vmcb02.control.vintr = 0x3 | SVM_V_INTR_MASKING | SVM_V_GIF;	/* V_IRQ taken, TPR 3 */
	vmcb02.control.interrupt_shadow = SVM_GUEST_INTERRUPT_MASK;
	vmcb02.control.event_inj = 0;
	vmcb02.save.rip = 0x400000;
	vmcb02.save.rax = 0x99;
	vmcb02.save.cr2 = 0xcafe000;
	vmcb02.save.cr3 = 0x301000;
	vmcb02.save.g_pat = 0x0606060606060606ull;
	vmcb02.save.fs.base = 0xf5;
	vmcb02.save.kernel_gs_base = 0x6b;
}

static void test_reflect_exit(void **state)
{
	(void)state;
	vmcb12.control.vintr = 0x9 | SVM_V_IRQ | SVM_V_INTR_MASKING | (0x41ull << 32) |
			       (0xcull << SVM_V_INTR_PRIO_SHIFT);
	vmcb12.control.event_inj = SVM_EVENT_VALID | 0x20;
	vmcb12.control.next_rip = 0x777;
	exit_from_l2();
	nsvm_reflect_exit(&vmcb12, &l1_cpu, &vmcb02, &feat);
	const struct vmcb_control *c = &vmcb12.control;
	assert_int_equal(c->exit_code, SVM_EXIT_CPUID);
	assert_int_equal(c->exit_info1, 0x11);
	assert_int_equal(c->exit_info2, 0x22);
	assert_int_equal(c->exit_int_info, SVM_EVENT_VALID | 0x30 | (5ull << 32));
	assert_int_equal(c->next_rip, 0x400002);
	/* V_TPR and V_IRQ written back, L1's other int_ctl bits untouched; VGIF: V_GIF too. */
	assert_int_equal(c->vintr, 0x3 | SVM_V_INTR_MASKING | (0x41ull << 32) |
				   (0xcull << SVM_V_INTR_PRIO_SHIFT) | SVM_V_GIF);
	assert_int_equal(c->interrupt_shadow, SVM_GUEST_INTERRUPT_MASK);
	assert_int_equal(c->event_inj, 0);
	assert_int_equal(vmcb12.save.rip, 0x400000);
	assert_int_equal(vmcb12.save.rax, 0x99);
	assert_int_equal(vmcb12.save.cr2, 0xcafe000);
	assert_int_equal(vmcb12.save.cr3, 0x301000);
	assert_int_equal(vmcb12.save.g_pat, 0x0606060606060606ull);
	assert_int_equal(vmcb12.save.fs.base, 0);		/* #VMEXIT does not save FS */
	assert_int_equal(l1_cpu.fs.base, 0xf5);			/* it stays in the CPU */
	assert_int_equal(l1_cpu.kernel_gs_base, 0x6b);
}

static void test_reflect_without_nrips_vgif_npt(void **state)
{
	(void)state;
	vmcb12.control.next_rip = 0x777;
	vmcb12.control.vintr = SVM_V_INTR_MASKING;
	uint64_t pat12 = vmcb12.save.g_pat;
	exit_from_l2();
	feat.nrips = feat.vgif = feat.npt = false;
	nsvm_reflect_exit(&vmcb12, &l1_cpu, &vmcb02, &feat);
	assert_int_equal(vmcb12.control.next_rip, 0x777);
	assert_int_equal(vmcb12.control.vintr, 0x3 | SVM_V_INTR_MASKING);
	assert_int_equal(vmcb12.save.g_pat, pat12);
}

static void test_reflect_invalid(void **state)
{
	(void)state;
	vmcb12.control.exit_info1 = 5;
	vmcb12.control.event_inj = SVM_EVENT_VALID | 0x20;
	nsvm_reflect_invalid(&vmcb12);
	assert_int_equal(vmcb12.control.exit_code, 0xffffffffffffffffull);
	assert_int_equal(vmcb12.control.exit_info1, 0);
	assert_int_equal(vmcb12.control.exit_info2, 0);
	assert_int_equal(vmcb12.control.event_inj, 0);
}

static void test_l2_tpr_is_l1_tpr_without_v_intr_masking(void **state)
{
	(void)state;
	uint8_t tpr = 0xff;
	vmcb12.control.vintr = SVM_V_INTR_MASKING;
	vmcb02.control.vintr = 0x5 | SVM_V_INTR_MASKING;
	assert_false(nsvm_l2_tpr_is_l1_tpr(&vmcb12, &vmcb02, &tpr));
	vmcb12.control.vintr = 0;
	assert_true(nsvm_l2_tpr_is_l1_tpr(&vmcb12, &vmcb02, &tpr));
	assert_int_equal(tpr, 5);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_intercepts_are_the_union),
		T(test_tsc_offsets_add),
		T(test_nestor_owns_asid_maps_and_npt),
		T(test_int_ctl_as_l1_asked),
		T(test_event_injection_and_shadow),
		T(test_unoffered_features_ignored),
		T(test_save_area),
		T(test_merged_vmcb02_passes_the_table),
		T(test_reflect_exit),
		T(test_reflect_without_nrips_vgif_npt),
		T(test_reflect_invalid),
		T(test_l2_tpr_is_l1_tpr_without_v_intr_masking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
