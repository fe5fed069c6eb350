/* format: printf-style formatting into a bounded buffer (no libc in nestor). */
#ifndef NESTOR_LIB_FORMAT_H
#define NESTOR_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supported: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ', a width (or '*'),
 * a precision for %s (or '.*'), and the length modifiers hh h l ll z j t.
 * Returns the length the full output would have (like C99 vsnprintf); the buffer is
 * always NUL-terminated when size > 0. An unknown conversion is copied out verbatim.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
