/* log: leveled, line-oriented logging; every nestor line starts with "[nestor] ". */
#ifndef NESTOR_LIB_LOG_H
#define NESTOR_LIB_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_ERROR = 1,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
	LOG_TRACE,
};

/* Every nestor line starts with this, so guest console output can be interleaved. */
#define LOG_PREFIX "[nestor] "

/* Where finished lines go (the console in nestor, a capture buffer in host tests). */
typedef void (*log_sink_fn)(const char *text, size_t len);

void log_set_sink(log_sink_fn sink);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
bool log_level_enabled(enum log_level level);
/* Parses "error", "warn", "info", "debug", "trace"; false for anything else. */
bool log_parse_level(const char *name, enum log_level *out);

void log_vmsg(enum log_level level, const char *fmt, va_list ap);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Untagged and printed at every level: the banner and the end-of-run line. */
void log_always(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Raw text straight to the sink under the log lock, no prefix (for guest console relay). */
void log_raw(const char *text, size_t len);

#endif
