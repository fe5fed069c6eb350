/* svm_l2db: an L1 test kernel whose L2 takes #DB of its own, once with L1 not intercepting #DB and once intercepting it. */
#include "guest.h"
#include "svm/svm_guest.h"

/*
 * nestor intercepts #DB in vmcb02 whatever L1 asks (CVE-2015-8104, docs/exits.md), so an
 * L2 #DB that L1 does not intercept exits to nestor, which must give it back into L2 as
 * the processor would have delivered it. L2 (svm_l2db_entry.S) takes a single-step trap
 * (DR6.BS) and a data breakpoint (DR6.B0); its handler records DR6 each time. Two runs:
 * - l2db-own: intercept_exceptions 0, L2's handler runs twice with those DR6 bits and L2
 *   ends in VMMCALL; L1 sees no other exit;
 * - l2db-l1: L1 intercepts #DB: each trap is #VMEXIT(40h + 1) to L1 with DR6 in the VMCB
 *   (APM 15.12), which L1 injects back (EVENTINJ), and L2's handler sees the same.
 * Under QEMU alone both pass too (the reference).
 */
const char guest_name[] = "svm_l2db";

extern const char svm_l2db_l2[], svm_l2db_handler[], svm_l2db_other[];
volatile uint64_t svm_l2db_count, svm_l2db_dr6[4];
volatile uint32_t svm_l2db_target;

#define VECTOR_DB 1
#define DR6_B0 (1ull << 0)
#define DR6_BS (1ull << 14)
#define L2_VECTORS 32
#define MAX_EXITS 8

static struct idt_gate idt[L2_VECTORS] __attribute__((aligned(16)));

static struct idt_gate gate(const void *handler)
{
	return svm_idt_gate((uint64_t)(uintptr_t)handler);
}

/* One L2 run; the exits L1 saw before the last, with DR6 at each #DB exit, go to codes/dr6. */
static uint64_t run_l2(struct svm_env *env, bool l1_intercepts, uint64_t *codes, uint64_t *dr6,
		       unsigned *n, int *vector)
{
	struct nsvm_vmrun run;
	uint64_t code = 0;
	env->sample.rip = (uint64_t)(uintptr_t)svm_l2db_l2;
	nsvm_sample_build(&svm_vmcb, &run, &env->sample, &env->feat);
	svm_vmcb.save.idtr.base = (uint64_t)(uintptr_t)idt;
	svm_vmcb.save.idtr.limit = sizeof(idt) - 1;
	svm_vmcb.control.intercept_exceptions = l1_intercepts ? 1u << VECTOR_DB : 0;
	svm_vmcb.control.intercept_dr = 0;	/* L2 sets DR0, DR6 and DR7 itself */
	svm_l2db_count = 0;
	for (unsigned i = 0; i < 4; i++)
		svm_l2db_dr6[i] = 0;
	*n = 0;
	fault_begin();
	for (;;) {
		svm_vmrun_gif(env->run.rax);
		code = svm_vmcb.control.exit_code;
		if (this_cpu()->fault_vector >= 0 || code != SVM_EXIT_EXCP_BASE + VECTOR_DB ||
		    *n >= MAX_EXITS)
			break;
		codes[*n] = code;
		dr6[(*n)++] = svm_vmcb.save.dr6;
		/* L1 gives the #DB to L2 as it came: a trap, RIP already past the instruction. */
		svm_vmcb.control.event_inj = VECTOR_DB | SVM_EVENT_TYPE_EXCEPTION | SVM_EVENT_VALID;
		svm_vmcb.control.tlb_control = SVM_TLB_CONTROL_NOTHING;
	}
	*vector = fault_end();
	return code;
}

static void check(const char *name, uint64_t code, int vector, unsigned exits,
		  unsigned want_exits, const uint64_t *exit_dr6)
{
	uint64_t n = svm_l2db_count, d0 = svm_l2db_dr6[0], d1 = svm_l2db_dr6[1];
	bool ok = vector < 0 && code == SVM_EXIT_VMMCALL && exits == want_exits && n == 2 &&
		  (d0 & DR6_BS) && !(d0 & 0xf) && (d1 & DR6_B0) && !(d1 & DR6_BS) &&
		  svm_l2db_target == 1;
	for (unsigned i = 0; ok && i < exits; i++)
		ok = (exit_dr6[i] & 0xffff) == (svm_l2db_dr6[i] & 0xffff);
	con_printf("%s: last exit %#llx, %u #DB exits to L1, L2 handler ran %llu times, "
		   "DR6 %#llx %#llx", name, (unsigned long long)code, exits,
		   (unsigned long long)n, (unsigned long long)d0, (unsigned long long)d1);
	if (ok)
		report_pass(name);
	else
		report_fail(name, "VMRUN %s, last exit %#llx (want VMMCALL), %u #DB exits (want "
			    "%u), handler ran %llu times (want 2), DR6 %#llx (want BS) %#llx (want "
			    "B0), target %u", fault_name(vector), (unsigned long long)code, exits,
			    want_exits, (unsigned long long)n, (unsigned long long)d0,
			    (unsigned long long)d1, svm_l2db_target);
}

void guest_main(void)
{
	static struct svm_env env;
	char why[96];
	uint64_t codes[MAX_EXITS], dr6[MAX_EXITS], code;
	unsigned exits;
	int vector;

	if (!svm_env_init(&env, why, sizeof(why))) {
		report_skip("l2db-own", "%s", why);
		report_skip("l2db-l1", "%s", why);
		return;
	}
	for (unsigned v = 0; v < L2_VECTORS; v++)
		idt[v] = gate(v == VECTOR_DB ? (const void *)svm_l2db_handler
						 : (const void *)svm_l2db_other);

	svm_l2db_target = 0;
	code = run_l2(&env, false, codes, dr6, &exits, &vector);
	check("l2db-own", code, vector, exits, 0, dr6);

	svm_l2db_target = 0;
	code = run_l2(&env, true, codes, dr6, &exits, &vector);
	check("l2db-l1", code, vector, exits, 2, dr6);
}
