/* seed000: the 000 seed's sequence, randomized: TPR drops while an in-service interrupt blocks. */
#include "guest.h"

const char guest_name[] = "seed000";

/*
 * One round, on one CPU, with self-IPIs only:
 *   1. in a random order: raise the TPR to class T, send 1-3 vectors of class <= T (held
 *      off by the TPR or by the in-service vector), send one vector S of class > T, which
 *      is taken into service and left there (no EOI);
 *   2. lower the TPR below the held vectors' classes, in one or two steps, by CR8 or by the
 *      TPR register: nothing may be delivered, S still blocks (PPR = S's class);
 *   3. EOI S (sometimes before step 2 instead): the held vectors above the TPR are
 *      delivered, highest first; then TPR 0 delivers the rest.
 * Every vector must be delivered exactly once, in priority order. Under a VMX hypervisor
 * with TPR shadow and no virtual-interrupt delivery, step 2 causes TPR-below-threshold
 * exits with no deliverable interrupt: the case where KVM left a stale TPR_THRESHOLD above
 * VTPR, which a strict CPU rejects at the next VM entry (SDM 26.2.1.1, error 7).
 */
#define DEFAULT_ROUNDS	256
#define DEFAULT_SEED	0x5eed000ull
#define MAX_HELD	3

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* xorshift64 (Marsaglia): deterministic for a given seed, good enough for orders. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned rng_range(unsigned lo, unsigned hi)	/* inclusive */
{
	return lo + (unsigned)(rng_next() % (hi - lo + 1));
}

/*
 * How the TPR is written (tpr-way=N on the command line): 0 either way at random, 1 MOV to
 * CR8 only, 2 the TPR register only (MMIO, or MSR 808h in x2APIC mode). Under KVM with TPR
 * shadow the two take different paths: a CR8 write lands in VTPR and, below the threshold,
 * causes a TPR-below-threshold exit; a TPR-register write that KVM intercepts (x2APIC
 * without "virtualize x2APIC mode", or xAPIC without virtualize-APIC-accesses) is emulated
 * by kvm_lapic_reg_write, which the seed's minimal fix does not touch.
 */
static unsigned tpr_way;

static void set_tpr_random_way(unsigned class)
{
	bool cr8 = tpr_way == 1 || (tpr_way == 0 && (rng_next() & 1));
	if (cr8)
		write_cr8(class);
	else
		lapic_write(APIC_TPR, class << 4);
}

struct round {
	unsigned tpr;			/* class raised to */
	unsigned lowered;		/* class lowered to while S is in service */
	unsigned service;		/* vector S */
	unsigned n_held;
	unsigned held[MAX_HELD];	/* sorted, highest first */
	bool eoi_first;
};

static bool vector_used(const struct round *r, unsigned v)
{
	for (unsigned i = 0; i < r->n_held; i++)
		if (r->held[i] == v)
			return true;
	return false;
}

static void plan_round(struct round *r)
{
	r->tpr = rng_range(3, 13);
	r->n_held = rng_range(1, MAX_HELD);
	for (unsigned i = 0; i < r->n_held; i++) {
		unsigned v;
		do
			v = rng_range(2, r->tpr) << 4 | rng_range(0, 15);
		while (vector_used(r, v));
		r->held[i] = v;
	}
	/* Highest first: the order the APIC must deliver them in. */
	for (unsigned i = 0; i < r->n_held; i++)
		for (unsigned j = i + 1; j < r->n_held; j++)
			if (r->held[j] > r->held[i]) {
				unsigned t = r->held[i];
				r->held[i] = r->held[j];
				r->held[j] = t;
			}
	unsigned s_class = rng_range(r->tpr + 1, 15);
	r->service = s_class << 4 | rng_range(0, s_class == 15 ? 14 : 15);	/* not 0xff */
	r->lowered = rng_range(0, (r->held[0] >> 4) - 1);
	r->eoi_first = rng_range(0, 3) == 0;
}

/* Step 1: the first of {raise TPR, send S} comes first, then the rest shuffled. */
static void step_setup(const struct round *r)
{
	enum { OP_TPR, OP_SERVICE, OP_HELD0 };
	unsigned ops[2 + MAX_HELD], n = 2 + r->n_held;

	for (unsigned i = 0; i < n; i++)
		ops[i] = i;
	if (rng_next() & 1) {
		ops[0] = OP_SERVICE;
		ops[1] = OP_TPR;
	}
	for (unsigned i = n - 1; i > 1; i--) {
		unsigned j = rng_range(1, i);
		unsigned t = ops[i];
		ops[i] = ops[j];
		ops[j] = t;
	}
	for (unsigned i = 0; i < n; i++) {
		if (ops[i] == OP_TPR)
			set_tpr_random_way(r->tpr);
		else if (ops[i] == OP_SERVICE)
			lapic_self_ipi(r->service);
		else
			lapic_self_ipi(r->held[ops[i] - OP_HELD0]);
		if (rng_next() & 1)
			irq_window();
	}
	irq_window();
}

static void step_lower(const struct round *r)
{
	if (r->lowered + 1 < r->tpr && (rng_next() & 1))
		set_tpr_random_way(rng_range(r->lowered + 1, r->tpr - 1));
	set_tpr_random_way(r->lowered);
	irq_window();
}

