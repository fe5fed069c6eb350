/* svm_vmrun: VMRUN as L1 issues it: the valid sample, then every broken field of nestor's table. */
#include "guest.h"
#include "svm/svm_guest.h"

#include "lib/format.h"
#include "nested/svm/nsvm_check.h"

const char guest_name[] = "svm_vmrun";

/*
 * Each case of nested/svm/nsvm_mutations.c is applied to the valid sample (a 64-bit L2
 * with NPT when offered) and run; the expected outcome comes from the same check table
 * nestor uses. One line per case, for comparison across platforms:
 *   CASE <check>.<variant> origin=apm|nestor expect=<outcome> got=<outcome> exitcode=<hex>
 * then PASS/FAIL <check>.<variant>. With apm=1 on the command line, expectations come from
 * the APM's entries only and nestor's own cases are reported as INFO, not judged: that is
 * the mode for a CPU (or QEMU) as L0; under nestor every case is judged.
 */
static struct svm_env env;
static bool apm_only;
static unsigned invalid_exits, invalid_full_width, invalid_eventinj_kept;

struct outcome {
	enum nsvm_outcome got;
	int vector;		/* the fault VMRUN raised, -1 for none */
	uint64_t exitcode;
};

static const char *realize(const struct nsvm_mutation *m)
{
	switch (m->kind) {
	case NSVM_MUT_L1_MODE: return "needs L1 outside 64-bit paged mode";
	case NSVM_MUT_FEATURES: return "needs a CPUID without the feature";
	default: return NULL;
	}
}

static struct outcome vmrun(enum nsvm_mut_kind kind, const struct nsvm_vmrun *run)
{
	struct outcome o = { NSVM_RUN, -1, ~0ull };
	uint64_t efer = rdmsr(MSR_EFER);
	svm_vmcb.control.exit_code = 0x5a5a5a5a5a5a5a5aull;	/* proves a #VMEXIT wrote it */
	fault_begin();
	if (kind == NSVM_MUT_L1_EFER) {
		wrmsr(MSR_EFER, run->efer);
		svm_vmrun_plain(run->rax);
		o.vector = fault_end();
		wrmsr(MSR_EFER, efer);
		asm volatile("stgi");
	} else if (kind == NSVM_MUT_L1_CPL) {
		svm_vmrun_ring3(run->rax, svm_ring3_stack_top());
		o.vector = fault_end();
		asm volatile("stgi");
	} else {
		svm_vmrun_gif(run->rax);
		o.vector = fault_end();
	}
	if (o.vector == VEC_UD)
		o.got = NSVM_UD;
	else if (o.vector == VEC_GP)
		o.got = NSVM_GP;
	else if (o.vector < 0 && run->rax < (uint64_t)IDMAP_GIB << 30) {
		/* The VMCB VMRUN used: an address outside RAM reads as whatever is there. */
		const volatile struct vmcb *used = (const volatile struct vmcb *)(uintptr_t)run->rax;
		o.exitcode = used->control.exit_code;
		/* QEMU writes VMEXIT_INVALID as 32 bits; invalid.exitcode-64bit judges that. */
		if (o.exitcode == SVM_EXIT_INVALID || o.exitcode == 0xffffffffull)
			o.got = NSVM_VMEXIT_INVALID;
	}
	return o;
}

static void note_invalid(const struct outcome *o)
{
	if (o->got != NSVM_VMEXIT_INVALID || o->vector >= 0)
		return;
	invalid_exits++;
	invalid_full_width += o->exitcode == SVM_EXIT_INVALID;
	invalid_eventinj_kept += (svm_vmcb.control.event_inj & SVM_EVENT_VALID) != 0;
}

