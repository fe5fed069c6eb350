/* cpu_model: every MSR the CPUID implies answers without #GP, and the dynamic CPUID bits. */
#include "guest.h"

const char guest_name[] = "cpu_model";

#define MSR_MTRRCAP 0xfe
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MISC_ENABLE 0x1a0
#define MSR_MTRR_VAR 0x200
#define MSR_PAT 0x277
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_MC0_CTL 0x400
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_TSC_AUX 0xc0000103
#define MSR_AMD_PERF_FIRST 0xc0010000	/* PerfEvtSel0-3, then PerfCtr0-3 */
#define MSR_INTEL_PMC0 0xc1
#define MSR_INTEL_PERFEVTSEL0 0x186

#define CR4_OSXSAVE (1ull << 18)
#define ADDR 0x0000123456789abcull		/* canonical, as kvm-unit-tests' msr test uses */
#define NONCANONICAL 0xaaaaaaaaaaaaaaaaull	/* canonical for neither 48 nor 57 bits */

static const uint32_t mtrr_fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b,
				       0x26c, 0x26d, 0x26e, 0x26f };

static bool has(uint32_t leaf, unsigned reg, unsigned bit)
{
	struct cpuid_regs r = cpuid(leaf, 0);
	uint32_t v = reg == 0 ? r.eax : reg == 1 ? r.ebx : reg == 2 ? r.ecx : r.edx;
	return (v >> bit) & 1;
}

static bool is_amd(void)
{
	uint32_t ebx = cpuid(0, 0).ebx;
	return ebx == 0x68747541 || ebx == 0x6f677948;	/* AuthenticAMD, HygonGenuine */
}

/* RDMSR, WRMSR of `val`, RDMSR: one case, no exception and the value read back. */
static void rw_case(struct multi_check *m, uint32_t msr, uint64_t val)
{
	uint64_t got = 0;
	int r1 = rdmsr_safe(msr, &got);
	int w = wrmsr_safe(msr, val);
	int r2 = rdmsr_safe(msr, &got);
	multi_case(m, r1 < 0 && w < 0 && r2 < 0 && got == val, "MSR %#x: read %s, write %#lx %s, "
		   "read %s %#lx", msr, fault_name(r1), (unsigned long)val, fault_name(w),
		   fault_name(r2), (unsigned long)got);
}

/* The same, writing back what was there. */
static void keep_case(struct multi_check *m, uint32_t msr)
{
	uint64_t v = 0;
	if (rdmsr_safe(msr, &v) >= 0) {
		multi_case(m, false, "MSR %#x: read raised #GP", msr);
		return;
	}
	rw_case(m, msr, v);
}

/* A round trip of `val`, then the old value back. */
static void roundtrip_case(struct multi_check *m, uint32_t msr, uint64_t val)
{
	uint64_t old = 0;
	rdmsr_safe(msr, &old);
	rw_case(m, msr, val);
	wrmsr_safe(msr, old);
}

/*
 * AMD: PerfEvtSel0-3/PerfCtr0-3 exist on every CPU since K7 (APM Vol. 2, 13.2), whatever
 * CPUID says. Intel: CPUID.0Ah's version and counter count say which exist.
 */
static void check_pmu(void)
{
	struct multi_check m;
	multi_begin(&m, "pmu-msrs");
	if (is_amd()) {
		for (uint32_t msr = MSR_AMD_PERF_FIRST; msr < MSR_AMD_PERF_FIRST + 8; msr++)
			rw_case(&m, msr, 0);
	} else {
		uint32_t eax = cpuid(0, 0).eax >= 0xa ? cpuid(0xa, 0).eax : 0;
		unsigned n = (eax & 0xff) ? (eax >> 8) & 0xff : 0;
		report_info("architectural PMU version %u, %u counters", eax & 0xff, n);
		for (unsigned i = 0; i < n; i++) {
			rw_case(&m, MSR_INTEL_PMC0 + i, 0);
			rw_case(&m, MSR_INTEL_PERFEVTSEL0 + i, 0);
		}
	}
	multi_end(&m);
}

