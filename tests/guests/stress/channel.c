/* channel: the stress guest's event channels and their exact sent/received accounting. */
#include "stress.h"

/*
 * Vectors spread over classes 4-14, so that random TPR values and nested handlers block
 * and admit different subsets; 0x30-0x3f belong to the 8259 (PIC_MASTER_BASE).
 */
enum { K_IPI = 2, K_SELF = 2 };

static struct channel ipi[NCPU][K_IPI], self[NCPU][K_SELF], lowest[NCPU], nmi[NCPU];
static struct channel oneshot[NCPU], periodic[NCPU], deadline[NCPU];
static struct channel edge, level, pit;
static struct channel *by_vector[NCPU][256];
static struct channel *all[64];
static unsigned n_all;

static const char *const names[NR_SOURCES] = {
	[SRC_IPI] = "ipi", [SRC_IPI_LOWEST] = "ipi-lowest-priority", [SRC_SELF_IPI] = "self-ipi",
	[SRC_NMI] = "nmi", [SRC_TIMER_ONESHOT] = "timer-oneshot",
	[SRC_TIMER_PERIODIC] = "timer-periodic", [SRC_TIMER_DEADLINE] = "timer-tsc-deadline",
	[SRC_IOAPIC_EDGE] = "ioapic-edge", [SRC_IOAPIC_LEVEL] = "ioapic-level",
	[SRC_PIT] = "pit-8259-extint",
};

const char *source_name(enum source s)
{
	return s < NR_SOURCES ? names[s] : "?";
}

static void add(struct channel *ch, enum source src, unsigned vector, int dest)
{
	ch->src = src;
	ch->vector = vector;
	ch->dest = dest;
	all[n_all++] = ch;
	for (unsigned cpu = 0; cpu < NCPU; cpu++)
		if (dest == DEST_ANY || (unsigned)dest == cpu || src == SRC_IOAPIC_EDGE ||
		    src == SRC_IOAPIC_LEVEL || src == SRC_PIT)
			by_vector[cpu][vector] = ch;
}

void chan_init(void)
{
	for (unsigned d = 0; d < NCPU; d++) {
		add(&ipi[d][0], SRC_IPI, 0x50 + d, d);
		add(&ipi[d][1], SRC_IPI, 0xc0 + d, d);
		add(&self[d][0], SRC_SELF_IPI, 0x44 + d, d);
		add(&self[d][1], SRC_SELF_IPI, 0xe4 + d, d);
		add(&lowest[d], SRC_IPI_LOWEST, 0x78 + d, DEST_ANY);
		add(&nmi[d], SRC_NMI, VEC_NMI, d);
		add(&oneshot[d], SRC_TIMER_ONESHOT, 0x68 + d, d);
		add(&periodic[d], SRC_TIMER_PERIODIC, 0x98 + d, d);
		add(&deadline[d], SRC_TIMER_DEADLINE, 0xb8 + d, d);
	}
	/* Destinations of these follow the epoch (epoch_apply_global). */
	add(&edge, SRC_IOAPIC_EDGE, 0x88, 0);
	add(&level, SRC_IOAPIC_LEVEL, 0xa8, 0);
	add(&pit, SRC_PIT, VEC_PIT, 0);
}

struct channel *chan_ipi(unsigned dest, unsigned k) { return &ipi[dest][k % K_IPI]; }
struct channel *chan_self(unsigned cpu, unsigned k) { return &self[cpu][k % K_SELF]; }
struct channel *chan_lowest(unsigned sender) { return &lowest[sender]; }
struct channel *chan_nmi(unsigned cpu) { return &nmi[cpu]; }
struct channel *chan_edge(void) { return &edge; }
struct channel *chan_level(void) { return &level; }
struct channel *chan_pit(void) { return &pit; }
struct channel *chan_at(unsigned cpu, unsigned vector) { return by_vector[cpu][vector & 0xff]; }
unsigned chan_count(void) { return n_all; }
struct channel *chan_by_index(unsigned i) { return all[i]; }

struct channel *chan_timer(unsigned cpu, enum timer_mode mode)
{
	return mode == TIMER_PERIODIC ? &periodic[cpu] :
	       mode == TIMER_DEADLINE ? &deadline[cpu] : &oneshot[cpu];
}

/* Try-only: an NMI handler may find the lock held by the code it interrupted. */
bool chan_try_claim(struct channel *ch)
{
	return !__atomic_exchange_n(&ch->claim, 1, __ATOMIC_SEQ_CST);
}

void chan_release(struct channel *ch)
{
	__atomic_store_n(&ch->claim, 0, __ATOMIC_SEQ_CST);
}

uint64_t chan_owed(const struct channel *ch)
{
	uint64_t got = __atomic_load_n(&ch->received, __ATOMIC_SEQ_CST) -
		       __atomic_load_n(&ch->dup, __ATOMIC_SEQ_CST);
	uint64_t sent = __atomic_load_n(&ch->sent, __ATOMIC_SEQ_CST);
	return sent > got ? sent - got : 0;
}

/*
 * Idle: nothing owed, no handler of the channel running, its line low. The handler
 * raises `active` before it counts the delivery, and owed is read first, so a sender
 * never sees an idle channel while a delivery is on its way into a handler.
 */
bool chan_idle(const struct channel *ch)
{
	if (chan_owed(ch))
		return false;
	return !__atomic_load_n(&ch->active, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&ch->line, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&ch->kept_high, __ATOMIC_SEQ_CST);
}

/* One more delivery owed: always before the event is raised. */
void chan_owe(struct channel *ch)
{
	__atomic_add_fetch(&ch->sent, 1, __ATOMIC_SEQ_CST);
}

/* A handler of the channel starts and ends (nested deliveries of one channel are counted). */
void chan_enter(struct channel *ch)
{
	__atomic_add_fetch(&ch->active, 1, __ATOMIC_SEQ_CST);
}

void chan_leave(struct channel *ch)
{
	__atomic_sub_fetch(&ch->active, 1, __ATOMIC_SEQ_CST);
}

/*
 * One delivery on `cpu`. Beyond what is owed it is a duplicate; on a CPU the channel
 * does not name it is misrouted, which counts as a duplicate there and leaves the
 * delivery owed, so the drain reports it lost as well.
 */
void chan_receive(struct channel *ch, unsigned cpu)
{
	__atomic_add_fetch(&st.events, 1, __ATOMIC_RELAXED);
	uint64_t got = __atomic_add_fetch(&ch->received, 1, __ATOMIC_SEQ_CST);
	uint64_t dup = __atomic_load_n(&ch->dup, __ATOMIC_SEQ_CST);
	if (ch->dest != DEST_ANY && (unsigned)ch->dest != cpu) {
		__atomic_add_fetch(&ch->misrouted, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_fetch_add(&ch->dup, 1, __ATOMIC_SEQ_CST))
			ch->first_dup_at = got;
	} else if (got - dup > __atomic_load_n(&ch->sent, __ATOMIC_SEQ_CST)) {
		if (!__atomic_fetch_add(&ch->dup, 1, __ATOMIC_SEQ_CST))
			ch->first_dup_at = got;
	}
}
