/* report: counts outcomes and ends the guest through the debug-exit device. */
#include "report.h"

#include <stdarg.h>

#include "console.h"
#include "lib/format.h"
#include "x86.h"

#define DEBUG_EXIT_PORT 0xf4

extern void halt_forever(void) __attribute__((noreturn));

static volatile unsigned n_pass, n_fail, n_skip;

static void report_line(const char *kind, const char *check, const char *fmt, va_list ap)
{
	char reason[192];

	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	con_printf("%s %s: %s", kind, check, reason);
}

void report_pass(const char *check)
{
	__atomic_fetch_add(&n_pass, 1, __ATOMIC_SEQ_CST);
	con_printf("PASS %s", check);
}

void report_fail(const char *check, const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&n_fail, 1, __ATOMIC_SEQ_CST);
	va_start(ap, fmt);
	report_line("FAIL", check, fmt, ap);
	va_end(ap);
}

void report_skip(const char *check, const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&n_skip, 1, __ATOMIC_SEQ_CST);
	va_start(ap, fmt);
	report_line("SKIP", check, fmt, ap);
	va_end(ap);
}

bool report_check(bool ok, const char *check, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		report_pass(check);
		return true;
	}
	__atomic_fetch_add(&n_fail, 1, __ATOMIC_SEQ_CST);
	va_start(ap, fmt);
	report_line("FAIL", check, fmt, ap);
	va_end(ap);
	return false;
}

void report_info(const char *fmt, ...)
{
	char text[224];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	con_printf("INFO %s", text);
}

unsigned report_failures(void)
{
	return n_fail;
}

void multi_begin(struct multi_check *m, const char *name)
{
	m->name = name;
	m->cases = m->failed = 0;
	m->first[0] = 0;
}

bool multi_case(struct multi_check *m, bool ok, const char *fmt, ...)
{
	va_list ap;

	m->cases++;
	if (ok)
		return true;
	if (!m->failed++) {
		va_start(ap, fmt);
		fmt_vsnprintf(m->first, sizeof(m->first), fmt, ap);
		va_end(ap);
	}
	return false;
}

bool multi_end(struct multi_check *m)
{
	if (!m->failed) {
		report_pass(m->name);
		return true;
	}
	report_fail(m->name, "%u of %u cases failed, first: %s", m->failed, m->cases, m->first);
	return false;
}

void report_finish(void)
{
	unsigned status = n_fail ? GUEST_EXIT_FAIL : GUEST_EXIT_PASS;

	con_printf("SUMMARY pass=%u fail=%u skip=%u", n_pass, n_fail, n_skip);
	con_printf("EXIT %#x", status);
	debug_exit(status);
}

void report_abort(const char *fmt, ...)
{
	va_list ap;

	irq_disable();
	__atomic_fetch_add(&n_fail, 1, __ATOMIC_SEQ_CST);
	va_start(ap, fmt);
	report_line("FAIL", "abort", fmt, ap);
	va_end(ap);
	report_finish();
}

void debug_exit(unsigned status)
{
	outl(DEBUG_EXIT_PORT, status);
	/* Still running: the platform has no debug-exit device. Say so and stop. */
	con_printf("HALT debug-exit port %#x did not end the machine", DEBUG_EXIT_PORT);
	halt_forever();
}
