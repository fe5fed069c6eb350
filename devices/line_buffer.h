/* line_buffer: assembles a guest's console bytes into whole, prefixed lines for nestor's console. */
#ifndef NESTOR_DEVICES_LINE_BUFFER_H
#define NESTOR_DEVICES_LINE_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#define LINE_BUFFER_CAPACITY   240	/* longest line content kept before it is split */
#define LINE_BUFFER_PREFIX_MAX 16

/* Receives one finished line: prefix, content and a final '\n' (e.g. log_raw). */
typedef void (*line_emit_fn)(void *ctx, const char *text, size_t len);

/*
 * Guest lines and nestor's "[nestor] " lines share one console; emitting whole lines,
 * each with its own prefix, keeps them from mixing mid-line. '\r' is dropped (guests
 * send "\r\n"), '\n' ends a line, and a line longer than max_len is emitted in pieces.
 */
struct line_buffer {
	char text[LINE_BUFFER_PREFIX_MAX + LINE_BUFFER_CAPACITY + 1];
	size_t prefix_len;
	size_t len;		/* content bytes waiting, after the prefix */
	size_t max_len;
	line_emit_fn emit;
	void *ctx;
	uint64_t bytes;
	uint64_t lines;
	uint64_t split_lines;	/* lines emitted early because they reached max_len */
};

/* prefix is copied (cut at LINE_BUFFER_PREFIX_MAX); max_len 0 or too big means the capacity. */
void line_buffer_init(struct line_buffer *lb, const char *prefix, size_t max_len,
		      line_emit_fn emit, void *ctx);
void line_buffer_put(struct line_buffer *lb, uint8_t byte);
/* Emits a pending partial line, e.g. at the end of a run; nothing when empty. */
void line_buffer_flush(struct line_buffer *lb);

#endif
