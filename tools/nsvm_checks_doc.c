/* nsvm_checks_doc: writes docs/nested-svm-checks.md's generated part from the check table. */
#include <stdio.h>
#include <string.h>

#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_sample.h"

/*
 * Usage: nsvm_checks_doc DOC > OUT. Copies DOC, replacing what lies between the BEGIN and
 * END marker lines with the tables below; `make nsvm-doc` writes OUT back over DOC and
 * `make nsvm-doc-check` (in `make check`) fails when they differ.
 * nsvm_checks_doc --cases: one line per case, "case origin kind outcome", for the tests
 * that judge the L1 kernel (tests/integration/test_svm_vmrun_reference.py).
 */
#define BEGIN "<!-- BEGIN GENERATED: make nsvm-doc -->"
#define END "<!-- END GENERATED -->"

static const char *kind_note(enum nsvm_mut_kind k)
{
	switch (k) {
	case NSVM_MUT_VMCB: return "runs (vmcb12 field)";
	case NSVM_MUT_RAX: return "runs (VMCB address)";
	case NSVM_MUT_L1_EFER: return "runs (L1 clears EFER.SVME)";
	case NSVM_MUT_L1_CPL: return "runs (VMRUN at CPL 3)";
	case NSVM_MUT_L1_MODE: return "skipped: needs L1 outside 64-bit paged mode";
	case NSVM_MUT_FEATURES: return "skipped: needs a CPUID without the feature";
	}
	return "?";
}

static void print_fields(const struct nsvm_check *c)
{
	for (unsigned i = 0; i < NSVM_CHECK_FIELDS && c->fields[i] != NSVM_F_END; i++)
		printf("%s`%s`", i ? ", " : "", nsvm_field_name(c->fields[i]));
}

static void print_tables(void)
{
	printf("%zu checks, %zu cases (mutations of the valid sample).\n\n", nsvm_check_count,
	       nsvm_mutation_count);
	printf("| # | check | outcome | origin | reference | illegal when | logged fields |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < nsvm_check_count; i++) {
		const struct nsvm_check *c = &nsvm_checks[i];
		printf("| %zu | `%s` | %s | %s | %s | %s | ", i + 1, c->name,
		       nsvm_outcome_name(c->outcome),
		       c->origin == NSVM_ORIGIN_APM ? "APM" : "nestor", c->ref, c->rule);
		print_fields(c);
		printf(" |\n");
	}
	printf("\n| case | check | outcome | in the L1 test kernel |\n|---|---|---|---|\n");
	for (size_t j = 0; j < nsvm_mutation_count; j++) {
		const struct nsvm_mutation *m = &nsvm_mutations[j];
		const struct nsvm_check *c = nsvm_check_find(m->check);
		printf("| `%s.%s` | `%s` | %s | %s |\n", m->check, m->variant, m->check,
		       c ? nsvm_outcome_name(c->outcome) : "?", kind_note(m->kind));
	}
}

static const char *const kind_names[] = {
	[NSVM_MUT_VMCB] = "vmcb", [NSVM_MUT_RAX] = "rax", [NSVM_MUT_L1_EFER] = "l1_efer",
	[NSVM_MUT_L1_CPL] = "l1_cpl", [NSVM_MUT_L1_MODE] = "l1_mode",
	[NSVM_MUT_FEATURES] = "features",
};

static int print_cases(void)
{
	for (size_t j = 0; j < nsvm_mutation_count; j++) {
		const struct nsvm_mutation *m = &nsvm_mutations[j];
		const struct nsvm_check *c = nsvm_check_find(m->check);
		if (!c)
			return 1;
		printf("%s.%s %s %s %s\n", m->check, m->variant,
		       c->origin == NSVM_ORIGIN_APM ? "apm" : "nestor", kind_names[m->kind],
		       nsvm_outcome_token(c->outcome));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--cases"))
		return print_cases();
	FILE *in = argc == 2 ? fopen(argv[1], "r") : NULL;
	if (!in) {
		fprintf(stderr, "usage: %s DOC (the doc with the %s and %s lines)\n", argv[0],
			BEGIN, END);
		return 2;
	}
	char line[4096];
	int state = 0;		/* 0 before BEGIN, 1 inside, 2 after END */
	while (fgets(line, sizeof(line), in)) {
		if (state == 0 && !strncmp(line, BEGIN, strlen(BEGIN))) {
			fputs(line, stdout);
			print_tables();
			state = 1;
		} else if (state == 1 && !strncmp(line, END, strlen(END))) {
			fputs(line, stdout);
			state = 2;
		} else if (state != 1) {
			fputs(line, stdout);
		}
	}
	fclose(in);
	if (state != 2) {
		fprintf(stderr, "%s: markers missing or unterminated\n", argv[1]);
		return 1;
	}
	return 0;
}
