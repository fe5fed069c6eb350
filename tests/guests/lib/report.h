/* report: PASS/FAIL/SKIP lines, the final summary and the debug-exit status. */
#ifndef GUEST_REPORT_H
#define GUEST_REPORT_H

#include <stdbool.h>

/*
 * Status written to the isa-debug-exit port (0xf4). QEMU exits with (status << 1) | 1,
 * so a passing guest ends QEMU with 33 and a failing one with 35; both differ from 0/1
 * (QEMU's own exits) and from any shell or timeout status.
 *   GUEST_EXIT_PASS: no check failed (skipped checks are listed in the summary)
 *   GUEST_EXIT_FAIL: at least one check failed, or the guest aborted
 */
#define GUEST_EXIT_PASS 0x10
#define GUEST_EXIT_FAIL 0x11

/* Check names are single words (letters, digits, '-', '_', '.'): "[guest] PASS name". */
void report_pass(const char *check);
void report_fail(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A documented outcome: the platform says the feature is absent. Never counts as a pass. */
void report_skip(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* PASS when ok, else FAIL with the formatted reason; returns ok. */
bool report_check(bool ok, const char *check, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

unsigned report_failures(void);

/* A check made of many cases: one PASS line, or one FAIL naming the first bad case. */
struct multi_check {
	const char *name;
	unsigned cases, failed;
	char first[160];
};

void multi_begin(struct multi_check *m, const char *name);
/* Records one case; the reason is formatted only for the first failure. Returns ok. */
bool multi_case(struct multi_check *m, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool multi_end(struct multi_check *m);

/* Prints "SUMMARY pass=P fail=F skip=S" and "EXIT 0xNN", then writes the debug-exit port. */
__attribute__((noreturn)) void report_finish(void);
/* A failure that ends the guest at once (unexpected exception, broken platform). */
__attribute__((noreturn, format(printf, 1, 2))) void report_abort(const char *fmt, ...);

__attribute__((noreturn)) void debug_exit(unsigned status);

#endif
