/* log: leveled, line-oriented logging; every nestor line starts with "[nestor] ". */
#include "lib/log.h"

#include "lib/format.h"
#include "lib/spinlock.h"

#define LOG_LINE_MAX 320

static log_sink_fn log_sink;
static enum log_level log_threshold = LOG_INFO;
/* One lock for all CPUs: lines from different CPUs never interleave mid-line. */
static struct spinlock log_lock = SPINLOCK_INIT;

static const char *const log_level_names[] = {
	[LOG_ERROR] = "error", [LOG_WARN] = "warn", [LOG_INFO] = "info",
	[LOG_DEBUG] = "debug", [LOG_TRACE] = "trace",
};

/* Text between the prefix and the message; info lines carry none to stay short. */
static const char *const log_level_tags[] = {
	[LOG_ERROR] = "ERROR: ", [LOG_WARN] = "WARN: ", [LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ", [LOG_TRACE] = "trace: ",
};

void log_set_sink(log_sink_fn sink)
{
	log_sink = sink;
}

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

enum log_level log_get_level(void)
{
	return log_threshold;
}

bool log_level_enabled(enum log_level level)
{
	return level <= log_threshold;
}

bool log_parse_level(const char *name, enum log_level *out)
{
	for (int l = LOG_ERROR; l <= LOG_TRACE; l++) {
		const char *a = log_level_names[l], *b = name;
		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (!*a && !*b) {
			*out = (enum log_level)l;
			return true;
		}
	}
	return false;
}

static void log_emit(const char *tag, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];

	if (!log_sink)
		return;
	int n = fmt_snprintf(line, sizeof(line), "%s%s", LOG_PREFIX, tag);
	int room = (int)sizeof(line) - 1 - n;	/* keep one byte for the newline */
	int m = fmt_vsnprintf(line + n, (size_t)room, fmt, ap);
	if (m >= room) {
		/* Truncated: say so rather than silently cutting the line. */
		m = room - 1;
		line[n + m - 3] = line[n + m - 2] = line[n + m - 1] = '.';
	}
	n += m;
	line[n++] = '\n';

	spin_lock(&log_lock);
	log_sink(line, (size_t)n);
	spin_unlock(&log_lock);
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	if (!log_level_enabled(level))
		return;
	if (level < LOG_ERROR || level > LOG_TRACE)
		level = LOG_ERROR;
	log_emit(log_level_tags[level], fmt, ap);
}

void log_always(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_emit("", fmt, ap);
	va_end(ap);
}

void log_raw(const char *text, size_t len)
{
	if (!log_sink)
		return;
	spin_lock(&log_lock);
	log_sink(text, len);
	spin_unlock(&log_lock);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

/* One wrapper per level keeps call sites short without a variadic macro. */
#define LOG_LEVEL_FN(name, level)                   \
	void name(const char *fmt, ...)             \
	{                                           \
		va_list ap;                         \
		va_start(ap, fmt);                  \
		log_vmsg(level, fmt, ap);           \
		va_end(ap);                         \
	}
LOG_LEVEL_FN(log_error, LOG_ERROR)
LOG_LEVEL_FN(log_warn, LOG_WARN)
LOG_LEVEL_FN(log_info, LOG_INFO)
LOG_LEVEL_FN(log_debug, LOG_DEBUG)
LOG_LEVEL_FN(log_trace, LOG_TRACE)
