/* stress: shared state of the interrupt stress guest (tests/guests/stress.c and stress/). */
#ifndef GUEST_STRESS_H
#define GUEST_STRESS_H

#include "guest.h"
#include "lib/format.h"

/*
 * Every interrupt source is a set of channels. A channel is one (source, vector,
 * destination) on which at most one event is outstanding: a sender raises an event only
 * when the channel is idle (nothing owed, no handler of it running, line low), so no two
 * events of a channel can ever merge in IRR, in the NMI latch, in the 8259's IRR or in an
 * I/O APIC pin (the coalescing the SDM allows). Every event a sender raises is owed
 * exactly one delivery ("sent" counts them before the event is raised); the handler counts
 * each delivery ("received"). A delivery with nothing owed is a duplicate; what is still
 * owed after the epoch's drain is lost. Both are exact: no timing goes into either.
 */
#define NCPU		2
#define DEST_ANY	(-1)	/* lowest priority: whichever CPU the APICs choose */
#define VEC_NMI		2
#define VEC_PIT		0x30	/* the 8259 master's IRQ0 (PIC_MASTER_BASE) */
#define TRACE_LEN	8

enum source {
	SRC_IPI, SRC_IPI_LOWEST, SRC_SELF_IPI, SRC_NMI, SRC_TIMER_ONESHOT, SRC_TIMER_PERIODIC,
	SRC_TIMER_DEADLINE, SRC_IOAPIC_EDGE, SRC_IOAPIC_LEVEL, SRC_PIT, NR_SOURCES
};

struct channel {
	enum source src;
	unsigned vector;
	int dest;			/* CPU index, or DEST_ANY */
	volatile uint32_t claim;	/* a sender's try-lock around the idle check and send */
	volatile uint32_t active;	/* handlers of this channel on a stack */
	volatile uint32_t line;		/* level: asserted and not yet lowered by the handler */
	volatile uint32_t kept_high;	/* level: EOIed with the line high, one redelivery owed */
	volatile uint64_t sent, received, dup, misrouted;
	volatile uint64_t excess;	/* periodic: deliveries beyond the periods elapsed */
	uint64_t first_dup_at;		/* the delivery (1 = first) found to be a duplicate */
};

struct source_totals {
	uint64_t sent, received, lost, dup;
};

enum timer_mode { TIMER_NONE, TIMER_ONESHOT, TIMER_PERIODIC, TIMER_DEADLINE };

/* What one epoch runs with: chosen by the BSP between epochs, while nothing is in flight. */
struct epoch_cfg {
	bool x2apic;			/* both CPUs in x2APIC mode */
	bool deoi;			/* Directed EOI: SPIV bit 12, the I/O APIC EOI register */
	unsigned ext_cpu;		/* the CPU whose LINT0 takes the 8259 (ExtINT) */
	int edge_dest, level_dest;	/* I/O APIC pins' destinations (DEST_ANY: lowest priority) */
};

struct stress_cpu {
	uint64_t rng;
	uint32_t logical_id;		/* this CPU's logical destination bit(s) in this epoch */
	volatile unsigned depth;	/* interrupt handlers on the stack */
	volatile enum timer_mode timer;	/* what the LAPIC timer is armed for */
	volatile unsigned periodic_left;
	uint32_t isr_or, irr_or;	/* after the drain: OR of the ISR and IRR words */
	unsigned ppr;
	/* The last deliveries: vector and the RIP they interrupted (for a stuck CPU's report). */
	struct {
		uint64_t rip;
		uint16_t vector;
	} trace[TRACE_LEN];
	unsigned trace_next;
	/* What an NMI found when the other CPU gave up waiting for this one (probe). */
	volatile bool probed;
	uint64_t probe_rip, probe_rflags;
	uint32_t probe_tpr, probe_isr_or, probe_irr_or;
};

enum phase { PHASE_RUN, PHASE_DRAIN, PHASE_END };

