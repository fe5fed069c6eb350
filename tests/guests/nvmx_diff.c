/* nvmx_diff: L1 test kernel that VMLAUNCHes generated VMCSs and compares each outcome with the check table. */
#include "guest.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tests/guests/nvmx_l1.h"
#include "tests/nvmx/nvmx_cases.h"

/*
 * For every row of nested/vmx/nvmx_check_table.c: the valid vmcs12 of tests/nvmx with
 * that row's mutation, then random multi-field cases from a seed. Each case is written
 * into a real VMCS field by field and launched; the CPU's outcome is printed beside the
 * table's on one line:
 *   NVMX case=N mut=NAME expect=OUTCOME rows=ROW[,ROW..] got=OUTCOME verdict=WORD
 * verdict: agree (got = the first failing row's outcome), any-order (got = the outcome
 * of another failing row of the same group, which 26.2/26.3 allow), DISAGREE, or skip
 * (nestor-only outcome, or an L1 state this kernel cannot take).
 * Under nestor this kernel is L1 and nestor's emulation answers instead of the CPU.
 */
const char guest_name[] = "nvmx_diff";

extern int nvmx_diff_launch(void);
extern char nvmx_diff_exit[], nvmx_diff_l2[];

static struct nvmx_outcome launch(bool *invalid)
{
	struct nvmx_outcome o = { NVMX_ENTERED, 0, 0 };
	int rc;

	nvmx_l1_load_vmcs();
	/* The VMCS region was just cleared: restore what the mutations put there. */
	*(uint32_t *)(uintptr_t)nk.lay.vmcs12 = (uint32_t)(nk.caps.msrs.basic & VMX_BASIC_REVISION_MASK);
	rc = nvmx_diff_launch();
	*invalid = rc == 1;
	if (rc == 2) {
		o.kind = NVMX_VMFAIL_VALID;
		o.code = (uint8_t)vmcs_read(VMCS_INSTRUCTION_ERROR);
	} else if (rc == 0) {
		uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
		if (reason & EXIT_REASON_ENTRY_FAILURE) {
			o.kind = NVMX_ENTRY_EXIT;
			o.code = (uint8_t)reason;
			o.qual = (uint32_t)vmcs_read(VMCS_EXIT_QUALIFICATION);
		}
	}
	return o;
}

static bool same(struct nvmx_outcome a, struct nvmx_outcome b)
{
	return a.kind == b.kind && a.code == b.code && a.qual == b.qual;
}

static struct { unsigned cases, run, agree, any_order, disagree, skipped; } st;
static bool skip_type7;		/* cmdline no_type7=1: Bochs 2.7 panics on them */
static struct nvmx_case kase = { &nk.v, &nk.caps, &nk.lay, &nk.env };

static void fresh(void)
{
	nvmx_valid_vmcs12(&kase);
	/* This kernel's FS/GS bases must survive every exit (27.5.2 loads them). */
	nk.v.host_fs_base = rdmsr(MSR_FS_BASE);
	nk.v.host_gs_base = rdmsr(MSR_GS_BASE);
}

static void run_case(const char *name)
{
	const struct nvmx_check *fails[16];
	struct nvmx_result r;
	struct nvmx_outcome got;
	char want[32], have[32], rows[200];
	bool l1_changed = !nk.env.l1_lma || nk.env.l1_x2apic, invalid;
	unsigned n, at = 0;
	const char *verdict;

	st.cases++;
	/* The CPU sees this kernel as it is: 64-bit, xAPIC. */
	nk.env.l1_lma = true;
	nk.env.l1_x2apic = false;
	n = nvmx_check_vmentry_all(&nk.v, &nk.env, NVMX_MODE_ALL, &r, fails, 16);
	nvmx_outcome_format(&r.out, want, sizeof(want));
	rows[0] = 0;
	/* The console's lines are short: the first two rows and how many more. */
	for (unsigned i = 0; i < n && i < 2; i++)
		at += fmt_snprintf(rows + at, sizeof(rows) - at, "%s%s", i ? "," : "", fails[i]->name);
	if (n > 2)
		fmt_snprintf(rows + at, sizeof(rows) - at, ",+%u", n - 2);
	if (r.out.kind == NVMX_NOT_RAM) {
		st.skipped++;
		con_printf("NVMX case=%u mut=%s expect=%s rows=%s got=- verdict=skip(nestor-only)%s",
			   st.cases, name, want, rows, l1_changed ? " l1=64bit-xapic" : "");
		return;
	}
	if (skip_type7 && (nk.v.entry_intr_info & INTR_INFO_VALID) &&
	    (nk.v.entry_intr_info & INTR_INFO_TYPE_MASK) == INTR_TYPE_OTHER_EVENT &&
	    !(VMX_CTL_MAY1(nk.caps.msrs.proc) & PROC_MONITOR_TRAP_FLAG)) {
		st.skipped++;
		con_printf("NVMX case=%u mut=%s expect=%s rows=%s got=- verdict=skip(no_type7)",
			   st.cases, name, want, rows);
		return;
	}
	got = launch(&invalid);
	st.run++;
	nvmx_outcome_format(&got, have, sizeof(have));
	if (invalid) {
		verdict = "DISAGREE";
		fmt_snprintf(have, sizeof(have), "VMfailInvalid");
	} else if (same(got, r.out)) {
		verdict = "agree";
	} else {
		verdict = "DISAGREE";
		for (unsigned i = 1; i < n; i++)
			if (same(got, nvmx_check_outcome(fails[i], r.msr_entry)))
				verdict = "any-order";
	}
	if (verdict[0] == 'a' && verdict[1] == 'g')
		st.agree++;
	else if (verdict[0] == 'a')
		st.any_order++;
	else
		st.disagree++;
	con_printf("NVMX case=%u mut=%s expect=%s rows=%s got=%s verdict=%s%s", st.cases, name,
		   want, rows[0] ? rows : "-", have, verdict, l1_changed ? " l1=64bit-xapic" : "");
}

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Guest-state fields random cases may change (not RIP, RSP, CR3: L2 must stay bounded). */
static bool tweakable(const struct vmcs12_field *f)
{
	return VMCS_ENC_TYPE(f->encoding) == 2 && f->encoding != VMCS_GUEST_RIP &&
	       f->encoding != VMCS_GUEST_RSP && f->encoding != VMCS_GUEST_CR3;
}