static void run_case(const struct nsvm_mutation *m)
{
	char id[96];
	fmt_snprintf(id, sizeof(id), "%s.%s", m->check, m->variant);
	const char *skip = realize(m);
	if (skip) {
		report_skip(id, "%s", skip);
		return;
	}
	struct nsvm_features feat = env.feat;
	struct nsvm_vmrun run;
	nsvm_sample_build(&svm_vmcb, &run, &env.sample, &feat);
	run = env.run;
	m->apply(&svm_vmcb, &run, &feat, &env.sample);
	struct nsvm_check_input in = { &run, &svm_vmcb, &feat, &env.ram };
	const struct nsvm_check *c = nsvm_check_find(m->check);
	bool judged = !apm_only || c->origin == NSVM_ORIGIN_APM;
	enum nsvm_outcome expect = nsvm_check_outcome(&in, apm_only ? 1u << NSVM_ORIGIN_APM
								    : NSVM_ORIGINS_ALL);
	struct outcome o = vmrun(m->kind, &run);
	note_invalid(&o);
	con_printf("CASE %s origin=%s expect=%s got=%s exitcode=%#lx%s", id,
		   c->origin == NSVM_ORIGIN_APM ? "apm" : "nestor",
		   judged ? nsvm_outcome_token(expect) : "n/a", nsvm_outcome_token(o.got),
		   (unsigned long)o.exitcode, o.vector >= 0 ? " (faulted)" : "");
	if (judged)
		report_check(o.got == expect, id, "expected %s, got %s (vector %d, exitcode %#lx)",
			     nsvm_outcome_name(expect), nsvm_outcome_name(o.got), o.vector,
			     (unsigned long)o.exitcode);
}

/* The valid sample passes the table here too, and L2 runs to its VMMCALL. */
static void run_valid(void)
{
	struct nsvm_vmrun run;
	nsvm_sample_build(&svm_vmcb, &run, &env.sample, &env.feat);
	run = env.run;
	struct nsvm_check_input in = { &run, &svm_vmcb, &env.feat, &env.ram };
	struct nsvm_check_result r = nsvm_check_run(&in, NSVM_ORIGINS_ALL);
	char line[200] = "";
	if (r.failed)
		nsvm_check_describe(line, sizeof(line), r.failed, &in);
	report_check(!r.failed, "sample-valid", "%s", line);
	struct outcome o = vmrun(NSVM_MUT_VMCB, &run);
	con_printf("CASE valid origin=apm expect=run got=%s exitcode=%#lx",
		   nsvm_outcome_token(o.got), (unsigned long)o.exitcode);
	report_check(o.got == NSVM_RUN && o.exitcode == SVM_EXIT_VMMCALL &&
		     svm_vmcb.save.rax == env.sample.rax + 2 &&
		     svm_vmcb.save.rip == (uint64_t)(uintptr_t)l2_vmmcall,
		     "valid.l2-ran", "outcome %s, exit %#lx, L2 rax %#lx rip %#lx (VMMCALL at %p)",
		     nsvm_outcome_name(o.got), (unsigned long)o.exitcode,
		     (unsigned long)svm_vmcb.save.rax, (unsigned long)svm_vmcb.save.rip,
		     (const void *)l2_vmmcall);
}

void guest_main(void)
{
	char why[96];
	apm_only = bootinfo_param("apm", 0) != 0;
	svm_ring3_init();	/* first: its GDT (user segments, TSS) is the one L2 gets */
	if (!svm_env_init(&env, why, sizeof(why))) {
		report_skip("svm-supported", "%s", why);
		return;
	}
	const struct nsvm_features *f = &env.feat;
	report_info("mode %s; offered npt=%d nrips=%d vgif=%d clean=%d flushbyasid=%d lbrv=%d "
		    "vvmload=%d nasid=%u maxphyaddr=%u; outside RAM %#lx",
		    apm_only ? "apm" : "nestor", f->npt, f->nrips, f->vgif, f->vmcb_clean,
		    f->flushbyasid, f->lbr_virt, f->v_vmsave_vmload, f->nasid, f->maxphyaddr,
		    (unsigned long)env.sample.outside_ram_pa);
	run_valid();
	for (size_t i = 0; i < nsvm_mutation_count; i++)
		run_case(&nsvm_mutations[i]);
	report_info("%u VMEXIT_INVALID exits, %u with a 64-bit EXITCODE, %u kept EVENTINJ.V",
		    invalid_exits, invalid_full_width, invalid_eventinj_kept);
	if (invalid_exits) {
		report_check(invalid_full_width == invalid_exits, "invalid.exitcode-64bit",
			     "%u of %u VMEXIT_INVALID exits wrote EXITCODE 0xffffffff, not all ones",
			     invalid_exits - invalid_full_width, invalid_exits);
		report_check(!invalid_eventinj_kept, "invalid.eventinj-cleared",
			     "%u VMEXIT_INVALID exits left EVENTINJ.V set", invalid_eventinj_kept);
	}
}
