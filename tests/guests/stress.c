/* stress: every interrupt source at once on two CPUs, each interrupt counted: none lost, none duplicated. */
#include "stress/stress.h"
#include "ioapic.h"
#include "pic.h"
#include "pit.h"
#include "smp.h"

const char guest_name[] = "stress";

/*
 * Both CPUs run the same loop: fixed IPIs to the other CPU (by APIC ID, shorthand and
 * logical ID), self-IPIs (shorthand, own ID, logical, x2APIC SELF IPI), lowest-priority
 * IPIs to both, NMIs to either CPU, the LAPIC timer (one-shot, periodic, TSC-deadline),
 * an I/O APIC edge pin and level pin driven through pc-testdev, and PIT channel 0
 * one-shots through the 8259 into one CPU's LINT0 (ExtINT); in between, random TPR
 * values by CR8 and by the register, interrupt windows, HLT, IF on and off. Handlers
 * EOI at random points: at once, after a window that lets anything nest, after a window
 * for higher classes only, under a TPR of their own, around further sends; the level
 * handler sometimes EOIs with its line still high (one more delivery owed); with
 * Directed EOI the I/O APIC's EOI register comes before or after the LAPIC's.
 *
 * The run is cut into epochs: each ends with a drain (nothing new raised, TPR 0, IF = 1,
 * until nothing is owed), then the books are checked (stress/channel.c), and the next
 * epoch switches xAPIC/x2APIC, Directed EOI, the ExtINT CPU and the pins' destinations.
 *
 * Command line: events=N (deliveries, default 100000), seed=S, epoch=N (deliveries per
 * epoch, default 5000), ms=N (stop after the epoch running at N ms, 0 = no limit),
 * off=MASK (sources turned off, bit n = enum source n: to corner a failure), hlt=0 (no
 * `sti; hlt` in the loop: the lost wake-up it can catch, left out). To show the
 * checks can fail, the guest can break itself: drop-eoi=N leaves out every Nth LAPIC EOI,
 * extra-ipi=N makes every Nth self-IPI handler send its vector once more, owed by no one.
 */
#define DEFAULT_EVENTS	100000
#define DEFAULT_SEED	0x57e55ull
#define DEFAULT_EPOCH	5000
#define MIN_EPOCH	100
#define SETTLE_US	20000

struct stress st;

static struct {
	uint64_t target, per_epoch, seed, ms;
	uint64_t deadline, epoch_start, next_progress;
	bool last_epoch, aborted, hlt;
	volatile bool drained[NCPU];
} run;

static void choose_epoch(void)
{
	struct stress_cpu *c = &st.cpu[0];
	unsigned e = st.epoch + (unsigned)run.seed;

	/* Alternating, so that any two epochs see both APIC modes, any four both EOI modes. */
	st.cfg.x2apic = st.has_x2apic && (e & 1);
	st.cfg.deoi = st.has_deoi && (e & 2);
	st.cfg.ext_cpu = rng_below(c, NCPU);
	st.cfg.level_dest = (int)rng_below(c, NCPU);
	unsigned edge = rng_below(c, st.cfg.x2apic ? NCPU : NCPU + 1);
	st.cfg.edge_dest = edge == NCPU ? DEST_ANY : (int)edge;
}

static void maybe_end_epoch(void)
{
	uint64_t events = st.events;

	if (run.deadline && timeout_expired(run.deadline))
		run.last_epoch = true;
	if (events >= run.target)
		run.last_epoch = true;
	if (run.last_epoch || events - run.epoch_start >= run.per_epoch)
		st.phase = PHASE_DRAIN;
}

