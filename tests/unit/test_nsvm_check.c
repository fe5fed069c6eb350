/* test_nsvm_check: the VMRUN check table: the sample passes, each mutation trips its entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/regs.h"
#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_sample.h"
#include "tests/unit/nsvm/nsvm_fixture.h"

struct world {
	struct vmcb vmcb;
	struct nsvm_vmrun run;
	struct nsvm_features feat;
	struct nsvm_sample sample;
	struct nsvm_check_input in;
};

static void world_init(struct world *w, const struct nsvm_features *f)
{
	w->feat = *f;
	w->sample = fixture_sample();
	nsvm_sample_build(&w->vmcb, &w->run, &w->sample, &w->feat);
	w->in = (struct nsvm_check_input){ &w->run, &w->vmcb, &w->feat, &fixture_ram };
}

static void world_mutate(struct world *w, const struct nsvm_mutation *m)
{
	m->apply(&w->vmcb, &w->run, &w->feat, &w->sample);
}

static void test_valid_sample_passes(void **state)
{
	(void)state;
	struct world w;
	struct nsvm_features f = fixture_features();
	world_init(&w, &f);
	for (size_t i = 0; i < nsvm_check_count; i++)
		if (nsvm_checks[i].fails(&w.in))
			fail_msg("valid sample fails %s", nsvm_checks[i].name);
	struct nsvm_check_result r = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL);
	assert_null(r.failed);
	assert_false(r.needs_vmcb);
	assert_int_equal(nsvm_check_outcome(&w.in, NSVM_ORIGINS_ALL), NSVM_RUN);
}

/* A new check without a mutation, or a mutation of a check that is gone, fails here. */
static void test_every_entry_has_a_mutation(void **state)
{
	(void)state;
	for (size_t i = 0; i < nsvm_check_count; i++) {
		unsigned n = 0;
		for (size_t j = 0; j < nsvm_mutation_count; j++)
			n += !strcmp(nsvm_mutations[j].check, nsvm_checks[i].name);
		if (!n)
			fail_msg("check %s has no mutation in nsvm_mutations[]", nsvm_checks[i].name);
		assert_int_not_equal(nsvm_checks[i].outcome, NSVM_RUN);
		for (size_t k = 0; k < i; k++)
			if (!strcmp(nsvm_checks[k].name, nsvm_checks[i].name))
				fail_msg("check name %s used twice", nsvm_checks[i].name);
	}
	for (size_t j = 0; j < nsvm_mutation_count; j++) {
		if (!nsvm_check_find(nsvm_mutations[j].check))
			fail_msg("mutation %s/%s names no check", nsvm_mutations[j].check,
				 nsvm_mutations[j].variant);
		for (size_t k = 0; k < j; k++)
			if (!strcmp(nsvm_mutations[k].check, nsvm_mutations[j].check) &&
			    !strcmp(nsvm_mutations[k].variant, nsvm_mutations[j].variant))
				fail_msg("case %s.%s listed twice", nsvm_mutations[j].check,
					 nsvm_mutations[j].variant);
	}
}

/*
 * Each mutation of the valid sample gives exactly its entry's outcome, and among the checks
 * of its stage (the instruction's own, or those on the VMCB) it breaks that one APM check.
 */
static void check_mutations(const struct nsvm_features *f)
{
	for (size_t j = 0; j < nsvm_mutation_count; j++) {
		const struct nsvm_mutation *m = &nsvm_mutations[j];
		const struct nsvm_check *want = nsvm_check_find(m->check);
		struct world w;
		world_init(&w, f);
		world_mutate(&w, m);
		struct nsvm_check_result r = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL);
		if (r.failed != want)
			fail_msg("%s.%s: first failure %s, expected %s", m->check, m->variant,
				 r.failed ? r.failed->name : "none", want->name);
		assert_int_equal(nsvm_check_outcome(&w.in, NSVM_ORIGINS_ALL), want->outcome);
		if (want->origin == NSVM_ORIGIN_APM) {
			r = nsvm_check_run(&w.in, 1u << NSVM_ORIGIN_APM);
			assert_ptr_equal(r.failed, want);
		}
		unsigned same_stage = 0;
		for (size_t i = 0; i < nsvm_check_count; i++) {
			const struct nsvm_check *c = &nsvm_checks[i];
			if (c->origin == NSVM_ORIGIN_APM && c->needs_vmcb == want->needs_vmcb &&
			    c->fails(&w.in))
				same_stage++;
		}
		if (want->origin == NSVM_ORIGIN_APM && same_stage != 1)
			fail_msg("%s.%s breaks %u APM checks of its stage", m->check, m->variant,
				 same_stage);
	}
}

static void test_each_mutation_trips_its_entry(void **state)
{
	(void)state;
	struct nsvm_features f = fixture_features();
	check_mutations(&f);
}

