/* lapic_timer: one-shot, periodic and TSC-deadline modes of the local APIC timer. */
#include "guest.h"

const char guest_name[] = "lapic_timer";

#define VEC_ONESHOT	0x40
#define VEC_PERIODIC	0x41
#define VEC_DEADLINE	0x42
#define DIVIDE_BY_1	0xb
#define TIMER_COUNT	1000000u	/* ~1 ms at the usual 1 GHz bus clock of virtual APICs */
#define WAIT_US		1000000

static unsigned count(unsigned vector)
{
	return this_cpu()->irq_count[vector];
}

static void check_oneshot(void)
{
	/* A count of seconds, so the CPU being descheduled cannot make it expire unseen. */
	lapic_write(APIC_TIMER_DIVIDE, DIVIDE_BY_1);
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_ONESHOT);
	lapic_write(APIC_TIMER_INIT, 0xffffffff);
	uint32_t first = lapic_read(APIC_TIMER_CURRENT);
	delay_us(100);
	uint32_t second = lapic_read(APIC_TIMER_CURRENT);
	lapic_write(APIC_TIMER_INIT, 0);	/* writing 0 stops the timer (SDM 10.5.4) */
	report_check(first > 0 && second < first, "oneshot-current-count",
		     "current count %#x then %#x after arming with 0xffffffff", first, second);

	lapic_write(APIC_LVT_TIMER, VEC_ONESHOT);
	lapic_write(APIC_TIMER_INIT, TIMER_COUNT);
	report_check(irq_wait(0, VEC_ONESHOT, 1, WAIT_US), "oneshot-fires", "no interrupt");
	delay_us(5000);		/* several more periods: a one-shot timer must stay quiet */
	irq_settle();
	report_check(count(VEC_ONESHOT) == 1, "oneshot-fires-once", "%u interrupts",
		     count(VEC_ONESHOT));
	report_check(lapic_read(APIC_TIMER_CURRENT) == 0, "oneshot-count-stops-at-zero",
		     "current count %u", lapic_read(APIC_TIMER_CURRENT));

	/* Masked: the count still runs down, but no interrupt is delivered (SDM 10.5.4). */
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_ONESHOT);
	lapic_write(APIC_TIMER_INIT, TIMER_COUNT / 10);
	uint64_t deadline = timeout_after_us(WAIT_US);
	while (lapic_read(APIC_TIMER_CURRENT) && !timeout_expired(deadline))
		cpu_relax();
	irq_settle();
	report_check(lapic_read(APIC_TIMER_CURRENT) == 0 && count(VEC_ONESHOT) == 1,
		     "masked-counts-without-interrupt", "current %u, interrupts %u",
		     lapic_read(APIC_TIMER_CURRENT), count(VEC_ONESHOT));
}

/*
 * The period is `periodic-ms=N` on the command line (default 1; at most 100, so three ticks
 * come within the 1 s wait). The main line must run between ticks: under KVM under nestor
 * on Bochs an L2 interrupt (KVM's injection, the handler's EOI exit, the re-entries) costs
 * L2 more than 1 ms, so with 1 ms ticks one is always pending and the check never gets
 * past its wait (test_nvmx_l1).
 */
static void check_periodic(void)
{
	uint64_t ms = bootinfo_param("periodic-ms", 1);
	uint32_t period = TIMER_COUNT * (uint32_t)(ms >= 1 && ms <= 100 ? ms : 1);
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_PERIODIC);
	lapic_write(APIC_TIMER_INIT, period);
	report_check(irq_wait(0, VEC_PERIODIC, 3, WAIT_US), "periodic-fires-repeatedly",
		     "%u interrupts", count(VEC_PERIODIC));
	/* After expiring, the count restarts from the initial count instead of resting at 0. */
	uint32_t cur = 0;
	for (int i = 0; i < 3 && !cur; i++)
		cur = lapic_read(APIC_TIMER_CURRENT);
	report_check(cur > 0 && cur <= period, "periodic-reloads", "current count %u", cur);

	/* Writing 0 to the initial count stops the timer. */
	lapic_write(APIC_TIMER_INIT, 0);
	irq_settle();		/* a tick that was already pending may still arrive */
	unsigned stopped_at = count(VEC_PERIODIC);
	delay_us(5 * (period / 1000));	/* five periods at the 1 GHz bus clock */
	irq_settle();
	report_check(count(VEC_PERIODIC) == stopped_at && lapic_read(APIC_TIMER_CURRENT) == 0,
		     "periodic-stops", "%u more interrupts, current %u",
		     count(VEC_PERIODIC) - stopped_at, lapic_read(APIC_TIMER_CURRENT));
}

/*
 * IA32_TSC_DEADLINE is compared with this CPU's TSC (SDM Vol. 3A 11.5.4.1), whatever was
 * last written to IA32_TSC (17.17): after moving the TSC far back, a deadline 20 ms ahead
 * of the new count must not fire before the count reaches it. A hypervisor that converts
 * deadlines with its own clock and forgets the vCPU's TSC offset fires it at once.
 */
