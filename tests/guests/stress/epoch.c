/* epoch: what changes between epochs (APIC mode, Directed EOI, destinations), the drain and the barrier. */
#include "stress.h"
#include "ioapic.h"
#include "pic.h"

#define PIN_EDGE		14
#define PIN_LEVEL		15
#define REDIR_DM_LOWEST		(1ull << 8)
#define DRAIN_QUIET_US		2000000		/* no delivery for this long: what is owed is lost */
#define BARRIER_TIMEOUT_US	30000000

/*
 * Each CPU sets up its own APIC. A mode switch resets the APIC through the disabled state
 * (SDM 10.12.5), which is why it happens only here, with nothing in flight.
 */
void epoch_apply_cpu(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];

	irq_disable();
	if (st.cfg.x2apic && !this_cpu()->x2apic)
		lapic_enter_x2apic();
	else if (!st.cfg.x2apic && this_cpu()->x2apic)
		lapic_leave_x2apic();
	percpu[cpu].apic_id = lapic_id();
	if (this_cpu()->x2apic) {
		c->logical_id = lapic_read(APIC_LDR);	/* derived from the ID (SDM 10.12.10.2) */
	} else {
		lapic_write(APIC_DFR, 0xffffffff);	/* flat model */
		lapic_write(APIC_LDR, 1u << (24 + cpu));
		c->logical_id = 1u << cpu;
	}
	lapic_write(APIC_SPIV, SPIV_ENABLE | SPURIOUS_VECTOR | (st.cfg.deoi ? SPIV_DIRECTED_EOI : 0));
	lapic_write(APIC_LVT_LINT0, LVT_DM_EXTINT | (cpu == st.cfg.ext_cpu ? 0 : LVT_MASKED));
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	lapic_write(APIC_TIMER_INIT, 0);
	lapic_write(APIC_TPR, 0);
	c->timer = TIMER_NONE;
	c->depth = 0;
}

static uint64_t redir_dest(int dest)
{
	if (dest == DEST_ANY)	/* flat logical, both CPUs (xAPIC epochs only) */
		return REDIR_DEST(st.cpu[0].logical_id | st.cpu[1].logical_id) |
		       REDIR_DEST_LOGICAL | REDIR_DM_LOWEST;
	return REDIR_DEST(percpu[dest].apic_id);
}

/* The BSP, once both CPUs applied theirs: I/O APIC pins, the 8259's mask. */
void epoch_apply_global(void)
{
	testdev_set_irq_line(PIN_EDGE, 0);
	testdev_set_irq_line(PIN_LEVEL, 0);
	ioapic_redir_write(PIN_EDGE, redir_dest(st.cfg.edge_dest) | chan_edge()->vector);
	ioapic_redir_write(PIN_LEVEL, redir_dest(st.cfg.level_dest) | REDIR_LEVEL |
			   chan_level()->vector);
	chan_edge()->dest = st.cfg.edge_dest;
	chan_level()->dest = st.cfg.level_dest;
	chan_pit()->dest = (int)st.cfg.ext_cpu;
	pic_set_mask(0xfffe);	/* PIT OUT0 stays high from the last one-shot: no edge */
}

static bool all_quiet(void)
{
	for (unsigned i = 0; i < NCPU; i++)
		if (st.cpu[i].timer != TIMER_NONE)
			return false;
	for (unsigned i = 0; i < chan_count(); i++)
		if (!chan_idle(chan_by_index(i)))
			return false;
	return true;
}

/*
 * Nothing new is raised once both CPUs left the run loop (the barrier before this).
 * With TPR 0 and IF = 1 everything owed is deliverable; the wait ends when nothing is
 * owed, or after DRAIN_QUIET_US without a single delivery: what is owed then is lost.
 */
bool epoch_drain(unsigned cpu)
{
	uint64_t seen = st.events, deadline = timeout_after_us(DRAIN_QUIET_US);
	bool quiet;

	lapic_write(APIC_TPR, 0);
	irq_enable();
	while (!(quiet = all_quiet())) {
		if (st.events != seen) {
			seen = st.events;
			deadline = timeout_after_us(DRAIN_QUIET_US);
		} else if (timeout_expired(deadline)) {
			break;
		}
		cpu_relax();
	}
	return quiet;
}

/* After the drain, with IF = 0: this CPU's APIC must hold nothing in service or pending. */
void epoch_snapshot(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];

	irq_disable();
	c->isr_or = c->irr_or = 0;
	for (unsigned i = 0; i < 8; i++) {
		c->isr_or |= lapic_read(APIC_ISR + 0x10 * i);
		c->irr_or |= lapic_read(APIC_IRR + 0x10 * i);
	}
	c->ppr = lapic_read(APIC_PPR);
}

/* Both CPUs meet here; one that never comes (stuck, or its interrupt lost) ends the run. */
bool barrier_wait(const char *where)
{
	static volatile unsigned arrived;
	static unsigned generation[NCPU];
	unsigned me = this_cpu()->index;
	unsigned target = ++generation[me] * NCPU;
	uint64_t deadline = timeout_after_us(BARRIER_TIMEOUT_US);

	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < target) {
		if (timeout_expired(deadline)) {
			report_fail("barrier", "cpu %u waited %u s at %s for the other CPU (epoch %u)",
				    me, BARRIER_TIMEOUT_US / 1000000, where, st.epoch);
			probe_other_cpu(me);
			return false;
		}
		cpu_relax();
	}
	return true;
}

/* An NMI to the CPU that never came: where it is tells a lost wake-up from a hang. */
void probe_other_cpu(unsigned me)
{
	unsigned other = me ^ 1;
	struct stress_cpu *o = &st.cpu[other];

	st.probing = true;
	lapic_send_ipi(percpu[other].apic_id, ICR_ASSERT | ICR_DM_NMI);
	uint64_t deadline = timeout_after_us(1000000);
	while (!o->probed && !timeout_expired(deadline))
		cpu_relax();
	if (!o->probed) {
		report_info("cpu %u does not answer an NMI either (timer mode %u, depth %u)", other,
			    o->timer, o->depth);
		return;
	}
	report_info("cpu %u at rip %#lx rflags %#lx, TPR %#x, ISR %s, IRR %s, timer mode %u, "
		    "handler depth %u", other, (unsigned long)o->probe_rip,
		    (unsigned long)o->probe_rflags, o->probe_tpr, o->probe_isr_or ? "busy" : "empty",
		    o->probe_irr_or ? "busy" : "empty", o->timer, o->depth);
	for (unsigned k = TRACE_LEN; k; k--) {
		unsigned i = (o->trace_next - k) % TRACE_LEN;
		if (o->trace_next >= k)
			report_info("cpu %u delivery -%u: vector %#x at rip %#lx", other, k,
				    o->trace[i].vector, (unsigned long)o->trace[i].rip);
	}
}
