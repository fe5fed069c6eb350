/* dev_log: log a device's complaint about guest behaviour once, then only count it. */
#ifndef NESTOR_DEVICES_DEV_LOG_H
#define NESTOR_DEVICES_DEV_LOG_H

#include <stdint.h>

#include "lib/log.h"

/*
 * A guest that pokes a reserved bit in a loop must not flood the console: each device
 * keeps a mask of the reasons (0..31) it has already logged and calls this with one.
 */
void dev_log_once(uint32_t *logged, unsigned reason, enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