/* The same with every optional feature and CPUID bit offered, and with the fewest. */
static void test_mutations_with_other_feature_sets(void **state)
{
	(void)state;
	struct nsvm_features f = fixture_features();
	f.lbr_virt = f.vmcb_clean = f.flushbyasid = f.v_vmsave_vmload = true;
	f.cpuid.f1_ecx = ~0u;
	f.cpuid.f7_ebx = ~0u;
	f.cpuid.f7_ecx = ~0u & ~NSVM_F7_ECX_CET_SS;	/* keeps #CP (21) an invalid vector */
	f.maxphyaddr = 52;
	f.nasid = 0x8000;
	check_mutations(&f);
	f = fixture_features();
	f.nrips = f.vgif = false;
	f.maxphyaddr = 36;
	f.nasid = 2;
	check_mutations(&f);
}

/* NPT not offered: NP_ENABLE, nCR3 and G_PAT are ignored, never checked (not honoured). */
static void test_npt_not_offered_is_ignored(void **state)
{
	(void)state;
	struct nsvm_features f = fixture_features();
	f.npt = false;
	for (size_t j = 0; j < nsvm_mutation_count; j++) {
		const struct nsvm_mutation *m = &nsvm_mutations[j];
		if (strncmp(m->check, "npt.", 4) && strcmp(m->check, "nestor.ncr3_outside_ram") &&
		    strcmp(m->check, "nestor.npt_l1_not_long_mode"))
			continue;
		struct world w;
		world_init(&w, &f);
		w.vmcb.control.np_control = SVM_NP_ENABLE;	/* L1 sets it anyway */
		world_mutate(&w, m);
		struct nsvm_check_result r = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL);
		if (r.failed)
			fail_msg("%s.%s fails %s with NPT not offered", m->check, m->variant,
				 r.failed->name);
	}
}

static void test_first_failure_decides(void **state)
{
	(void)state;
	struct world w;
	struct nsvm_features f = fixture_features();
	world_init(&w, &f);
	w.vmcb.save.cr0 |= 1ull << 40;		/* save.cr0_high_bits */
	w.vmcb.control.asid = 0;		/* control.asid_zero comes first */
	assert_string_equal(nsvm_check_run(&w.in, NSVM_ORIGINS_ALL).failed->name,
			    "control.asid_zero");
	w.run.cpl = 3;				/* the instruction faults before any of them */
	assert_string_equal(nsvm_check_run(&w.in, NSVM_ORIGINS_ALL).failed->name,
			    "vmrun.cpl_nonzero");
}

/* The documented order: vmrun, nestor.vmcb12, control, save, npt, nestor. */
static void test_table_order_is_by_stage(void **state)
{
	(void)state;
	static const char *const stages[] = { "vmrun.", "nestor.vmcb12_outside_ram", "control.",
					      "save.", "npt.", "nestor." };
	size_t stage = 0;
	for (size_t i = 0; i < nsvm_check_count; i++) {
		const char *n = nsvm_checks[i].name;
		while (stage < 6 && strncmp(n, stages[stage], strlen(stages[stage])))
			stage++;
		if (stage == 6)
			fail_msg("%s is out of the documented order", n);
		assert_int_equal(nsvm_checks[i].needs_vmcb, stage >= 2);
		assert_int_equal(nsvm_checks[i].origin == NSVM_ORIGIN_NESTOR,
				 stage == 1 || stage == 5);
	}
}

/* Without vmcb12 the run stops before the first check that reads it, unless one before fails. */
static void test_two_phase_without_vmcb(void **state)
{
	(void)state;
	struct world w;
	struct nsvm_features f = fixture_features();
	world_init(&w, &f);
	w.in.vmcb = NULL;
	struct nsvm_check_result r = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL);
	assert_null(r.failed);
	assert_true(r.needs_vmcb);
	w.run.rax = 0x10000000;			/* just past L1's RAM */
	r = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL);
	assert_string_equal(r.failed->name, "nestor.vmcb12_outside_ram");
	assert_int_equal(r.failed->outcome, NSVM_GP);
}

static void test_describe(void **state)
{
	(void)state;
	struct world w;
	struct nsvm_features f = fixture_features();
	world_init(&w, &f);
	w.vmcb.save.cr0 |= 1ull << 32;
	const struct nsvm_check *c = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL).failed;
	char buf[160];
	int len = nsvm_check_describe(buf, sizeof(buf), c, &w.in);
	const char *want = "save.cr0_high_bits (APM Vol. 2 15.5.1): cr0=0x180000031 "
			   "-> #VMEXIT(INVALID)";
	assert_string_equal(buf, want);
	assert_int_equal(len, (int)strlen(want));
	char small[20];
	assert_int_equal(nsvm_check_describe(small, sizeof(small), c, &w.in), len);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	w.run.rax = 1ull << 40;
	c = nsvm_check_run(&w.in, NSVM_ORIGINS_ALL).failed;
	nsvm_check_describe(buf, sizeof(buf), c, &w.in);
	assert_string_equal(buf, "vmrun.rax_beyond_maxphyaddr (APM Vol. 3 VMRUN (exceptions)): "
				 "rax=0x10000000000 maxphyaddr=0x28 -> #GP(0)");
}

