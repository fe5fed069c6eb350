/* nested_watch: the seeds' livelocks named from L0's seat, in what L1 does to its L2. */
#ifndef NESTOR_NESTED_NESTED_WATCH_H
#define NESTOR_NESTED_NESTED_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Vendor-neutral: the nested code of either backend feeds it each entry into L2 (whether
 * L1 injects an external interrupt, which vector, at which L2 RIP) and each exit it
 * reflects to L1, classified. Two patterns, each reported once:
 *
 * seed 002 (002_de1cbf97973f35a6.txt, the EOI storm): L1 injects the same vector at the
 *   same L2 RIP again and again, and between two injections L2 only EOIs (an EOI exit to
 *   L1) and waits for the window to reopen: L2 never gets past the interrupt to the code
 *   that would lower the line.
 * seed 003 (003_aac2c8559ed01284.txt, the ExtINT window livelock): L1 asks for an
 *   interrupt window on every entry, L2 opens it (a window exit to L1), and L1 enters L2
 *   again still asking, having injected nothing or only the one vector it injected before
 *   (the LAPIC interrupt that, in the old KVM, keeps the window from counting as ready for
 *   the ExtINT). The request never ends however often the window opens. An entry without
 *   a window request, or an injection of another vector (the ExtINT at last), ends it;
 *   exits of other kinds do not (the LAPIC handler's EOI and self-IPI are part of the loop).
 *
 * Any other exit to L1 (HLT, I/O, a fault, ...) is progress and restarts both patterns, as
 * does an injection that differs. Physical interrupts (INTR/NMI exits) neither count nor
 * restart, and neither does the injection L1 repeats after one: an interrupt exit that
 * caught L1's event undelivered hands it back (EXITINTINFO, APM 15.7.2; VMX IDT-vectoring
 * information), and L1 injects it again, same vector, same RIP, no EOI in between.
 */
enum nested_watch_exit {
	NESTED_WATCH_EXIT_EOI,		/* L2 wrote its LAPIC's EOI (MSR 80Bh or the xAPIC page) */
	NESTED_WATCH_EXIT_WINDOW,	/* an interrupt-window exit (SVM VINTR, VMX exit 7) */
	NESTED_WATCH_EXIT_NEUTRAL,	/* an interrupt or NMI exit: says nothing about L2 */
	NESTED_WATCH_EXIT_OTHER,	/* anything else: L2 made progress */
};

/* How many repetitions name a pattern: far above any passing scenario's bursts. */
#define NESTED_WATCH_STORM_REPEATS 2000
#define NESTED_WATCH_WINDOW_REPEATS 1000

enum nested_watch_pattern {
	NESTED_WATCH_SEED002,
	NESTED_WATCH_SEED003,
	NESTED_WATCH_PATTERNS,
};

struct nested_watch_pattern_state {
	uint64_t streak;		/* repetitions in a row so far */
	uint64_t longest;		/* the longest streak seen */
	uint64_t total;			/* repetitions in streaks that reached the threshold */
	bool reported;			/* named once */
	uint64_t first_ns, named_ns;	/* when the named streak began, when it was named */
	uint8_t named_vector;		/* seed 002: the injection that was named */
	uint64_t named_rip;
};

struct nested_watch {
	struct nested_watch_pattern_state p[NESTED_WATCH_PATTERNS];
	/* seed 002: the last injection and what happened since */
	bool have_last;
	uint8_t last_vector;
	uint64_t last_rip;
	bool eoi_since;
	bool neutral_only_since;	/* only INTR/NMI exits since it: a re-injection may follow */
	uint64_t streak_start_ns;
	/* seed 003: every entry since window_start_ns asked for a window; the one vector
	 * injected meanwhile, if any */
	bool window_asked;
	bool window_have_vector;
	uint8_t window_vector;
	uint64_t window_start_ns;
	bool pending_report;		/* a pattern was just named: the caller logs it */
	enum nested_watch_pattern pending;
};

/* An entry into L2: inject tells whether L1 injects an external interrupt (its vector). */
void nested_watch_entry(struct nested_watch *w, uint64_t now_ns, bool inject, uint8_t vector,
			uint64_t l2_rip, bool window_requested);
/* An exit reflected to L1 (or made for it). */
void nested_watch_exit(struct nested_watch *w, uint64_t now_ns, enum nested_watch_exit kind);

/* The one line naming a pattern (when pending_report was set): "<seed>: <what>, N times". */
int nested_watch_describe(char *buf, size_t size, const struct nested_watch *w,
			  enum nested_watch_pattern p);
const char *nested_watch_seed_file(enum nested_watch_pattern p);

#endif
