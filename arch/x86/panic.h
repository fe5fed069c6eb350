/* panic: nestor's own fatal errors: report everything, then end the run as crashed. */
#ifndef NESTOR_ARCH_X86_PANIC_H
#define NESTOR_ARCH_X86_PANIC_H

#include <stdbool.h>

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/*
 * Claims the right to report a crash. False when a report is already under way
 * (a fault inside the crash path, or a second CPU crashing): the caller then stops
 * quietly instead of interleaving a second report.
 */
bool panic_begin(void);

#endif
