/* nvmx_diff: L1 test kernel that VMLAUNCHes generated VMCSs and compares each outcome with the check table. */
#include "guest.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "lib/format.h"
#include "lib/string.h"
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

#define PAGES 40
static uint8_t pages[PAGES][4096] __attribute__((aligned(4096)));
static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));
static uint8_t host_stack[16384] __attribute__((aligned(16)));
static uint64_t ept_pml4[512] __attribute__((aligned(4096)));
static uint64_t ept_pdpt[512] __attribute__((aligned(4096)));
static uint64_t ept_pd[4][512] __attribute__((aligned(4096)));

extern int nvmx_diff_launch(void);
extern char nvmx_diff_exit[], nvmx_diff_l2[];

static struct nvmx_caps caps;
static struct nvmx_layout lay;
static struct nvmx_env env;
static struct vmcs12 v;
static bool write_failed;

void vmcs_access_failed(enum vmcs_field field, enum vmx_status st, int write)
{
	(void)field, (void)st, (void)write;
	write_failed = true;
}

#define PAGE(n) ((uint64_t)(uintptr_t)pages[n])

static void *mem_ptr(void *ctx, uint64_t gpa, unsigned len)
{
	(void)ctx, (void)len;
	return (void *)(uintptr_t)gpa;
}

/* L1 RAM as the table sees it here: the low 256 MiB (the runs give 512). */
#define RAM_TOP (1ull << 28)
static bool mem_read(void *ctx, uint64_t gpa, void *buf, unsigned len)
{
	(void)ctx;
	if (gpa >= RAM_TOP || len > RAM_TOP - gpa)
		return false;
	memcpy(buf, (void *)(uintptr_t)gpa, len);
	return true;
}

/* The MSRs the cases load: SYSENTER_CS any 32-bit value, ESP/EIP canonical. */
static bool msr_ok(void *ctx, uint32_t index, uint64_t value)
{
	(void)ctx;
	if (index == 0x174)
		return !(value >> 32);
	if (index == 0x175 || index == 0x176)
		return (uint64_t)((int64_t)(value << 16) >> 16) == value;
	return false;
}


struct dtr { uint16_t limit; uint64_t base; } __attribute__((packed));

static void read_caps(void)
{
	struct vmx_cap_msrs *m = &caps.msrs;
	uint32_t a, b, d;

	vmx_cap_msrs_read(m);
	{ struct cpuid_regs q = cpuid(0x80000008, 0); a = q.eax; b = q.ebx; d = q.edx; }
	caps.maxphyaddr = a & 0xff;
	caps.linear_bits = (a >> 8) & 0xff;
	{ struct cpuid_regs q = cpuid(0x80000001, 0); a = q.eax; b = q.ebx; d = q.edx; }
	caps.efer_valid = 0x501 | ((d & (1u << 20)) ? 0x800 : 0);
	{ struct cpuid_regs q = cpuid(7, 0); a = q.eax; b = q.ebx; d = q.edx; }
	caps.mpx = b & (1u << 14);
	caps.rtm = b & (1u << 11);
	caps.sgx = b & (1u << 2);
	caps.debugctl_valid = 0x3;
	{ struct cpuid_regs q = cpuid(0xa, 0); a = q.eax; b = q.ebx; d = q.edx; }
	caps.perf_global_ctrl_valid = ((1ull << ((a >> 8) & 0xff)) - 1) |
				      (((1ull << (d & 0x1f)) - 1) << 32);
}

/* EPT: the low 4 GiB identity-mapped read/execute (2 MiB pages, WB): L2 cannot write L1. */
static void build_ept(void)
{
	ept_pml4[0] = (uint64_t)(uintptr_t)ept_pdpt | 7;
	for (int i = 0; i < 4; i++) {
		ept_pdpt[i] = (uint64_t)(uintptr_t)ept_pd[i] | 7;
		for (int j = 0; j < 512; j++)
			ept_pd[i][j] = ((uint64_t)i << 30) | ((uint64_t)j << 21) | (6u << 3) |
				       (1u << 7) | 5;
	}
}

static void build_layout(void)
{
	struct dtr g, i;

	asm volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(i));
	lay.vmcs12 = PAGE(0);
	lay.vapic = PAGE(1);
	lay.apic_access = PAGE(2);
	lay.io_a = PAGE(3);
	lay.io_b = PAGE(4);
	lay.msr_bitmap = PAGE(5);
	lay.posted_desc = PAGE(6);
	lay.pml = PAGE(7);
	lay.eptp_list = PAGE(8);
	lay.vmread_bitmap = PAGE(9);
	lay.vmwrite_bitmap = PAGE(10);
	lay.ve_info = PAGE(11);
	lay.msr_load = PAGE(12);
	lay.msr_store = PAGE(15);
	lay.shadow = PAGE(16);
	lay.pdpt = PAGE(17);
	lay.guest_gdt = PAGE(18);
	lay.guest_idt = PAGE(19);
	lay.guest_tss = PAGE(20);
	/* Not RAM for the table, below 4 GiB (a PAE CR3 holds 32 bits), never launched. */
	lay.not_ram = 0xc0000000ull;
	lay.ept_root = (uint64_t)(uintptr_t)ept_pml4;
	lay.guest_cr3 = read_cr3();
	lay.guest_rip = (uint64_t)(uintptr_t)nvmx_diff_l2;
	lay.guest_rsp = PAGE(22) - 16;
	lay.host_cr0 = read_cr0();
	lay.host_cr3 = read_cr3();
	lay.host_cr4 = read_cr4();
	lay.host_efer = rdmsr(MSR_EFER);
	lay.host_pat = rdmsr(0x277);
	lay.host_rip = (uint64_t)(uintptr_t)nvmx_diff_exit;
	lay.host_rsp = (uint64_t)(uintptr_t)(host_stack + sizeof(host_stack));
	lay.host_gdt = g.base;
	lay.host_idt = i.base;
	lay.host_tr_base = PAGE(21);
	lay.host_cs = 0x18;			/* GDT_CODE64 */
	lay.host_ds = 0x10;
	lay.host_tr = 0x28;			/* never loaded from the GDT (27.5.2) */
	lay.ptr = mem_ptr;
	env.caps = &caps;
	env.read = mem_read;
	env.msr_write_ok = msr_ok;
}

