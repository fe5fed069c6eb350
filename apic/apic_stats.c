/* apic_stats: the run report of the interrupt core, printed through log_info. */
#include "apic/apic_stats.h"

#include "lib/log.h"

static unsigned long long get(const uint64_t *c)
{
	return (unsigned long long)apic_stat_get(c);
}

void apic_stats_report(const struct apic_stats *s, const char *who)
{
	log_info("%s apic: injected lapic=%llu extint=%llu nmi=%llu requeued=%llu",
		 who, get(&s->inject_lapic), get(&s->inject_extint), get(&s->inject_nmi),
		 get(&s->requeued));
	log_info("%s apic: windows lapic=%llu extint=%llu nmi=%llu irqwin-inhibit-toggles=%llu",
		 who, get(&s->window_lapic), get(&s->window_extint), get(&s->window_nmi),
		 get(&s->irqwin_inhibit_toggles));
	log_info("%s apic: ipi=%llu self-ipi=%llu coalesced=%llu illegal-vector=%llu smi-dropped=%llu"
		 " init=%llu sipi=%llu", who, get(&s->ipi), get(&s->self_ipi), get(&s->coalesced),
		 get(&s->illegal_vector), get(&s->smi_dropped), get(&s->init), get(&s->sipi));
	log_info("%s apic: eoi=%llu spurious-eoi=%llu broadcast=%llu suppressed=%llu", who,
		 get(&s->eoi), get(&s->eoi_spurious), get(&s->eoi_broadcast),
		 get(&s->eoi_suppressed));
	log_info("%s ioapic: delivered=%llu redelivered=%llu eoi-register=%llu storms=%llu", who,
		 get(&s->ioapic_delivered), get(&s->ioapic_redelivered),
		 get(&s->ioapic_eoi_register), get(&s->ioapic_storms));
	log_info("%s pic: intack=%llu spurious=%llu; timer fired=%llu; tpr-threshold updates=%llu"
		 " below-threshold exits=%llu", who, get(&s->pic_intack), get(&s->pic_spurious),
		 get(&s->timer_fired), get(&s->tpr_threshold_updates),
		 get(&s->tpr_below_threshold_exits));
	log_info("%s apic: #GP=%llu bad-accesses=%llu", who, get(&s->gp_faults),
		 get(&s->bad_accesses));
}
