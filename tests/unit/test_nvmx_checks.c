/* test_nvmx_checks: the VM-entry check catalogue: the valid vmcs12 passes, each row's mutation fails it alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/nvmx/nvmx_fixture.h"

static struct nvmx_fixture fx;

static void fresh(void)
{
	nvmx_fixture_init(&fx);
	nvmx_fixture_valid(&fx);
}

static void assert_same_outcome(struct nvmx_outcome a, struct nvmx_outcome b)
{
	assert_int_equal(a.kind, b.kind);
	assert_int_equal(a.code, b.code);
	assert_int_equal(a.qual, b.qual);
}

static void test_valid_passes(void **state)
{
	struct nvmx_result r;
	char line[512];

	(void)state;
	fresh();
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
	if (r.check)
		print_error("valid vmcs12 failed: %s\n", line);
	assert_null(r.check);
	assert_int_equal(r.out.kind, NVMX_ENTERED);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_KVM, &r);
	assert_null(r.check);
}

/* The build's guard: a new row without a mutation (or a mutation of no row) fails here. */
static void test_every_row_has_a_mutation(void **state)
{
	unsigned missing = 0;

	(void)state;
	for (unsigned i = 0; i < nvmx_check_count; i++)
		if (!nvmx_mutation_find(nvmx_checks[i].name)) {
			print_error("row %s has no mutation\n", nvmx_checks[i].name);
			missing++;
		}
	for (unsigned i = 0; i < nvmx_mutation_count; i++)
		if (!nvmx_check_find(nvmx_mutations[i].check)) {
			print_error("mutation %s names no row\n", nvmx_mutations[i].check);
			missing++;
		}
	assert_int_equal(missing, 0);
	assert_int_equal(nvmx_mutation_count, nvmx_check_count);
}

static void test_names_unique_and_outcomes_sane(void **state)
{
	(void)state;
	for (unsigned i = 0; i < nvmx_check_count; i++) {
		const struct nvmx_check *c = &nvmx_checks[i];

		assert_ptr_equal(nvmx_check_find(c->name), c);
		switch (c->kind) {
		case NVMX_VMFAIL_VALID:
			assert_int_equal(c->code, c->stage == NVMX_STAGE_CTL ? 7 : 8);
			break;
		case NVMX_ENTRY_EXIT:
			assert_int_equal(c->code, c->stage == NVMX_STAGE_MSR ? 34 : 33);
			assert_true(c->qual == 0 || c->qual == 2 || c->qual == 4);
			break;
		default:
			assert_int_equal(c->kind, NVMX_NOT_RAM);
			assert_memory_equal(c->name, "safety.", 7);
		}
		/* SDM order: stages never go back. */
		if (i)
			assert_true(c->stage >= nvmx_checks[i - 1].stage);
	}
}

