/* test_dev_helpers: tick conversion, byte-lane splitting and the guest console line buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "devices/clock_ticks.h"
#include "devices/io_split.h"
#include "devices/line_buffer.h"

#define PIT_HZ 1193182u
#define PM_HZ  3579545u

static void test_ticks_at_exact(void **state)
{
	(void)state;
	assert_int_equal(clock_ticks_at(0, PIT_HZ), 0);
	assert_int_equal(clock_ticks_at(NS_PER_SEC, PIT_HZ), PIT_HZ);
	/* one PIT tick is 838.095... ns */
	assert_int_equal(clock_ticks_at(838, PIT_HZ), 0);
	assert_int_equal(clock_ticks_at(839, PIT_HZ), 1);
	/* a day and a half: no overflow, exact */
	uint64_t ns = 129600ull * NS_PER_SEC + 500000000ull;
	assert_int_equal(clock_ticks_at(ns, PM_HZ), 129600ull * PM_HZ + PM_HZ / 2);
	/* near the end of 64-bit time */
	assert_int_equal(clock_ticks_at(UINT64_MAX, 32768),
			 (UINT64_MAX / NS_PER_SEC) * 32768 + (UINT64_MAX % NS_PER_SEC) * 32768 / NS_PER_SEC);
}

static void test_ns_for_ticks_is_tight_inverse(void **state)
{
	(void)state;
	const uint32_t rates[] = { PIT_HZ, PM_HZ, 32768, 1 };
	const uint64_t ticks[] = { 0, 1, 2, 17, 65536, 1193181, 1193182, 1193183, 123456789012ull };

	for (unsigned r = 0; r < 4; r++) {
		for (unsigned i = 0; i < sizeof(ticks) / sizeof(ticks[0]); i++) {
			uint64_t ns = clock_ns_for_ticks(ticks[i], rates[r]);
			if (ticks[i] / rates[r] > UINT64_MAX / NS_PER_SEC) {
				/* beyond 2^64 ns: saturates instead of wrapping to an early time */
				assert_int_equal(ns, UINT64_MAX);
				continue;
			}
			assert_true(clock_ticks_at(ns, rates[r]) >= ticks[i]);
			if (ns > 0)
				assert_true(clock_ticks_at(ns - 1, rates[r]) < ticks[i]);
		}
	}
	assert_int_equal(clock_ns_for_ticks(UINT64_MAX, 1), UINT64_MAX);
}

struct bytes_dev {
	uint8_t regs[3];
	unsigned reads, writes;
};

static uint8_t bytes_read(void *dev, unsigned offset)
{
	struct bytes_dev *d = dev;
	d->reads++;
	return d->regs[offset];
}

static void bytes_write(void *dev, unsigned offset, uint8_t value)
{
	struct bytes_dev *d = dev;
	d->writes++;
	d->regs[offset] = value;
}

static void test_io_byte_block_lanes_and_edges(void **state)
{
	(void)state;
	struct bytes_dev d = { { 0x11, 0x22, 0x33 }, 0, 0 };
	struct io_byte_block b;

	io_byte_block_init(&b, 0x100, 3, bytes_read, bytes_write, &d);
	assert_int_equal(io_byte_block_ops.read(&b, 0x100, 1), 0x11);
	assert_int_equal(io_byte_block_ops.read(&b, 0x100, 2), 0x2211);
	/* bytes beyond the block's three ports float high and are never read */
	d.reads = 0;
	assert_int_equal(io_byte_block_ops.read(&b, 0x101, 4), 0xffff3322u);
	assert_int_equal(d.reads, 2);
	/* an oversized access is clipped to 4 bytes */
	assert_int_equal(io_byte_block_ops.read(&b, 0x100, 8), 0xff332211u);
	/* a port below the block (misregistered) touches nothing */
	d.reads = 0;
	assert_int_equal(io_byte_block_ops.read(&b, 0x0ff, 2), 0xffffu);
	assert_int_equal(d.reads, 0);

	io_byte_block_ops.write(&b, 0x101, 4, 0xa1b2c3d4u);
	assert_int_equal(d.writes, 2);
	assert_int_equal(d.regs[0], 0x11);
	assert_int_equal(d.regs[1], 0xd4);
	assert_int_equal(d.regs[2], 0xc3);
	io_byte_block_ops.write(&b, 0x0fe, 2, 0xffff);
	assert_int_equal(d.writes, 2);
}

static char emitted[1024];
static size_t emitted_len;
static int emit_calls;

static void capture_emit(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	memcpy(emitted + emitted_len, text, len);
	emitted_len += len;
	emitted[emitted_len] = 0;
	emit_calls++;
}

static void emit_reset(void)
{
	emitted_len = 0;
	emitted[0] = 0;
	emit_calls = 0;
}

static void put_string(struct line_buffer *lb, const char *s)
{
	while (*s)
		line_buffer_put(lb, (uint8_t)*s++);
}

static void test_line_buffer_prefixes_whole_lines(void **state)
{
	(void)state;
	static struct line_buffer lb;
	emit_reset();
	line_buffer_init(&lb, "[guest] ", 0, capture_emit, NULL);
	put_string(&lb, "hello\r\nwor");
	assert_string_equal(emitted, "[guest] hello\n");
	put_string(&lb, "ld\n\n");
	assert_string_equal(emitted, "[guest] hello\n[guest] world\n[guest] \n");
	assert_int_equal(lb.lines, 3);
	assert_int_equal(lb.bytes, 14);
}

static void test_line_buffer_splits_and_flushes(void **state)
{
	(void)state;
	static struct line_buffer lb;
	emit_reset();
	line_buffer_init(&lb, "[g] ", 4, capture_emit, NULL);
	put_string(&lb, "abcdefghij");
	assert_string_equal(emitted, "[g] abcd\n[g] efgh\n");
	assert_int_equal(lb.split_lines, 2);
	line_buffer_flush(&lb);
	assert_string_equal(emitted, "[g] abcd\n[g] efgh\n[g] ij\n");
	line_buffer_flush(&lb);
	assert_int_equal(emit_calls, 3);
}

static void test_line_buffer_limits(void **state)
{
	(void)state;
	static struct line_buffer lb;
	emit_reset();
	/* an over-long prefix is cut; an over-large max_len becomes the capacity */
	line_buffer_init(&lb, "0123456789abcdefXYZ", 100000, capture_emit, NULL);
	assert_int_equal(lb.prefix_len, LINE_BUFFER_PREFIX_MAX);
	assert_int_equal(lb.max_len, LINE_BUFFER_CAPACITY);
	for (int i = 0; i < LINE_BUFFER_CAPACITY + 1; i++)
		line_buffer_put(&lb, 'x');
	assert_int_equal(emit_calls, 1);
	assert_int_equal(emitted_len, LINE_BUFFER_PREFIX_MAX + LINE_BUFFER_CAPACITY + 1);
	/* no sink: lines are counted and dropped, nothing crashes */
	line_buffer_init(&lb, NULL, 0, NULL, NULL);
	put_string(&lb, "x\n");
	assert_int_equal(lb.lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_at_exact),
		cmocka_unit_test(test_ns_for_ticks_is_tight_inverse),
		cmocka_unit_test(test_io_byte_block_lanes_and_edges),
		cmocka_unit_test(test_line_buffer_prefixes_whole_lines),
		cmocka_unit_test(test_line_buffer_splits_and_flushes),
		cmocka_unit_test(test_line_buffer_limits),
	};
	return cmocka_run_group_tests_name("dev_helpers", tests, NULL, NULL);
}
