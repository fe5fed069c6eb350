/* test_nested_watch: the seeds' livelock patterns, named once, and silence on passing shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nested/nested_watch.h"

static struct nested_watch w;
static uint64_t now;

static int setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof(w));
	now = 1000;
	return 0;
}

static void entry(bool inject, uint8_t vector, uint64_t rip, bool window)
{
	nested_watch_entry(&w, now, inject, vector, rip, window);
	now += 1000;
}

static void leave(enum nested_watch_exit kind)
{
	nested_watch_exit(&w, now, kind);
	now += 1000;
}

/* Seed 002 as stock KVM runs it: inject, EOI exit, window, window exit, inject again. */
static void storm_round(void)
{
	entry(true, 0x62, 0x100200, false);
	leave(NESTED_WATCH_EXIT_EOI);
	entry(false, 0, 0x100230, true);
	leave(NESTED_WATCH_EXIT_WINDOW);
}

static void test_seed002_storm_is_named_once(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NESTED_WATCH_STORM_REPEATS; i++)
		storm_round();
	assert_false(w.p[NESTED_WATCH_SEED002].reported);	/* the first round is no repeat */
	storm_round();
	assert_true(w.p[NESTED_WATCH_SEED002].reported);
	assert_true(w.pending_report);
	assert_int_equal(w.pending, NESTED_WATCH_SEED002);
	w.pending_report = false;
	for (unsigned i = 0; i < 100; i++)
		storm_round();
	assert_false(w.pending_report);				/* once */
	assert_int_equal(w.p[NESTED_WATCH_SEED002].total, 101);
	assert_false(w.p[NESTED_WATCH_SEED003].reported);
	/* the end-of-run report names what was detected, not the last injection */
	entry(true, 0x30, 0x100292, false);
	leave(NESTED_WATCH_EXIT_OTHER);
	char line[256];
	nested_watch_describe(line, sizeof(line), &w, NESTED_WATCH_SEED002);
	assert_non_null(strstr(line, "002_de1cbf97973f35a6.txt"));
	assert_non_null(strstr(line, "vector 0x62 into L2 at rip 0x100200 2000 times"));
}

/* A guest that lowers the line (I/O exit) or halts, or is interrupted at another place,
 * makes progress: the streak starts over. */
static void test_progress_breaks_the_storm(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3 * NESTED_WATCH_STORM_REPEATS; i++) {
		storm_round();
		if (i % 500 == 499)
			leave(NESTED_WATCH_EXIT_OTHER);
	}
	assert_false(w.p[NESTED_WATCH_SEED002].reported);
	setup(NULL);
	for (unsigned i = 0; i < 3 * NESTED_WATCH_STORM_REPEATS; i++) {
		entry(true, 0xec, 0x100000 + (i % 7), false);	/* a timer at varying RIPs */
		leave(NESTED_WATCH_EXIT_EOI);
	}
	assert_false(w.p[NESTED_WATCH_SEED002].reported);
	setup(NULL);
	for (unsigned i = 0; i < 3 * NESTED_WATCH_STORM_REPEATS; i++) {
		entry(true, 0xec, 0x100000, false);	/* an idle loop: sti; hlt */
		leave(NESTED_WATCH_EXIT_EOI);
		entry(false, 0, 0x100000, false);
		leave(NESTED_WATCH_EXIT_OTHER);		/* the HLT exit */
	}
	assert_false(w.p[NESTED_WATCH_SEED002].reported);
}

/* No EOI between two injections at one place is not the storm (a vector re-injected after
 * an interrupted delivery, an NMI storm of another kind). */
static void test_injection_without_eoi_is_not_the_storm(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3 * NESTED_WATCH_STORM_REPEATS; i++) {
		entry(true, 0x62, 0x100200, false);
		leave(NESTED_WATCH_EXIT_NEUTRAL);
	}
	assert_false(w.p[NESTED_WATCH_SEED002].reported);
}

/* The storm as nestor saw it (stock seed002, 30,870 EOI exits, nothing named): L1's timer
 * exits (INTR) catch L1's injection undelivered now and then, L1 injects it again at the
 * same RIP without an EOI in between. That is the same delivery, not progress. */
static void test_reinjection_keeps_the_storm(void **state)
{
	(void)state;
	for (unsigned i = 0; i <= NESTED_WATCH_STORM_REPEATS; i++) {
		entry(true, 0x62, 0x100200, false);
		if (i % 15 == 0) {
			leave(NESTED_WATCH_EXIT_NEUTRAL);	/* EXITINTINFO: 0x62 handed back */
			entry(true, 0x62, 0x100200, false);
		}
		leave(NESTED_WATCH_EXIT_EOI);
		if (i % 7 == 0)
			leave(NESTED_WATCH_EXIT_NEUTRAL);	/* a timer inside the ISR */
		entry(false, 0, 0x100230, true);
		leave(NESTED_WATCH_EXIT_WINDOW);
	}
	assert_true(w.p[NESTED_WATCH_SEED002].reported);
	assert_int_equal(w.p[NESTED_WATCH_SEED002].streak, NESTED_WATCH_STORM_REPEATS);
	/* A re-injection after progress (an I/O exit) is a new start. */
	leave(NESTED_WATCH_EXIT_OTHER);
	entry(true, 0x62, 0x100200, false);
	assert_int_equal(w.p[NESTED_WATCH_SEED002].streak, 0);
}

