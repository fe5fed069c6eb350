/* nvmx_bench: an L1 test kernel that runs an L2 CPUID loop and times the L2 exits (make bench-nested). */
#include "guest.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "lib/string.h"
#include "tests/guests/nvmx_l1.h"

/*
 * A minimal VMM: L2 executes CPUID `loops` times; each CPUID exits to this kernel, which
 * does what a VMM does for it at the least (VMREAD the exit reason, RIP and instruction
 * length, VMWRITE RIP) and VMRESUMEs. Under Bochs alone each L2 exit is Bochs's; as
 * nestor's L1 each one is reflected by nestor, and this kernel's VMREAD/VMWRITE/VMRESUME
 * exit to nestor too (no VMCS shadowing). The harness times the lines between
 * "NVMX-BENCH begin" and "NVMX-BENCH end"; the TSC delta (Bochs: instructions) is printed.
 */
const char guest_name[] = "nvmx_bench";

extern int nvmx_bench_run(int resume);
extern char nvmx_bench_exit[], nvmx_bench_l2[];
uint64_t nvmx_bench_l2_r15;

#define EXIT_CPUID 10u
#define EXIT_VMCALL 18u

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
	struct nvmx_case c = { &nk.v, &nk.caps, &nk.lay, &nk.env };
	unsigned loops = cmdline_uint("loops=", 20000), exits = 0;
	uint64_t t0, t1;
	uint32_t reason = 0;
	int rc;

	if (!(cpuid(1, 0).ecx & (1u << 5))) {
		report_skip("nvmx-bench", "no VMX (CPUID.1:ECX[5])");
		return;
	}
	nvmx_l1_read_caps();
	nvmx_l1_build_ept();
	if (!nvmx_l1_vmx_on()) {
		report_fail("nvmx-bench", "VMXON failed");
		return;
	}
	nvmx_l1_build_layout((uint64_t)(uintptr_t)nvmx_bench_l2,
			     (uint64_t)(uintptr_t)nvmx_bench_exit);
	nvmx_valid_vmcs12(&c);
	nk.v.host_fs_base = rdmsr(MSR_FS_BASE);
	nk.v.host_gs_base = rdmsr(MSR_GS_BASE);
	nvmx_l1_load_vmcs();
	nvmx_bench_l2_r15 = loops;
	con_printf("NVMX-BENCH begin loops=%u", loops);
	t0 = rdtsc();
	for (rc = nvmx_bench_run(0); rc == 0; rc = nvmx_bench_run(1)) {
		reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON) & 0xffff;
		if (reason != EXIT_CPUID)
			break;
		vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) +
					   vmcs_read(VMCS_EXIT_INSTRUCTION_LEN));
		exits++;
	}
	t1 = rdtsc();
	con_printf("NVMX-BENCH end exits=%u tsc=%llu tsc_per_exit=%llu", exits,
		   (unsigned long long)(t1 - t0),
		   (unsigned long long)(exits ? (t1 - t0) / exits : 0));
	if (rc || reason != EXIT_VMCALL || exits != loops)
		report_fail("nvmx-bench", "rc %d, last exit %u after %u CPUID exits (of %u)", rc,
			    reason, exits, loops);
	else
		report_pass("nvmx-bench-loop");
}
