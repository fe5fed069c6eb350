/* line_buffer: assembles a guest's console bytes into whole, prefixed lines for nestor's console. */
#include "devices/line_buffer.h"

void line_buffer_init(struct line_buffer *lb, const char *prefix, size_t max_len,
		      line_emit_fn emit, void *ctx)
{
	size_t n = 0;

	while (prefix && prefix[n] && n < LINE_BUFFER_PREFIX_MAX) {
		lb->text[n] = prefix[n];
		n++;
	}
	lb->prefix_len = n;
	lb->len = 0;
	lb->max_len = (max_len == 0 || max_len > LINE_BUFFER_CAPACITY) ? LINE_BUFFER_CAPACITY
									 : max_len;
	lb->emit = emit;
	lb->ctx = ctx;
	lb->bytes = lb->lines = lb->split_lines = 0;
}

static void line_buffer_emit(struct line_buffer *lb)
{
	size_t end = lb->prefix_len + lb->len;

	lb->text[end] = '\n';
	if (lb->emit)
		lb->emit(lb->ctx, lb->text, end + 1);
	lb->len = 0;
	lb->lines++;
}

void line_buffer_put(struct line_buffer *lb, uint8_t byte)
{
	lb->bytes++;
	if (byte == '\r')
		return;
	if (byte == '\n') {
		line_buffer_emit(lb);
		return;
	}
	if (lb->len == lb->max_len) {
		lb->split_lines++;
		line_buffer_emit(lb);
	}
	lb->text[lb->prefix_len + lb->len++] = (char)byte;
}

void line_buffer_flush(struct line_buffer *lb)
{
	if (lb->len)
		line_buffer_emit(lb);
}