static void check_mtrrs(void)
{
	struct multi_check m;
	multi_begin(&m, "mtrr-msrs");
	if (has(1, 3, 12)) {
		uint64_t cap = 0;
		multi_case(&m, rdmsr_safe(MSR_MTRRCAP, &cap) < 0, "MTRRCAP: #GP");
		keep_case(&m, MSR_MTRR_DEF_TYPE);
		for (unsigned i = 0; (cap & (1u << 8)) && i < 11; i++)
			keep_case(&m, mtrr_fixed[i]);
		for (unsigned i = 0; i < 2 * (cap & 0xff); i++)
			keep_case(&m, MSR_MTRR_VAR + i);
		report_info("MTRRCAP %#lx", (unsigned long)cap);
	}
	multi_end(&m);
}

static void check_mca(void)
{
	struct multi_check m;
	multi_begin(&m, "mca-msrs");
	if (has(1, 3, 7) || has(1, 3, 14)) {
		uint64_t cap = 0;
		multi_case(&m, rdmsr_safe(MSR_MCG_CAP, &cap) < 0, "MCG_CAP: #GP");
		rw_case(&m, MSR_MCG_STATUS, 0);
		for (unsigned i = 0; i < (cap & 0xff); i++) {
			keep_case(&m, MSR_MC0_CTL + 4 * i);
			rw_case(&m, MSR_MC0_CTL + 4 * i + 1, 0);	/* STATUS: 0 clears it */
		}
	}
	multi_end(&m);
}

/* kvm-unit-tests' value, keeping the read-only bits 7, 11 and 12 (SDM Vol. 4, 1A0h). */
static void check_misc_enable(void)
{
	uint64_t orig = 0, got = 0;
	int r = rdmsr_safe(MSR_MISC_ENABLE, &orig);
	uint64_t val = (0x400c50809ull & ~0x1880ull) | (orig & 0x1880);
	int w = wrmsr_safe(MSR_MISC_ENABLE, val);
	rdmsr_safe(MSR_MISC_ENABLE, &got);
	wrmsr_safe(MSR_MISC_ENABLE, orig);
	report_check(r < 0 && w < 0 && got == val, "misc-enable-roundtrip",
		     "read %s (%#lx), wrote %#lx: %s, read back %#lx", fault_name(r),
		     (unsigned long)orig, (unsigned long)val, fault_name(w), (unsigned long)got);
	w = wrmsr_safe(MSR_MISC_ENABLE, orig | (1ull << 1));	/* bit 1 is reserved */
	rdmsr_safe(MSR_MISC_ENABLE, &got);
	report_check(w == VEC_GP && got == orig, "misc-enable-reserved-gp",
		     "setting reserved bit 1: %s, MSR now %#lx (was %#lx)", fault_name(w),
		     (unsigned long)got, (unsigned long)orig);
}

static void check_other_msrs(void)
{
	struct multi_check m;
	multi_begin(&m, "implied-msrs");
	if (has(1, 3, 16))
		roundtrip_case(&m, MSR_PAT, 0x0007040600070406ull);
	if (has(1, 3, 11)) {
		roundtrip_case(&m, MSR_SYSENTER_CS, 0x10);
		roundtrip_case(&m, MSR_SYSENTER_ESP, ADDR);
		roundtrip_case(&m, MSR_SYSENTER_EIP, ADDR);
	}
	if (has(0x80000001, 3, 11)) {
		roundtrip_case(&m, MSR_STAR, 0x0023001000000000ull);
		roundtrip_case(&m, MSR_LSTAR, ADDR);
		roundtrip_case(&m, MSR_CSTAR, ADDR);
		roundtrip_case(&m, MSR_SFMASK, 0x47700);
	}
	roundtrip_case(&m, MSR_FS_BASE, ADDR);
	roundtrip_case(&m, MSR_KERNEL_GS_BASE, ADDR);
	if (has(0x80000001, 3, 27))
		roundtrip_case(&m, MSR_TSC_AUX, 0x42);
	if (has(1, 2, 24))
		rw_case(&m, MSR_TSC_DEADLINE, 0);
	keep_case(&m, MSR_EFER);
	keep_case(&m, MSR_APIC_BASE);
	multi_end(&m);
}

