/* apic_stats: per-VM interrupt counters that a run report prints. */
#ifndef NESTOR_APIC_APIC_STATS_H
#define NESTOR_APIC_APIC_STATS_H

#include <stdint.h>

/*
 * Every counter is bumped with a relaxed atomic add: vCPUs on different physical CPUs
 * update them concurrently and the report only needs eventually-consistent totals.
 */
struct apic_stats {
	uint64_t inject_lapic, inject_extint, inject_nmi, requeued;
	uint64_t window_lapic, window_extint, window_nmi;
	uint64_t ipi, self_ipi, coalesced, illegal_vector, smi_dropped, init, sipi;
	uint64_t eoi, eoi_spurious, eoi_broadcast, eoi_suppressed;
	uint64_t ioapic_delivered, ioapic_redelivered, ioapic_eoi_register, ioapic_storms;
	uint64_t pic_intack, pic_spurious;
	uint64_t timer_fired, tpr_threshold_updates, tpr_below_threshold_exits;
	uint64_t irqwin_inhibit_toggles;
	uint64_t gp_faults, bad_accesses;
};

static inline void apic_stat_inc(uint64_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static inline uint64_t apic_stat_get(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* Prints the counters through log_info, a few per line, prefixed with `who` (e.g. "vm0"). */
void apic_stats_report(const struct apic_stats *s, const char *who);

#endif