struct stress {
	struct epoch_cfg cfg;
	volatile enum phase phase;
	unsigned epoch;
	bool has_x2apic, has_deadline, has_deoi;
	uint32_t off;			/* sources turned off on the command line (bit per source) */
	/* Faults the guest injects into itself, to show the books catch them (0 = none). */
	uint32_t drop_eoi;		/* every Nth LAPIC EOI is left out */
	uint32_t extra_ipi;		/* every Nth self-IPI handler sends itself one unowed */
	volatile bool probing;		/* NMIs now ask for the interrupted state, nothing else */
	volatile int halter;		/* the CPU in HLT (one at a time: the other can report it) */
	struct stress_cpu cpu[NCPU];
	volatile uint64_t events;	/* deliveries, all sources */
	volatile uint64_t stray, spurious;
	volatile unsigned stray_vector, stray_cpu;
	char periodic_dup[160];		/* how the first periodic duplicate came (diagnosis) */
};

extern struct stress st;

/* What the epochs so far found: the first lost, duplicated and non-idle cases, in words. */
struct epoch_verdict {
	unsigned epochs, x2apic_epochs, deoi_epochs;
	uint64_t stray;
	char lost[200], dup[200], idle[160];
};

extern struct source_totals totals[NR_SOURCES];
extern struct epoch_verdict verdict;

/* channel.c */
struct channel *chan_ipi(unsigned dest, unsigned k);
struct channel *chan_self(unsigned cpu, unsigned k);
struct channel *chan_lowest(unsigned sender);
struct channel *chan_nmi(unsigned cpu);
struct channel *chan_timer(unsigned cpu, enum timer_mode mode);
struct channel *chan_edge(void);
struct channel *chan_level(void);
struct channel *chan_pit(void);
struct channel *chan_at(unsigned cpu, unsigned vector);
unsigned chan_count(void);
struct channel *chan_by_index(unsigned i);
void chan_init(void);
bool chan_try_claim(struct channel *ch);
void chan_release(struct channel *ch);
bool chan_idle(const struct channel *ch);
void chan_owe(struct channel *ch);
void chan_enter(struct channel *ch);
void chan_leave(struct channel *ch);
void chan_receive(struct channel *ch, unsigned cpu);
uint64_t chan_owed(const struct channel *ch);
const char *source_name(enum source s);

static inline bool source_on(enum source s)
{
	return !(st.off & (1u << s));
}

/* rng.c */
uint64_t rng_next(struct stress_cpu *c);
unsigned rng_below(struct stress_cpu *c, unsigned n);
struct stress_cpu *my(void);

/* senders.c: each returns true when it raised an event */
bool send_ipi(unsigned cpu);
bool send_self_ipi(unsigned cpu);
bool send_lowest(unsigned cpu);
bool send_nmi(unsigned cpu, unsigned dest);
bool pulse_edge(unsigned cpu);
bool raise_level(unsigned cpu);
void send_random(unsigned cpu);
void ipi_raw(uint32_t dest, uint32_t icr_low);

/* timer.c */
bool timer_arm(unsigned cpu);
void timer_on_delivery(struct channel *ch, unsigned cpu);
bool timer_wakes_hlt(unsigned cpu);
bool pit_arm(unsigned cpu);

/* handlers.c */
void handlers_install(void);
void trace_delivery(struct stress_cpu *c, const struct irq_frame *frame);
void set_tpr_random(struct stress_cpu *c);

/* epoch.c */
void epoch_apply_cpu(unsigned cpu);
void epoch_apply_global(void);
bool epoch_drain(unsigned cpu);
void epoch_snapshot(unsigned cpu);
bool barrier_wait(const char *where);
void probe_other_cpu(unsigned me);

/* check.c, summary.c */
bool epoch_check(bool drained);
void stress_summary(uint64_t ms, uint64_t late);

#endif