static volatile uint64_t deadline_seen_tsc;

static void deadline_stamp(struct irq_frame *frame)
{
	(void)frame;
	deadline_seen_tsc = rdtsc();
	lapic_eoi();
}

static void check_deadline_after_tsc_write(void)
{
	uint64_t before = rdtsc();
	idt_set_handler(VEC_DEADLINE, deadline_stamp);
	deadline_seen_tsc = 0;
	wrmsr(MSR_TSC, 1000000);
	uint64_t deadline = rdtsc() + 20 * tsc_per_ms();
	wrmsr(MSR_TSC_DEADLINE, deadline);
	bool fired = irq_wait(0, VEC_DEADLINE, 3, WAIT_US);
	/* The wait is timed by the TSC: a hypervisor that undoes the write (back on the old
	 * timeline: KVM catching up its guest's TSC when its host's is unstable) ends it early. */
	uint64_t after = rdtsc();
	idt_set_handler(VEC_DEADLINE, lapic_eoi_handler);
	report_check(fired && deadline_seen_tsc >= deadline && deadline < before,
		     "deadline-after-tsc-write", "TSC moved back from %#lx; deadline %#lx %s at TSC "
		     "%#lx; TSC %#lx after the wait%s", (unsigned long)before,
		     (unsigned long)deadline, fired ? "fired" : "never fired",
		     (unsigned long)deadline_seen_tsc, (unsigned long)after,
		     after >= before ? " (the write was undone)" : "");
}

static void check_tsc_deadline(void)
{
	if (!((cpuid(1, 0).ecx >> 24) & 1)) {
		report_skip("tsc-deadline-supported", "CPUID.1:ECX.TSC-Deadline[24] = 0");
		return;
	}
	report_pass("tsc-deadline-supported");
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | VEC_DEADLINE);
	report_check((lapic_read(APIC_LVT_TIMER) & (3u << 17)) == LVT_TIMER_TSC_DEADLINE,
		     "deadline-mode-set", "LVT timer %#x", lapic_read(APIC_LVT_TIMER));

	/* Initial-count writes are ignored and the current count reads 0 (SDM 10.5.4.1). */
	lapic_write(APIC_TIMER_INIT, TIMER_COUNT);
	report_check(lapic_read(APIC_TIMER_CURRENT) == 0, "deadline-ignores-initial-count",
		     "current count %u", lapic_read(APIC_TIMER_CURRENT));
	irq_settle();
	report_check(count(VEC_DEADLINE) == 0, "deadline-not-armed-by-count", "%u interrupts",
		     count(VEC_DEADLINE));

	/* Not before the TSC reaches the deadline: a hypervisor whose deadline clock and TSC
	 * disagree fires early (or late) by their difference. */
	uint64_t deadline = rdtsc() + 5 * tsc_per_ms();
	deadline_seen_tsc = 0;
	idt_set_handler(VEC_DEADLINE, deadline_stamp);
	wrmsr(MSR_TSC_DEADLINE, deadline);
	bool fired = irq_wait(0, VEC_DEADLINE, 1, WAIT_US);
	idt_set_handler(VEC_DEADLINE, lapic_eoi_handler);
	report_check(fired && deadline_seen_tsc >= deadline, "deadline-fires",
		     "deadline %#lx: %s at TSC %#lx", (unsigned long)deadline,
		     fired ? "fired" : "no interrupt", (unsigned long)deadline_seen_tsc);
	delay_us(2000);
	irq_settle();
	report_check(count(VEC_DEADLINE) == 1, "deadline-fires-once", "%u interrupts",
		     count(VEC_DEADLINE));
	report_check(rdmsr(MSR_TSC_DEADLINE) == 0, "deadline-msr-cleared-on-fire",
		     "IA32_TSC_DEADLINE %#lx", (unsigned long)rdmsr(MSR_TSC_DEADLINE));

	/* A deadline in the past fires at once; writing 0 disarms a pending one. */
	wrmsr(MSR_TSC_DEADLINE, 1);
	report_check(irq_wait(0, VEC_DEADLINE, 2, WAIT_US), "deadline-in-past-fires",
		     "%u interrupts", count(VEC_DEADLINE));
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + 1000 * tsc_per_ms());
	wrmsr(MSR_TSC_DEADLINE, 0);
	delay_us(5000);
	irq_settle();
	report_check(count(VEC_DEADLINE) == 2, "deadline-disarm", "%u interrupts",
		     count(VEC_DEADLINE));
	check_deadline_after_tsc_write();
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
}

void guest_main(void)
{
	idt_set_handler(VEC_ONESHOT, lapic_eoi_handler);
	idt_set_handler(VEC_PERIODIC, lapic_eoi_handler);
	idt_set_handler(VEC_DEADLINE, lapic_eoi_handler);
	check_oneshot();
	check_periodic();
	check_tsc_deadline();
}
