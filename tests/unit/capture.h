/* capture: a log sink for host tests that keeps everything nestor logged. */
#ifndef NESTOR_TESTS_CAPTURE_H
#define NESTOR_TESTS_CAPTURE_H

#include <stddef.h>
#include <string.h>

#include "lib/log.h"

static char capture_buf[1 << 16];
static size_t capture_len;

static inline void capture_sink(const char *text, size_t len)
{
	if (capture_len + len >= sizeof(capture_buf))
		len = sizeof(capture_buf) - 1 - capture_len;
	memcpy(capture_buf + capture_len, text, len);
	capture_len += len;
	capture_buf[capture_len] = 0;
}

static inline void capture_reset(void)
{
	capture_len = 0;
	capture_buf[0] = 0;
	log_set_sink(capture_sink);
}

static inline int capture_contains(const char *needle)
{
	return strstr(capture_buf, needle) != NULL;
}

#endif
