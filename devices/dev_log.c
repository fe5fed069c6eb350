/* dev_log: log a device's complaint about guest behaviour once, then only count it. */
#include "devices/dev_log.h"

#include <stdarg.h>

void dev_log_once(uint32_t *logged, unsigned reason, enum log_level level, const char *fmt, ...)
{
	uint32_t bit = 1u << (reason & 31);
	va_list ap;

	if (*logged & bit)
		return;
	*logged |= bit;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}