/* Each row: the valid vmcs12 with that rule broken fails with exactly that row. */
static void test_each_row_fails_alone(void **state)
{
	unsigned bad = 0;

	(void)state;
	for (unsigned i = 0; i < nvmx_check_count; i++) {
		const struct nvmx_check *c = &nvmx_checks[i];
		const struct nvmx_mutation *m = nvmx_mutation_find(c->name);
		struct nvmx_result r;
		char line[512];

		fresh();
		m->apply(&fx.c);
		nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
		nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
		if (r.check != c) {
			print_error("mutation %s: got %s\n", c->name, line);
			bad++;
			continue;
		}
		struct nvmx_outcome want = nvmx_check_outcome(c, r.msr_entry);
		if (r.out.kind != want.kind || r.out.code != want.code || r.out.qual != want.qual) {
			print_error("mutation %s: outcome differs: %s\n", c->name, line);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* `kvm`: the rows KVM leaves to the CPU pass in software; the others still fail. */
static void test_kvm_personality_filter(void **state)
{
	unsigned bad = 0, skipped = 0;

	(void)state;
	for (unsigned i = 0; i < nvmx_check_count; i++) {
		const struct nvmx_check *c = &nvmx_checks[i];
		struct nvmx_result r;
		char line[512];

		fresh();
		nvmx_mutation_find(c->name)->apply(&fx.c);
		nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_KVM, &r);
		nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
		if (c->kvm ? r.check != c : r.check != NULL) {
			print_error("kvm mode, mutation %s: got %s\n", c->name, line);
			bad++;
		}
		skipped += !c->kvm;
	}
	assert_int_equal(bad, 0);
	/* The seed-000 rule is among those KVM 6.1 leaves to the hardware. */
	assert_false(nvmx_check_find("ctl.tpr_threshold_vs_vtpr")->kvm);
	assert_true(skipped > 50);
}

/* The log line: name, section, the values involved, the outcome. */
static void test_log_line(void **state)
{
	struct nvmx_result r;
	char line[512];

	(void)state;
	fresh();
	nvmx_mutation_find("ctl.tpr_threshold_vs_vtpr")->apply(&fx.c);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
	assert_string_equal(line, "ctl.tpr_threshold_vs_vtpr (SDM 26.2.1.1): tpr_threshold=0x2 "
			    "VTPR=0x10 proc_controls=0x962061f2 proc2_controls=0x22 "
			    "virtual_apic_page=0x101000 -> VMfailValid(7)");

	fresh();
	nvmx_mutation_find("msr.load_fs_gs_base")->apply(&fx.c);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	assert_int_equal(r.out.qual, 2);	/* the second element */
	nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
	assert_string_equal(line, "msr.load_fs_gs_base (SDM 26.4): element=0x2 msr=0xc0000101 "
			    "reserved=0 value=0 -> exit 34 qual 2");

	fresh();
	nvmx_mutation_find("guest.link_pointer_revision")->apply(&fx.c);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	assert_same_outcome(r.out, (struct nvmx_outcome){ NVMX_ENTRY_EXIT, 33, 4 });

	/* A tiny buffer is never overrun. */
	char tiny[8];
	memset(tiny, 'x', sizeof(tiny));
	nvmx_result_format(&r, &fx.v, &fx.env, tiny, 5);
	assert_int_equal(tiny[4], 0);
	assert_int_equal(tiny[5], 'x');
}

/* "Any order": the collecting mode lists every failing rule of the first failing group. */
static void test_all_failures_of_first_group(void **state)
{
	const struct nvmx_check *fails[16];
	struct nvmx_result r;
	unsigned n;

	(void)state;
	fresh();
	fx.v.vpid = 0;				/* ctl.vpid_nonzero (7) */
	fx.v.host_cs_sel = 0;			/* host.cs_sel_nonzero (8) */
	fx.v.guest_rflags |= 1u << 3;		/* guest: later group, not listed */
	n = nvmx_check_vmentry_all(&fx.v, &fx.env, NVMX_MODE_ALL, &r, fails, 16);
	assert_int_equal(n, 2);
	assert_string_equal(fails[0]->name, "ctl.vpid_nonzero");
	assert_string_equal(fails[1]->name, "host.cs_sel_nonzero");
	assert_ptr_equal(r.check, fails[0]);
}

/* nestor's safety rows: unbacked memory is its own outcome, not a hardware one. */
static void test_not_ram_outcome(void **state)
{
	struct nvmx_result r;
	char buf[32];

	(void)state;
	fresh();
	nvmx_mutation_find("safety.virtual_apic_page_ram")->apply(&fx.c);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	assert_int_equal(r.out.kind, NVMX_NOT_RAM);
	nvmx_outcome_format(&r.out, buf, sizeof(buf));
	assert_string_equal(buf, "not-L1-RAM");
	/* The same address with the VTPR rule off (virtual-interrupt delivery) is no read. */
	fx.v.proc2_controls |= PROC2_VIRT_INTR_DELIVERY;
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	assert_null(r.check);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_passes),
		cmocka_unit_test(test_every_row_has_a_mutation),
		cmocka_unit_test(test_names_unique_and_outcomes_sane),
		cmocka_unit_test(test_each_row_fails_alone),
		cmocka_unit_test(test_kvm_personality_filter),
		cmocka_unit_test(test_log_line),
		cmocka_unit_test(test_all_failures_of_first_group),
		cmocka_unit_test(test_not_ram_outcome),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