/* Seed 003 as seed003-old KVM runs it: a window each entry, opened at once, no injection. */
static void test_seed003_window_loop_is_named_once(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NESTED_WATCH_WINDOW_REPEATS - 1; i++) {
		entry(false, 0, 0x100400, true);
		leave(NESTED_WATCH_EXIT_WINDOW);
		if (i % 100 == 0)
			leave(NESTED_WATCH_EXIT_NEUTRAL);	/* L1's timer interrupts */
	}
	assert_false(w.p[NESTED_WATCH_SEED003].reported);
	entry(false, 0, 0x100400, true);
	leave(NESTED_WATCH_EXIT_WINDOW);
	assert_true(w.p[NESTED_WATCH_SEED003].reported);
	assert_int_equal(w.pending, NESTED_WATCH_SEED003);
	assert_false(w.p[NESTED_WATCH_SEED002].reported);
	char line[256];
	nested_watch_describe(line, sizeof(line), &w, NESTED_WATCH_SEED003);
	assert_non_null(strstr(line, "003_aac2c8559ed01284.txt"));
}

/* Seed 003 as the old KVM runs it under nestor (seed003-old, split irqchip): every entry
 * asks for the window the VMM wants for its ExtINT and injects the LAPIC vector; L2's
 * handler EOIs and sends itself the vector again (an ICR exit), IRET opens the window. */
static void loop_round(uint8_t vector)
{
	entry(true, vector, 0x100500, true);
	leave(NESTED_WATCH_EXIT_EOI);
	leave(NESTED_WATCH_EXIT_OTHER);			/* the self-IPI */
	entry(false, 0, 0x100510, true);
	leave(NESTED_WATCH_EXIT_WINDOW);
}

static void test_seed003_with_lapic_injections_is_named(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NESTED_WATCH_WINDOW_REPEATS - 1; i++)
		loop_round(0x80);
	assert_false(w.p[NESTED_WATCH_SEED003].reported);
	loop_round(0x80);
	assert_true(w.p[NESTED_WATCH_SEED003].reported);
	assert_int_equal(w.pending, NESTED_WATCH_SEED003);
	assert_false(w.p[NESTED_WATCH_SEED002].reported);	/* the self-IPI is progress for 002 */
}

/* The fixed KVM: the window exit reaches the VMM, the ExtINT (another vector) is injected,
 * or the request is dropped: each ends the streak. */
static void test_window_used_for_another_vector_ends_it(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3 * NESTED_WATCH_WINDOW_REPEATS; i++) {
		loop_round(0x80);
		if (i % 2)
			entry(true, 0x20, 0x100510, true);	/* the ExtINT, more pending */
		else
			entry(false, 0, 0x100510, false);	/* request satisfied */
		leave(NESTED_WATCH_EXIT_OTHER);
	}
	assert_false(w.p[NESTED_WATCH_SEED003].reported);
	assert_true(w.p[NESTED_WATCH_SEED003].longest <= 2);
}

/* Windows that end in injections (a busy guest taking interrupts) are ordinary. */
static void test_windows_with_injections_are_ordinary(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3 * NESTED_WATCH_WINDOW_REPEATS; i++) {
		entry(false, 0, 0x100400 + i, true);
		leave(NESTED_WATCH_EXIT_WINDOW);
		entry(true, 0x30, 0x100400 + i, false);
		leave(NESTED_WATCH_EXIT_OTHER);
	}
	assert_false(w.p[NESTED_WATCH_SEED003].reported);
	assert_false(w.p[NESTED_WATCH_SEED002].reported);
	assert_true(w.p[NESTED_WATCH_SEED003].longest <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_seed002_storm_is_named_once, setup),
		cmocka_unit_test_setup(test_progress_breaks_the_storm, setup),
		cmocka_unit_test_setup(test_injection_without_eoi_is_not_the_storm, setup),
		cmocka_unit_test_setup(test_reinjection_keeps_the_storm, setup),
		cmocka_unit_test_setup(test_seed003_window_loop_is_named_once, setup),
		cmocka_unit_test_setup(test_windows_with_injections_are_ordinary, setup),
		cmocka_unit_test_setup(test_seed003_with_lapic_injections_is_named, setup),
		cmocka_unit_test_setup(test_window_used_for_another_vector_ends_it, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