static bool vmx_on(void)
{
	uint64_t fc = rdmsr(0x3a), pa = (uint64_t)(uintptr_t)vmxon_region;

	/* IA32_FEATURE_CONTROL: lock with VMX outside SMX when the firmware left it open. */
	if (!(fc & 1))
		wrmsr(0x3a, fc | 5);
	write_cr0((read_cr0() | caps.msrs.cr0_fixed0) & caps.msrs.cr0_fixed1);
	write_cr4((read_cr4() | caps.msrs.cr4_fixed0) & caps.msrs.cr4_fixed1);
	*(uint32_t *)vmxon_region = (uint32_t)(caps.msrs.basic & VMX_BASIC_REVISION_MASK);
	return vmxon(pa) == VMX_OK;
}

/* Writes every field the CPU has into the current VMCS; fields it refuses are skipped. */
static void load_vmcs(void)
{
	uint64_t pa = lay.vmcs12;

	memset((void *)(uintptr_t)pa, 0, 4096);
	*(uint32_t *)(uintptr_t)pa = (uint32_t)(caps.msrs.basic & VMX_BASIC_REVISION_MASK);
	vmclear(pa);
	vmptrld(pa);
	for (unsigned i = 0; i < vmcs12_field_count; i++) {
		const struct vmcs12_field *f = &vmcs12_fields[i];

		if (VMCS_ENC_TYPE(f->encoding) == VMCS_TYPE_READ_ONLY ||
		    !vmcs12_field_exists(f, &caps.msrs))
			continue;
		vmcs_write(f->encoding, vmcs12_get(&v, f));
	}
	write_failed = false;
}

static struct nvmx_outcome launch(bool *invalid)
{
	struct nvmx_outcome o = { NVMX_ENTERED, 0, 0 };
	int rc;

	load_vmcs();
	/* The VMCS region was just cleared: restore what the mutations put there. */
	*(uint32_t *)(uintptr_t)lay.vmcs12 = (uint32_t)(caps.msrs.basic & VMX_BASIC_REVISION_MASK);
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
static struct nvmx_case kase = { &v, &caps, &lay, &env };

static void fresh(void)
{
	nvmx_valid_vmcs12(&kase);
	/* This kernel's FS/GS bases must survive every exit (27.5.2 loads them). */
	v.host_fs_base = rdmsr(MSR_FS_BASE);
	v.host_gs_base = rdmsr(MSR_GS_BASE);
}

static void run_case(const char *name)
{
	const struct nvmx_check *fails[16];
	struct nvmx_result r;
	struct nvmx_outcome got;
	char want[32], have[32], rows[200];
	bool l1_changed = !env.l1_lma || env.l1_x2apic, invalid;
	unsigned n, at = 0;
	const char *verdict;

	st.cases++;
	/* The CPU sees this kernel as it is: 64-bit, xAPIC. */
	env.l1_lma = true;
	env.l1_x2apic = false;
	n = nvmx_check_vmentry_all(&v, &env, NVMX_MODE_ALL, &r, fails, 16);
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
	if (skip_type7 && (v.entry_intr_info & INTR_INFO_VALID) &&
	    (v.entry_intr_info & INTR_INFO_TYPE_MASK) == INTR_TYPE_OTHER_EVENT &&
	    !(VMX_CTL_MAY1(caps.msrs.proc) & PROC_MONITOR_TRAP_FLAG)) {
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
	if ((v.proc_controls & PROC_SECONDARY) && (v.proc2_controls & PROC2_EPT)) {
		for (unsigned j = rnd() % 3; j; j--) {
			const struct vmcs12_field *f = &vmcs12_fields[rnd() % vmcs12_field_count];
			if (tweakable(f))
				vmcs12_set(&v, f, vmcs12_get(&v, f) ^ (1ull << (rnd() % 64)));
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
	read_caps();
	build_ept();
	if (!vmx_on()) {
		report_fail("nvmx-diff", "VMXON failed");
		return;
	}
	build_layout();		/* after VMXON: the host CR0/CR4 carry the VMX fixed bits */
	con_printf("NVMX BEGIN rows=%u seed=%u random=%u basic=%#llx maxphyaddr=%u proc2=%#llx",
		   nvmx_check_count, seed, randoms, (unsigned long long)caps.msrs.basic,
		   caps.maxphyaddr, (unsigned long long)caps.msrs.proc2);
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
