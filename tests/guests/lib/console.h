/* console: line output on COM1, each line prefixed with the guest's name. */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>

/* Each test kernel defines its name; it prefixes every console line as "[name] ". */
extern const char guest_name[];

void con_init(void);
void con_write(const char *s);

/* Prints one whole line (the newline is added); lines from different CPUs never mix. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap);

#endif
