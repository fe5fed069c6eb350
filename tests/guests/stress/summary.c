/* summary: the stress guest's figures per source and its checks, from the epochs' books. */
#include "stress.h"

/*
 * One INFO line per source, the epochs, the total `events=N lost=L dup=D`; then the checks.
 * `late`: deliveries after the last drain, which nothing owed (duplicates).
 */
void stress_summary(uint64_t ms, uint64_t late)
{
	uint64_t events = 0, lost = 0, dup = late + verdict.stray;
	unsigned silent = 0;
	char missing[96] = "";

	for (unsigned s = 0; s < NR_SOURCES; s++) {
		struct source_totals *t = &totals[s];
		report_info("source %-20s sent=%lu received=%lu lost=%lu dup=%lu", source_name(s),
			    (unsigned long)t->sent, (unsigned long)t->received,
			    (unsigned long)t->lost, (unsigned long)t->dup);
		events += t->received;
		lost += t->lost;
		dup += t->dup;
		bool optional = (s == SRC_TIMER_DEADLINE && !st.has_deadline) || !source_on(s);
		if (!t->received && !optional && !silent++)
			fmt_snprintf(missing, sizeof(missing), "%s", source_name(s));
	}
	report_info("epochs=%u (x2APIC %u, Directed EOI %u) stray=%lu spurious=%lu late=%lu",
		    verdict.epochs, verdict.x2apic_epochs, verdict.deoi_epochs,
		    (unsigned long)verdict.stray, (unsigned long)st.spurious, (unsigned long)late);
	report_info("events=%lu lost=%lu dup=%lu in %lu ms, %lu events/s", (unsigned long)events,
		    (unsigned long)lost, (unsigned long)dup, (unsigned long)ms,
		    (unsigned long)(ms ? events * 1000 / ms : 0));

	if (st.periodic_dup[0])
		report_info("%s", st.periodic_dup);
	report_check(!lost && !verdict.lost[0], "no-lost-interrupts", "%lu lost; first: %s",
		     (unsigned long)lost, verdict.lost);
	report_check(!dup && !verdict.dup[0], "no-duplicated-interrupts", "%lu duplicated; "
		     "first: %s%s", (unsigned long)dup, verdict.dup, late ? " (and late ones)" : "");
	report_check(!verdict.idle[0], "idle-after-each-epoch", "%s", verdict.idle);
	report_check(!silent, "every-source-delivered", "%u sources never delivered, first %s",
		     silent, missing);
	if (!st.has_deadline)
		report_skip("tsc-deadline-timer", "CPUID.1:ECX.TSC-Deadline[24] = 0");
	else
		report_check(totals[SRC_TIMER_DEADLINE].received, "tsc-deadline-timer",
			     "no TSC-deadline delivery");
	if (!st.has_x2apic)
		report_skip("x2apic-epochs", "CPUID.1:ECX.x2APIC[21] = 0");
	else
		report_check(verdict.x2apic_epochs && verdict.x2apic_epochs < verdict.epochs,
			     "x2apic-epochs", "%u of %u epochs in x2APIC mode",
			     verdict.x2apic_epochs, verdict.epochs);
	if (!st.has_deoi)
		report_skip("directed-eoi-epochs", "LAPIC version bit 24 clear or I/O APIC "
			    "version below 0x20");
	else
		report_check(verdict.deoi_epochs && verdict.deoi_epochs < verdict.epochs,
			     "directed-eoi-epochs", "%u of %u epochs with Directed EOI",
			     verdict.deoi_epochs, verdict.epochs);
}
