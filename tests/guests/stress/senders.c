/* senders: IPIs, self-IPIs, lowest-priority IPIs, NMIs and the pc-testdev lines, one event per idle channel. */
#include "stress.h"
#include "ioapic.h"

/*
 * Every sender runs with IF = 0: an xAPIC ICR is two registers, and a handler sending
 * between another sender's ICR_HIGH and ICR_LOW writes would redirect that IPI. The NMI
 * handler, which IF does not hold off, sends only in x2APIC epochs (one WRMSR).
 */
#define LINE_EDGE	14
#define LINE_LEVEL	15
#define X2APIC_SELF_IPI_MSR 0x83f

void ipi_raw(uint32_t dest, uint32_t icr_low)
{
	lapic_send_ipi(dest, icr_low | ICR_ASSERT);
}

static bool claim_idle(struct channel *ch)
{
	if (!chan_try_claim(ch))
		return false;
	if (chan_idle(ch))
		return true;
	chan_release(ch);
	return false;
}

/* To the other CPU by APIC ID, by the all-excluding-self shorthand or by logical ID. */
bool send_ipi(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];
	unsigned dest = cpu ^ 1;
	struct channel *ch = chan_ipi(dest, rng_below(c, 2));

	if (!source_on(SRC_IPI) || !claim_idle(ch))
		return false;
	chan_owe(ch);
	switch (rng_below(c, 3)) {
	case 0: ipi_raw(percpu[dest].apic_id, ch->vector); break;
	case 1: ipi_raw(0, ICR_ALL_EXCLUDING_SELF | ch->vector); break;
	default: ipi_raw(st.cpu[dest].logical_id, ICR_DEST_LOGICAL | ch->vector); break;
	}
	chan_release(ch);
	return true;
}

/* By the self shorthand, own APIC ID, own logical ID or (x2APIC) the SELF IPI register. */
bool send_self_ipi(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];
	struct channel *ch = chan_self(cpu, rng_below(c, 2));

	if (!source_on(SRC_SELF_IPI) || !claim_idle(ch))
		return false;
	chan_owe(ch);
	switch (rng_below(c, 4)) {
	case 0: ipi_raw(0, ICR_SELF | ch->vector); break;
	case 1: ipi_raw(percpu[cpu].apic_id, ch->vector); break;
	case 2: ipi_raw(c->logical_id, ICR_DEST_LOGICAL | ch->vector); break;
	default:
		if (this_cpu()->x2apic)
			wrmsr(X2APIC_SELF_IPI_MSR, ch->vector);
		else
			ipi_raw(0, ICR_SELF | ch->vector);
		break;
	}
	chan_release(ch);
	return true;
}

/* Lowest priority to both CPUs' logical IDs: exactly one of them takes it (SDM 10.6.2.4). */
bool send_lowest(unsigned cpu)
{
	uint32_t a = st.cpu[0].logical_id, b = st.cpu[1].logical_id;
	struct channel *ch = chan_lowest(cpu);

	if (st.cfg.x2apic && (a >> 16) != (b >> 16))
		return false;	/* x2APIC logical destinations name one cluster */
	if (!source_on(SRC_IPI_LOWEST) || !claim_idle(ch))
		return false;
	chan_owe(ch);
	ipi_raw(a | b, ICR_DM_LOWEST | ICR_DEST_LOGICAL | ch->vector);
	chan_release(ch);
	return true;
}

/* One NMI channel per destination: NMIs of any sender to one CPU share the one latch. */
bool send_nmi(unsigned cpu, unsigned dest)
{
	struct channel *ch = chan_nmi(dest);

	if (!source_on(SRC_NMI) || !claim_idle(ch))
		return false;
	chan_owe(ch);
	if (dest != cpu && rng_below(&st.cpu[cpu], 2))
		ipi_raw(0, ICR_ALL_EXCLUDING_SELF | ICR_DM_NMI);
	else
		ipi_raw(percpu[dest].apic_id, ICR_DM_NMI);	/* no self shorthand for NMI */
	chan_release(ch);
	return true;
}

/* The line is owned until it is low again, so the next pulse is a real edge. */
bool pulse_edge(unsigned cpu)
{
	struct channel *ch = chan_edge();

	if (!source_on(SRC_IOAPIC_EDGE) || !claim_idle(ch))
		return false;
	__atomic_store_n(&ch->line, 1, __ATOMIC_SEQ_CST);
	chan_owe(ch);
	testdev_set_irq_line(LINE_EDGE, 1);
	testdev_set_irq_line(LINE_EDGE, 0);
	__atomic_store_n(&ch->line, 0, __ATOMIC_SEQ_CST);
	chan_release(ch);
	return true;
}

/* Raised here, lowered by the handler (handlers.c). */
bool raise_level(unsigned cpu)
{
	struct channel *ch = chan_level();

	if (!source_on(SRC_IOAPIC_LEVEL) || !claim_idle(ch))
		return false;
	__atomic_store_n(&ch->line, 1, __ATOMIC_SEQ_CST);
	chan_owe(ch);
	testdev_set_irq_line(LINE_LEVEL, 1);
	chan_release(ch);
	return true;
}

void send_random(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];

	if (st.phase != PHASE_RUN)
		return;
	switch (rng_below(c, 8)) {
	case 0: case 1: send_ipi(cpu); break;
	case 2: send_self_ipi(cpu); break;
	case 3: send_lowest(cpu); break;
	case 4: send_nmi(cpu, rng_below(c, 2) ? cpu : cpu ^ 1); break;
	case 5: pulse_edge(cpu); break;
	case 6: raise_level(cpu); break;
	default: timer_arm(cpu); break;
	}
}