/* APM 15.5.1 read literally: a table ending at 2^MAXPHYADDR - 1 fails; bits 11:0 are ignored. */
static void test_permission_map_limits(void **state)
{
	(void)state;
	struct world w;
	struct nsvm_features f = fixture_features();
	world_init(&w, &f);
	const struct nsvm_check *msrpm = nsvm_check_find("control.msrpm_beyond_maxphyaddr");
	const struct nsvm_check *iopm = nsvm_check_find("control.iopm_beyond_maxphyaddr");
	uint64_t top = 1ull << 40;
	w.vmcb.control.msrpm_base_pa = top - 0x2000;
	assert_true(msrpm->fails(&w.in));
	w.vmcb.control.msrpm_base_pa = top - 0x3000 + 0xfff;
	assert_false(msrpm->fails(&w.in));
	w.vmcb.control.msrpm_base_pa = ~0ull;		/* wraps */
	assert_true(msrpm->fails(&w.in));
	w.vmcb.control.iopm_base_pa = top - 0x3000;
	assert_true(iopm->fails(&w.in));
	w.vmcb.control.iopm_base_pa = top - 0x4000 + 0x123;
	assert_false(iopm->fails(&w.in));
}

static void test_masks(void **state)
{
	(void)state;
	struct nsvm_features none = { .maxphyaddr = 36 }, f = fixture_features();
	assert_int_equal(nsvm_cr4_mbz(&none), ~0x7ffull);
	assert_true(nsvm_cr4_mbz(&f) & X86_CR4_LA57);
	assert_false(nsvm_cr4_mbz(&f) & X86_CR4_SMEP);
	assert_true(nsvm_cr4_mbz(&f) & X86_CR4_VMXE);
	assert_int_equal(nsvm_efer_mbz(&none), ~(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
						 (1ull << 12)));
	assert_false(nsvm_efer_mbz(&f) & X86_EFER_NXE);
	assert_true(nsvm_efer_mbz(&f) & (1ull << 13));		/* LMSLE */
	assert_true(nsvm_pat_valid(0x0007040600070406ull));
	assert_true(nsvm_pat_valid(0x0706050401000706ull));
	assert_false(nsvm_pat_valid(0x0007040600070402ull));
	assert_false(nsvm_pat_valid(0x8007040600070406ull));
	static const uint8_t valid[] = { 0, 1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18,
					 19, 28, 30 };
	unsigned n = 0;
	for (unsigned v = 0; v < 256; v++)
		n += nsvm_exception_vector_valid(&f, (uint8_t)v);
	assert_int_equal(n, sizeof(valid));
	for (unsigned i = 0; i < sizeof(valid); i++)
		assert_true(nsvm_exception_vector_valid(&f, valid[i]));
	f.cpuid.f7_ecx |= NSVM_F7_ECX_CET_SS;
	assert_true(nsvm_exception_vector_valid(&f, 21));
}

static void test_ram_contains(void **state)
{
	(void)state;
	static const struct nsvm_range r[] = { { 0x1000, 0x1000 }, { 0x2000, 0x2000 },
					       { 0x10000, 0x1000 } };
	struct nsvm_ram ram = { r, 3 };
	assert_true(nsvm_ram_contains(&ram, 0x1000, 0x3000));	/* across adjacent ranges */
	assert_false(nsvm_ram_contains(&ram, 0x1000, 0x3001));
	assert_false(nsvm_ram_contains(&ram, 0x0fff, 2));
	assert_true(nsvm_ram_contains(&ram, 0x10fff, 1));
	assert_false(nsvm_ram_contains(&ram, 0x10fff, 2));
	assert_false(nsvm_ram_contains(&ram, ~0ull - 10, 0x1000));	/* wraps */
	assert_true(nsvm_ram_contains(&ram, 0x50000, 0));
}

static void test_features_from_cpuid(void **state)
{
	(void)state;
	struct nsvm_cpuid c = { .e1_edx = NSVM_E1_EDX_LM };
	struct nsvm_features f;
	/* QEMU 7.2 TCG -cpu max: 8000_000Ah EBX = 0x10, EDX = NPT | VGIF | SVME_ADDR_CHK. */
	nsvm_features_from_cpuid(&f, 0x10, NSVM_SVM_EDX_NPT | NSVM_SVM_EDX_VGIF | (1u << 28),
				 0x3028, &c);
	assert_true(f.npt && f.vgif);
	assert_false(f.nrips || f.vmcb_clean || f.flushbyasid || f.lbr_virt || f.v_vmsave_vmload);
	assert_int_equal(f.nasid, 16);
	assert_int_equal(f.maxphyaddr, 40);
	assert_int_equal(f.cpuid.e1_edx, NSVM_E1_EDX_LM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_sample_passes),
		cmocka_unit_test(test_every_entry_has_a_mutation),
		cmocka_unit_test(test_each_mutation_trips_its_entry),
		cmocka_unit_test(test_mutations_with_other_feature_sets),
		cmocka_unit_test(test_npt_not_offered_is_ignored),
		cmocka_unit_test(test_first_failure_decides),
		cmocka_unit_test(test_table_order_is_by_stage),
		cmocka_unit_test(test_two_phase_without_vmcb),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_permission_map_limits),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_ram_contains),
		cmocka_unit_test(test_features_from_cpuid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