static void random_case(unsigned i)
{
	char name[96];
	unsigned k = 2 + rnd() % 2, at;

	fresh();
	at = fmt_snprintf(name, sizeof(name), "random%u:", i);
	for (unsigned j = 0; j < k; j++) {
		const struct nvmx_mutation *m = &nvmx_mutations[rnd() % nvmx_mutation_count];
		m->apply(&kase);
		at += fmt_snprintf(name + at, sizeof(name) - at, "%s%s", j ? "+" : "",
				   m->check + (m->check[0] == 'g' ? 6 : m->check[0] == 'c' ? 4 : 0));
	}
	/* A few guest fields flipped too, only with EPT on (L2 then cannot write L1). */
	if ((nk.v.proc_controls & PROC_SECONDARY) && (nk.v.proc2_controls & PROC2_EPT)) {
		for (unsigned j = rnd() % 3; j; j--) {
			const struct vmcs12_field *f = &vmcs12_fields[rnd() % vmcs12_field_count];
			if (tweakable(f))
				vmcs12_set(&nk.v, f, vmcs12_get(&nk.v, f) ^ (1ull << (rnd() % 64)));
		}
	}
	run_case(name);
}

static unsigned cmdline_uint(const char *key, unsigned dflt)
{
	const char *p = bootinfo.cmdline;
	size_t n = strlen(key);

	for (; p && *p; p++)
		if (!strncmp(p, key, n)) {
			unsigned x = 0;
			for (p += n; *p >= '0' && *p <= '9'; p++)
				x = x * 10 + (unsigned)(*p - '0');
			return x;
		}
	return dflt;
}

void guest_main(void)
{
	uint32_t c;
	unsigned seed = cmdline_uint("seed=", 1), randoms = cmdline_uint("random=", 64);

	skip_type7 = cmdline_uint("no_type7=", 0);

	c = cpuid(1, 0).ecx;
	if (!(c & (1u << 5))) {
		report_skip("nvmx-diff", "no VMX (CPUID.1:ECX[5])");
		return;
	}
	nvmx_l1_read_caps();
	nvmx_l1_build_ept();
	if (!nvmx_l1_vmx_on()) {
		report_fail("nvmx-diff", "VMXON failed");
		return;
	}
	nvmx_l1_build_layout((uint64_t)(uintptr_t)nvmx_diff_l2, (uint64_t)(uintptr_t)nvmx_diff_exit);
	con_printf("NVMX BEGIN rows=%u seed=%u random=%u basic=%#llx maxphyaddr=%u proc2=%#llx",
		   nvmx_check_count, seed, randoms, (unsigned long long)nk.caps.msrs.basic,
		   nk.caps.maxphyaddr, (unsigned long long)nk.caps.msrs.proc2);
	fresh();
	run_case("valid");
	for (unsigned i = 0; i < nvmx_mutation_count; i++) {
		fresh();
		nvmx_mutations[i].apply(&kase);
		run_case(nvmx_mutations[i].check);
	}
	rng = 0x9e3779b97f4a7c15ull ^ seed;
	for (unsigned i = 0; i < randoms; i++)
		random_case(i);
	con_printf("NVMX SUMMARY cases=%u run=%u agree=%u any_order=%u disagree=%u skipped=%u",
		   st.cases, st.run, st.agree, st.any_order, st.disagree, st.skipped);
	con_printf("NVMX END");
	report_pass("nvmx-diff-ran");
}
