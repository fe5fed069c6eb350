/* inject_once: a maskable interrupt is taken once per request, and only where IF = 1. */
#include "guest.h"
#include "smp.h"

const char guest_name[] = "inject_once";

/*
 * Both CPUs, for `ms=` milliseconds each (default 3000): arm the LAPIC timer one-shot with
 * a tiny count while IF = 0, STI, and wait with IF = 1 for the one interrupt it owes. The
 * handler stays in service for `hold=` microseconds (default 30) with IF = 0 before its EOI.
 *
 * An external interrupt is recognised only while RFLAGS.IF = 1 (SDM Vol. 3A 6.8.1, APM
 * Vol. 2 8.1.4), so a handler of a maskable vector must find IF = 1 in the RFLAGS its frame
 * saved, and a one-shot count owes exactly one interrupt. A hypervisor, or the CPU under it,
 * that delivers an injected interrupt a second time breaks both: the second delivery lands
 * inside the first handler, with IF = 0 (measured under nestor on QEMU 7.2's SVM with
 * single-threaded TCG: its VMRUN leaves the injected vector as a pending exception, which
 * the next exit request of the TCG loop delivers again, docs/reliability.md). A Linux guest
 * interrupted in user mode takes that second delivery before its SWAPGS and dies on the
 * entry stack's guard page.
 *
 * Each delivery stays in service for a while on purpose: the second delivery needs the
 * emulator to stop its CPU between the first delivery and the handler's EOI (an exit).
 */

#define VEC_TIMER	0x60
#define DIVIDE_BY_1	0xb
#define DEFAULT_COUNT	100000	/* about 100 us at the 1 GHz timer clock of nestor and QEMU */
#define DEFAULT_MS	2000
#define DEFAULT_HOLD_US	20
#define WAIT_US		1000000
#define RFLAGS_IF	(1ull << 9)

struct hammer {
	uint64_t ms, hold_us;
	uint32_t count;
	volatile uint64_t armed, taken;
	volatile uint64_t if_clear, nested, lost;
	volatile uint64_t first_bad_rip, first_bad_rflags;
	volatile bool busy;
	volatile bool done;
};

static struct hammer hammers[2];

static void timer_handler(struct irq_frame *frame)
{
	struct hammer *h = &hammers[this_cpu()->index];
	bool bad = false;

	if (!(frame->rflags & RFLAGS_IF)) {
		h->if_clear++;
		bad = true;
	}
	if (h->busy) {
		h->nested++;
		bad = true;
	}
	if (bad && !h->first_bad_rip) {
		h->first_bad_rip = frame->rip;
		h->first_bad_rflags = frame->rflags;
	}
	h->busy = true;
	h->taken++;
	delay_us(h->hold_us);
	h->busy = false;
	lapic_eoi();
}

static void hammer_run(struct hammer *h)
{
	uint64_t end = timeout_after_us(h->ms * 1000);

	lapic_write(APIC_TIMER_DIVIDE, DIVIDE_BY_1);
	lapic_write(APIC_LVT_TIMER, VEC_TIMER);
	while (!timeout_expired(end)) {
		uint64_t want = h->taken + 1;
		irq_disable();
		h->armed++;
		lapic_write(APIC_TIMER_INIT, h->count);
		uint64_t deadline = timeout_after_us(WAIT_US);
		irq_enable();
		while (h->taken < want && !timeout_expired(deadline))
			cpu_relax();
		irq_disable();
		if (h->taken < want) {
			h->lost++;
			break;
		}
	}
	irq_settle();		/* a late second delivery still counts */
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	h->done = true;
}

static void ap_hammer(void *arg)
{
	hammer_run(arg);
}

static void report_cpu(unsigned cpu)
{
	struct hammer *h = &hammers[cpu];
	report_info("cpu %u: %lu timers armed, %lu interrupts taken, %lu with IF clear, "
		    "%lu nested, %lu never came", cpu, (unsigned long)h->armed,
		    (unsigned long)h->taken, (unsigned long)h->if_clear, (unsigned long)h->nested,
		    (unsigned long)h->lost);
	if (h->first_bad_rip)
		report_info("cpu %u: first bad delivery interrupted rip %#lx, rflags %#lx", cpu,
			    (unsigned long)h->first_bad_rip, (unsigned long)h->first_bad_rflags);
}

void guest_main(void)
{
	unsigned expected = smp_expected_cpus();
	if (!report_check(expected >= 2 && smp_start_aps(expected) == expected, "two-cpus",
			  "%u CPUs online of %u expected", smp_online_cpus(), expected))
		return;

	uint64_t ms = bootinfo_param("ms", DEFAULT_MS);
	uint64_t hold = bootinfo_param("hold", DEFAULT_HOLD_US);
	uint32_t count = (uint32_t)bootinfo_param("count", DEFAULT_COUNT);
	for (unsigned i = 0; i < 2; i++) {
		hammers[i].ms = ms;
		hammers[i].hold_us = hold;
		hammers[i].count = count ? count : 1;
	}
	idt_set_handler(VEC_TIMER, timer_handler);
	smp_run_on(1, ap_hammer, &hammers[1]);
	hammer_run(&hammers[0]);
	bool ap_done = smp_wait_done(1, WAIT_US * 5) && hammers[1].done;

	report_cpu(0);
	report_cpu(1);
	uint64_t if_clear = hammers[0].if_clear + hammers[1].if_clear;
	uint64_t nested = hammers[0].nested + hammers[1].nested;
	report_check(ap_done && !hammers[0].lost && !hammers[1].lost && hammers[0].taken &&
			     hammers[1].taken, "timer-interrupts-arrive",
		     "AP %s; never came: BSP %lu, AP %lu", ap_done ? "finished" : "did not finish",
		     (unsigned long)hammers[0].lost, (unsigned long)hammers[1].lost);
	report_check(!if_clear, "taken-only-with-if-set",
		     "%lu deliveries interrupted code running with IF = 0 (BSP %lu, AP %lu)",
		     (unsigned long)if_clear, (unsigned long)hammers[0].if_clear,
		     (unsigned long)hammers[1].if_clear);
	report_check(!nested && hammers[0].taken == hammers[0].armed &&
			     hammers[1].taken == hammers[1].armed,
		     "one-delivery-per-timer",
		     "BSP %lu interrupts for %lu timers, AP %lu for %lu; %lu inside the handler",
		     (unsigned long)hammers[0].taken, (unsigned long)hammers[0].armed,
		     (unsigned long)hammers[1].taken, (unsigned long)hammers[1].armed,
		     (unsigned long)nested);
}
