/* svm_bench: an L1 test kernel that runs an L2 CPUID loop under SVM and times the L2 exits (make bench-nested). */
#include "guest.h"
#include "svm/svm_guest.h"

/*
 * A minimal SVM hypervisor: L2 executes CPUID `loops` times (loops=N on the command
 * line); each CPUID exits to this kernel, which does the least a VMM does for it (read
 * EXITCODE, move RIP past the instruction) and VMRUNs again, between CLGI and STGI as a
 * hypervisor does (svm_vmrun_gif). Under QEMU alone each L2 exit is QEMU's; as nestor's
 * L1 each is reflected by nestor, and this kernel's VMRUN exits to nestor too. The
 * harness (tools/bench-nested) times the lines between "SVM-BENCH begin" and "SVM-BENCH
 * end"; the TSC delta is printed beside them.
 */
const char guest_name[] = "svm_bench";

extern const char svm_bench_l2[];
volatile uint64_t svm_bench_left;	/* L2's loop counter (svm_bench_entry.S) */

#define CPUID_LEN 2			/* 0F A2, without NRIPS to say so */

void guest_main(void)
{
	static struct svm_env env;
	char why[96];
	unsigned loops = (unsigned)bootinfo_param("loops", 20000), exits = 0;
	bool flush = bootinfo_param("flush", 0) != 0;	/* flush=1: TLB_CONTROL at every VMRUN */
	uint64_t code = 0, t0, t1;
	struct nsvm_vmrun run;
	int vector;

	if (!loops)
		loops = 1;	/* L2 decrements before it tests: 0 would wrap */
	if (!svm_env_init(&env, why, sizeof(why))) {
		report_skip("svm-bench", "%s", why);
		return;
	}
	/* The sample (valid for what this CPU offers) with L2 entering the loop, CPUID
	 * intercepted besides what the sample intercepts (VMMCALL ends the loop). */
	env.sample.rip = (uint64_t)(uintptr_t)svm_bench_l2;
	nsvm_sample_build(&svm_vmcb, &run, &env.sample, &env.feat);
	svm_vmcb.control.intercept_misc1 |= SVM_INTERCEPT_CPUID;
	svm_bench_left = loops;

	con_printf("SVM-BENCH begin loops=%u nrips=%d npt=%d flush=%d", loops, env.feat.nrips,
		   env.feat.npt, flush);
	fault_begin();
	t0 = rdtsc();
	for (;;) {
		svm_vmrun_gif(env.run.rax);
		code = svm_vmcb.control.exit_code;
		if (code != SVM_EXIT_CPUID || this_cpu()->fault_vector >= 0)
			break;
		/* NRIPS saves the next RIP on an intercepted instruction (15.7.1); without
		 * it the VMM knows CPUID's length. */
		svm_vmcb.save.rip = env.feat.nrips ? svm_vmcb.control.next_rip
						   : svm_vmcb.save.rip + CPUID_LEN;
		/* The sample flushes at VMRUN; after the first entry nothing is stale, and a
		 * VMM asks for no flush (15.16.1). nestor drops its shadow NPT at a flush:
		 * flush=1 measures what that costs. */
		if (!flush)
			svm_vmcb.control.tlb_control = SVM_TLB_CONTROL_NOTHING;
		exits++;
	}
	t1 = rdtsc();
	vector = fault_end();
	con_printf("SVM-BENCH end exits=%u tsc=%llu tsc_per_exit=%llu", exits,
		   (unsigned long long)(t1 - t0),
		   (unsigned long long)(exits ? (t1 - t0) / exits : 0));
	if (vector >= 0 || code != SVM_EXIT_VMMCALL || exits != loops || svm_bench_left)
		report_fail("svm-bench-loop", "VMRUN %s, last exit %#llx after %u CPUID exits (of "
			    "%u), %llu left", fault_name(vector), (unsigned long long)code, exits,
			    loops, (unsigned long long)svm_bench_left);
	else
		report_pass("svm-bench-loop");
}