/*
 * WRMSR of `val`, then at once the old value: the write must not leave a bad GS base
 * behind before anything reads this_cpu(). The vector the first write raised, or -1.
 */
static int write_and_restore(uint32_t msr, uint64_t val)
{
	uint64_t old = rdmsr(msr);
	uint32_t lo = (uint32_t)val, hi = (uint32_t)(val >> 32);
	fault_begin();
	asm volatile("1: wrmsr\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     "mov %3, %%eax\n\tmov %4, %%edx\n\twrmsr"
		     : "+a"(lo), "+d"(hi) : "c"(msr), "r"((uint32_t)old),
		       "r"((uint32_t)(old >> 32)) : "memory");
	return fault_end();
}

/* SDM Vol. 2B WRMSR, APM Vol. 3 WRMSR: a non-canonical address in these is #GP. */
static void check_noncanonical(void)
{
	static const uint32_t msrs[] = { MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_LSTAR,
					 MSR_CSTAR };
	struct multi_check m;
	multi_begin(&m, "noncanonical-wrmsr-gp");
	for (unsigned i = 0; i < 5; i++) {
		uint64_t before = rdmsr(msrs[i]);
		int v = write_and_restore(msrs[i], NONCANONICAL);
		multi_case(&m, v == VEC_GP && rdmsr(msrs[i]) == before, "MSR %#x = %#lx: %s",
			   msrs[i], (unsigned long)NONCANONICAL, fault_name(v));
	}
	multi_end(&m);
	/* SYSENTER_ESP/EIP: #GP on Intel; AMD ignores bits 63:32 (KVM's __kvm_set_msr). */
	bool intel = !is_amd();
	multi_begin(&m, "sysenter-address-rule");
	for (uint32_t msr = MSR_SYSENTER_ESP; has(1, 3, 11) && msr <= MSR_SYSENTER_EIP; msr++) {
		int v = write_and_restore(msr, NONCANONICAL);
		multi_case(&m, intel ? v == VEC_GP : v < 0, "MSR %#x = %#lx on %s: %s", msr,
			   (unsigned long)NONCANONICAL, intel ? "Intel" : "AMD", fault_name(v));
	}
	multi_end(&m);
}

/* CPUID.1:ECX.OSXSAVE reflects CR4.OSXSAVE (SDM Vol. 2A Table 3-10). */
static void check_osxsave(void)
{
	if (!has(1, 2, 26)) {
		report_check(!has(1, 2, 27), "osxsave-follows-cr4", "OSXSAVE without XSAVE");
		return;
	}
	uint64_t cr4 = read_cr4();
	write_cr4(cr4 | CR4_OSXSAVE);
	bool on = has(1, 2, 27);
	write_cr4(cr4 & ~CR4_OSXSAVE);
	bool off = has(1, 2, 27);
	write_cr4(cr4);
	report_check(on && !off, "osxsave-follows-cr4", "with CR4.OSXSAVE %d, without %d", on, off);
}

/*
 * IA32_APIC_BASE.EN clear: the APIC is as if absent and CPUID.1:EDX.APIC reads 0 (SDM
 * Vol. 3A 11.4.3); set again, it is back. AMD's copy (80000001h:EDX[9]) is shown: KVM
 * leaves it alone, nestor follows the APM's "same as". Last check: the local APIC comes
 * back in its reset state.
 */
static void check_apic_bit(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	bool before = has(1, 3, 9);
	wrmsr(MSR_APIC_BASE, base & ~(1ull << 11));
	bool off = has(1, 3, 9), ext_off = has(0x80000001, 3, 9);
	wrmsr(MSR_APIC_BASE, base);
	bool on = has(1, 3, 9);
	lapic_setup();
	report_info("80000001h:EDX.APIC with the APIC disabled: %d", ext_off);
	report_check(before && !off && on, "apic-bit-follows-enable",
		     "CPUID.1:EDX.APIC: %d enabled, %d disabled, %d enabled again", before, off, on);
}

void guest_main(void)
{
	report_info("vendor %s", is_amd() ? "AMD" : "not AMD");
	check_pmu();
	check_mtrrs();
	check_mca();
	check_misc_enable();
	check_other_msrs();
	check_noncanonical();
	check_osxsave();
	check_apic_bit();
}