static void run_loop(unsigned cpu)
{
	struct stress_cpu *c = &st.cpu[cpu];
	bool if_on = false;

	while (st.phase == PHASE_RUN) {
		if (cpu == 0)
			maybe_end_epoch();
		irq_disable();
		unsigned a = rng_below(c, 32);
		if (a < 12)
			send_random(cpu);
		else if (a < 15)
			timer_arm(cpu);
		else if (a < 17)
			pit_arm(cpu);
		else if (a < 21)
			set_tpr_random(c);
		else if (a < 24)
			irq_window();
		else if (a < 25 && run.hlt && timer_wakes_hlt(cpu) &&
			 __atomic_compare_exchange_n(&st.halter, &(int){ -1 }, (int)cpu, false,
						     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			/* The timer's vector deliverable: HLT ends. One CPU at a time halts, so
			 * one whose wake-up was lost is found by the other's barrier timeout. */
			write_cr8(0);
			asm volatile("sti; hlt; cli" ::: "memory");
			__atomic_store_n(&st.halter, -1, __ATOMIC_SEQ_CST);
		} else if (a < 28)
			if_on = !if_on;
		if (if_on)
			irq_enable();
		for (unsigned i = rng_below(c, 16); i; i--)
			cpu_relax();
	}
	irq_disable();
}

/* The BSP, between epochs: the books, then the next epoch or the end. */
static void between_epochs(void)
{
	bool ok = epoch_check(run.drained[0] && run.drained[1]);

	if (st.events >= run.next_progress) {
		report_info("progress: epoch %u, %lu events", st.epoch, (unsigned long)st.events);
		run.next_progress += run.target / 10 ? run.target / 10 : 1;
	}
	st.epoch++;
	if (!ok || run.last_epoch) {
		st.phase = PHASE_END;
		return;
	}
	choose_epoch();
	st.phase = PHASE_RUN;
}

static void worker(void *arg)
{
	unsigned cpu = this_cpu()->index;

	(void)arg;
	for (;;) {
		if (!barrier_wait("epoch start"))
			goto aborted;
		if (st.phase == PHASE_END)
			break;
		epoch_apply_cpu(cpu);
		if (!barrier_wait("APIC setup"))
			goto aborted;
		if (cpu == 0) {
			epoch_apply_global();
			run.epoch_start = st.events;
		}
		if (!barrier_wait("pin setup"))
			goto aborted;
		run_loop(cpu);
		if (!barrier_wait("end of run"))
			goto aborted;
		run.drained[cpu] = epoch_drain(cpu);
		if (!barrier_wait("drain"))
			goto aborted;
		epoch_snapshot(cpu);
		if (!barrier_wait("snapshot"))
			goto aborted;
		if (cpu == 0)
			between_epochs();
	}
	if (0) {
aborted:
		/* The BSP still reports what the epoch owed; an AP without its BSP ends the run. */
		if (cpu)
			report_abort("cpu %u gave up waiting for the BSP", cpu);
		run.aborted = true;
		st.phase = PHASE_END;
	}
	/* The AP goes back to its idle loop open for interrupts: late ones are seen too. */
	if (cpu)
		irq_enable();
	else
		irq_disable();
}

/*
 * The firmware left PIT channel 0 periodic, and IRQ0 edges latch in the masked 8259's
 * IRR: the first unmask would deliver one that no source sent. One short mode-0 count
 * ends with OUT0 high for good; once its edge is seen latched (QEMU raises it from a
 * host timer, some time after the count ran out), a new ICW1 clears it (8259A: ICW1
 * resets the edge sense). From then on every IRQ0 edge is one this guest armed.
 */
static void quiesce_pit(void)
{
	pic_init(PIC_MASTER_BASE, PIC_SLAVE_BASE);
	pit_ch0_oneshot(100);
	uint64_t deadline = timeout_after_us(1000000);
	while (!(pic_read_irr() & 1) && !timeout_expired(deadline))
		cpu_relax();
	if (!(pic_read_irr() & 1))
		report_info("PIT IRQ0 edge never latched in the 8259 at setup");
	pic_init(PIC_MASTER_BASE, PIC_SLAVE_BASE);
}

static void features(void)
{
	st.has_x2apic = lapic_x2apic_supported();
	st.has_deadline = (cpuid(1, 0).ecx >> 24) & 1;
	st.has_deoi = (lapic_read(APIC_VERSION) & APIC_VERSION_DIRECTED_EOI) &&
		      ioapic_version() >= 0x20;
	report_info("x2APIC %s, TSC-deadline %s, Directed EOI %s", st.has_x2apic ? "yes" : "no",
		    st.has_deadline ? "yes" : "no", st.has_deoi ? "yes" : "no");
}

/* Interrupts that arrive after the last drain had nothing owed: duplicates. */
static uint64_t settle_after_end(void)
{
	uint64_t before = st.events + st.stray;

	irq_enable();
	delay_us(SETTLE_US);
	irq_disable();
	return st.events + st.stray - before;
}

void guest_main(void)
{
	unsigned expected = smp_expected_cpus();

	run.target = bootinfo_param("events", DEFAULT_EVENTS);
	run.seed = bootinfo_param("seed", DEFAULT_SEED);
	run.per_epoch = bootinfo_param("epoch", DEFAULT_EPOCH);
	run.ms = bootinfo_param("ms", 0);
	st.off = (uint32_t)bootinfo_param("off", 0);
	run.hlt = bootinfo_param("hlt", 1) != 0;
	st.drop_eoi = (uint32_t)bootinfo_param("drop-eoi", 0);
	st.extra_ipi = (uint32_t)bootinfo_param("extra-ipi", 0);
	if (run.per_epoch > run.target / 8)
		run.per_epoch = run.target / 8;
	if (run.per_epoch < MIN_EPOCH)
		run.per_epoch = MIN_EPOCH;
	report_info("events=%lu seed=%#lx epoch=%lu ms=%lu off=%#x hlt=%u (command line: "
		    "events=N seed=S epoch=N ms=N off=MASK hlt=0|1)", (unsigned long)run.target,
		    (unsigned long)run.seed, (unsigned long)run.per_epoch, (unsigned long)run.ms,
		    st.off, run.hlt);
	if (st.drop_eoi || st.extra_ipi)
		report_info("fault injection: drop-eoi=%u extra-ipi=%u", st.drop_eoi, st.extra_ipi);
	if (!report_check(expected >= NCPU && smp_start_aps(expected) >= NCPU, "two-cpus",
			  "%u CPUs online of %u expected; run with -smp 2", smp_online_cpus(),
			  expected))
		return;
	features();
	for (unsigned i = 0; i < NCPU; i++)
		st.cpu[i].rng = (run.seed ^ (0x9e3779b97f4a7c15ull * (i + 1))) | 1;
	st.halter = -1;
	chan_init();
	handlers_install();
	quiesce_pit();
	run.next_progress = run.target / 10;
	choose_epoch();
	st.phase = PHASE_RUN;

	uint64_t start = rdtsc();
	if (run.ms)
		run.deadline = timeout_after_us(run.ms * 1000);
	smp_run_on(1, worker, NULL);
	worker(NULL);
	uint64_t ms = (rdtsc() - start) / tsc_per_ms();
	st.phase = PHASE_END;
	if (run.aborted)
		epoch_check(false);

	pic_set_mask(0xffff);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
	uint64_t late = settle_after_end();
	if (run.aborted && late) {
		/* After an abort the books are open: what arrives now may well have been owed. */
		report_info("%lu deliveries after the abort, not judged", (unsigned long)late);
		late = 0;
	}
	stress_summary(ms, late);
}
