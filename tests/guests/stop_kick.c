/* stop_kick: the VM ends when one vCPU ends it, even while another is halted with nothing to wake it. */
#include "guest.h"
#include "pit.h"
#include "smp.h"

const char guest_name[] = "stop_kick";

/*
 * The AP ends the run through the debug-exit port while the BSP sits in HLT with
 * interrupts enabled and no timer running anywhere (every LVT and IOAPIC pin masked by
 * the library, PIT channels 0 and 2 stopped, so no device has a deadline either). A hypervisor that stops its VM must get every vCPU out of its wait to
 * report; one that only flags the stop leaves the halted BSP asleep until an outside
 * timeout. The harness (tests/integration) judges the time the run took.
 */
static void end_from_ap(void *arg)
{
	(void)arg;
	delay_us(200000);	/* let the BSP settle into HLT first */
	report_check(true, "ap-ends-run", "the AP wrote the debug-exit port");
	report_finish();
}

void guest_main(void)
{
	unsigned expected = smp_expected_cpus();
	if (!report_check(expected >= 2 && smp_start_aps(expected) == expected, "two-cpus",
			  "%u CPUs online of %u expected", smp_online_cpus(), expected))
		return;
	pit_ch0_stop();
	pit_ch2_stop();
	smp_run_on(1, end_from_ap, NULL);
	for (;;)
		asm volatile("sti; hlt; cli" ::: "memory");
}