struct verdict {
	struct multi_check setup, held, prompt, order, idle;
};

static unsigned log_vector(unsigned i)
{
	return i < irq_log_length() ? irq_log_at(i).vector : 0;
}

static void run_round(unsigned n, const struct round *r, struct verdict *v)
{
	for (unsigned i = 0; i < r->n_held; i++)
		idt_set_handler(r->held[i], lapic_eoi_handler);
	idt_set_handler(r->service, NULL);	/* stays in service until the test's EOI */
	irq_log_reset();

	step_setup(r);
	multi_case(&v->setup, irq_log_length() == 1 && log_vector(0) == r->service &&
		   lapic_vector_bit(APIC_ISR, r->service), "round %u: S=%#x T=%u: %u deliveries, "
		   "first %#x", n, r->service, r->tpr, irq_log_length(), log_vector(0));

	if (r->eoi_first) {
		lapic_eoi();
		irq_window();
	}
	step_lower(r);
	if (!r->eoi_first) {
		/* S still in service: PPR is S's class, nothing held may be delivered. */
		multi_case(&v->held, irq_log_length() == 1 &&
			   lapic_read(APIC_PPR) == (r->service & 0xf0), "round %u: TPR %u with %#x in "
			   "service: %u deliveries, PPR %#x", n, r->lowered, r->service,
			   irq_log_length(), lapic_read(APIC_PPR));
		lapic_eoi();
		irq_window();
	}
	set_tpr_random_way(0);
	irq_window();
	unsigned prompt = irq_log_length();
	irq_settle();

	multi_case(&v->prompt, prompt == 1 + r->n_held, "round %u: %u of %u delivered at once, "
		   "%u after settling", n, prompt, 1 + r->n_held, irq_log_length());
	bool order = irq_log_length() == 1 + r->n_held;
	for (unsigned i = 0; order && i < r->n_held; i++)
		order = log_vector(1 + i) == r->held[i];
	multi_case(&v->order, order, "round %u: S=%#x held %#x/%#x/%#x (%u) TPR %u->%u%s: got "
		   "%u deliveries %#x %#x %#x %#x", n, r->service, r->held[0],
		   r->n_held > 1 ? r->held[1] : 0, r->n_held > 2 ? r->held[2] : 0, r->n_held,
		   r->tpr, r->lowered, r->eoi_first ? " eoi-first" : "", irq_log_length(),
		   log_vector(0), log_vector(1), log_vector(2), log_vector(3));

	bool idle = lapic_read(APIC_PPR) == 0;
	for (unsigned i = 0; i < 8; i++)
		idle &= !lapic_read(APIC_ISR + 0x10 * i) && !lapic_read(APIC_IRR + 0x10 * i);
	multi_case(&v->idle, idle, "round %u: APIC not idle, PPR %#x", n, lapic_read(APIC_PPR));
}

void guest_main(void)
{
	unsigned rounds = bootinfo_param("rounds", DEFAULT_ROUNDS);
	uint64_t seed = bootinfo_param("seed", DEFAULT_SEED);
	struct verdict v;

	rng_state = seed ? seed : DEFAULT_SEED;
	tpr_way = (unsigned)bootinfo_param("tpr-way", 0);
	/*
	 * x2apic=1: the rounds run in x2APIC mode. Under KVM that turns virtualize-APIC-accesses
	 * off (it is for the xAPIC page), and only then does SDM 26.2.1.1 check TPR_THRESHOLD
	 * against VTPR at entry: with it on, a stale threshold gives an immediate
	 * TPR-below-threshold exit instead (../shared/docs/nested-facts.md, seed 000).
	 */
	if (bootinfo_param("x2apic", 0)) {
		if (!report_check(lapic_x2apic_supported(), "x2apic-requested",
				  "x2apic=1 but CPUID offers no x2APIC"))
			return;
		lapic_enter_x2apic();
	}
	report_info("LAPIC in %s mode", this_cpu()->x2apic ? "x2APIC" : "xAPIC");
	report_info("%u rounds, seed %#lx, TPR written %s (command line: rounds=N seed=S "
		    "tpr-way=0|1|2)", rounds, (unsigned long)seed,
		    tpr_way == 1 ? "by CR8" : tpr_way == 2 ? "by the TPR register" : "either way");
	multi_begin(&v.setup, "service-vector-taken");
	multi_begin(&v.held, "held-while-in-service");
	multi_begin(&v.prompt, "delivered-at-once");
	multi_begin(&v.order, "exactly-once-in-priority-order");
	multi_begin(&v.idle, "apic-idle-after-round");

	for (unsigned n = 0; n < rounds; n++) {
		struct round r;
		plan_round(&r);
		run_round(n, &r, &v);
		if (v.order.failed + v.idle.failed > 8)
			break;	/* the APIC state is off; later rounds would only repeat it */
	}
	report_info("%u rounds run", v.order.cases);
	multi_end(&v.setup);
	multi_end(&v.held);
	multi_end(&v.prompt);
	multi_end(&v.order);
	multi_end(&v.idle);
	report_check(v.order.cases == rounds, "all-rounds-run", "%u of %u rounds", v.order.cases, rounds);
}
