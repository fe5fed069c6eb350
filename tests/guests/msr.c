/* msr: TSC, APIC_BASE, EFER and syscall MSRs, and the #GP for an MSR nobody implements. */
#include "guest.h"
#include "smp.h"

const char guest_name[] = "msr";

/* Not an architectural MSR on any vendor, nor in any hypervisor range (0x40000000+). */
#define MSR_UNIMPLEMENTED 0x12345678

static void check_tsc(void)
{
	uint64_t a = rdtsc();
	uint64_t b = rdmsr(MSR_TSC);
	uint64_t c = rdtsc();
	report_check(a <= b && b <= c, "tsc-msr-matches-rdtsc", "rdtsc %#lx, MSR %#lx, rdtsc %#lx",
		     (unsigned long)a, (unsigned long)b, (unsigned long)c);

	uint64_t last = rdtsc();
	bool monotonic = true;
	for (int i = 0; i < 1000; i++) {
		uint64_t now = rdtsc();
		monotonic &= now >= last;
		last = now;
	}
	report_check(monotonic, "tsc-monotonic", "TSC went backwards");
	report_check(rdtsc() > a, "tsc-advances", "TSC did not advance");
}

static struct {
	uint64_t apic_base;
} ap_view;

static void ap_read_apic_base(void *arg)
{
	ap_view.apic_base = rdmsr(MSR_APIC_BASE);
}

static void check_apic_base(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	report_info("APIC_BASE on the BSP: %#lx", (unsigned long)base);
	report_check((base & ~0xfffull) == LAPIC_BASE, "apic-base-address", "base %#lx",
		     (unsigned long)(base & ~0xfffull));
	report_check(base & APIC_BASE_ENABLE, "apic-base-enabled", "global enable bit clear");
	report_check(base & APIC_BASE_BSP, "apic-base-bsp-flag", "BSP flag clear on the BSP");

	unsigned expected = smp_expected_cpus();
	if (expected < 2 || smp_start_aps(expected) < 2) {
		report_fail("apic-base-ap", "no AP to check (expected %u CPUs)", expected);
		return;
	}
	smp_run_on(1, ap_read_apic_base, NULL);
	if (!smp_wait_done(1, 1000000)) {
		report_fail("apic-base-ap", "AP did not answer");
		return;
	}
	report_check(!(ap_view.apic_base & APIC_BASE_BSP) &&
		     (ap_view.apic_base & ~0xfffull) == LAPIC_BASE, "apic-base-ap",
		     "AP APIC_BASE %#lx", (unsigned long)ap_view.apic_base);
}

static void check_roundtrip(const char *name, uint32_t msr, uint64_t val)
{
	uint64_t saved = rdmsr(msr);
	wrmsr(msr, val);
	uint64_t got = rdmsr(msr);
	wrmsr(msr, saved);
	report_check(got == val, name, "MSR %#x: wrote %#lx, read %#lx", msr,
		     (unsigned long)val, (unsigned long)got);
}

void guest_main(void)
{
	check_tsc();
	check_apic_base();

	uint64_t efer = rdmsr(MSR_EFER);
	report_check((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA), "efer-long-mode",
		     "EFER %#lx", (unsigned long)efer);

	check_roundtrip("lstar-roundtrip", MSR_LSTAR, 0xffffffff81234560ull);
	check_roundtrip("star-roundtrip", MSR_STAR, 0x0023001000000000ull);
	check_roundtrip("kernel-gs-base-roundtrip", MSR_KERNEL_GS_BASE, 0xffff888012345000ull);
	check_roundtrip("fs-base-roundtrip", MSR_FS_BASE, 0x00007f0012345000ull);

	/* RDMSR/WRMSR of an MSR the processor does not implement raise #GP(0) (SDM Vol. 2B). */
	uint64_t v = 0;
	int vec = rdmsr_safe(MSR_UNIMPLEMENTED, &v);
	report_check(vec == VEC_GP, "unknown-rdmsr-gp", "rdmsr %#x: %s, value %#lx",
		     MSR_UNIMPLEMENTED, fault_name(vec), (unsigned long)v);
	vec = wrmsr_safe(MSR_UNIMPLEMENTED, 0x1234);
	report_check(vec == VEC_GP && this_cpu()->fault_error == 0, "unknown-wrmsr-gp",
		     "wrmsr %#x: %s, error code %#lx", MSR_UNIMPLEMENTED, fault_name(vec),
		     (unsigned long)this_cpu()->fault_error);
}
