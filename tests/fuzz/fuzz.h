/* fuzz: what every libFuzzer target shares: a byte-stream reader and a failing check. */
#ifndef NESTOR_TESTS_FUZZ_FUZZ_H
#define NESTOR_TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/log.h"

/*
 * A target reads its input as a stream of small fields. Past the end every read gives
 * 0, so any prefix of an interesting input is still a valid (shorter) input and
 * libFuzzer's mutations never hit a "bad format" wall.
 */
struct fuzz_in {
	const uint8_t *p;
	size_t n, i;
};

static inline bool fuzz_more(const struct fuzz_in *in)
{
	return in->i < in->n;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	return in->i < in->n ? in->p[in->i++] : 0;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	return (uint16_t)(fuzz_u8(in) | fuzz_u8(in) << 8);
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	return (uint32_t)fuzz_u16(in) | (uint32_t)fuzz_u16(in) << 16;
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	return (uint64_t)fuzz_u32(in) | (uint64_t)fuzz_u32(in) << 32;
}

/*
 * A broken invariant is a finding like a crash: abort() makes libFuzzer save the input
 * as crash-<sha1>, and a replay of that file fails the same way.
 */
#define FUZZ_CHECK(cond, ...)                                                        \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__,    \
				__LINE__, #cond);                                            \
			fprintf(stderr, __VA_ARGS__);                                        \
			fputc('\n', stderr);                                             \
			abort();                                                             \
		}                                                                    \
	} while (0)

/* nestor's log lines are formatted and dropped: the checks, not the log, judge a run. */
static void fuzz_log_sink(const char *text, size_t len)
{
	(void)text;
	(void)len;
}

static void fuzz_stderr_sink(const char *text, size_t len)
{
	fwrite(text, 1, len, stderr);
}

/* FUZZ_LOG=1 shows them on stderr, for replaying one input by hand. */
static inline void fuzz_quiet_log(void)
{
	log_set_sink(getenv("FUZZ_LOG") ? fuzz_stderr_sink : fuzz_log_sink);
}

#endif
