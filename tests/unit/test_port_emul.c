/* test_port_emul: INS/OUTS emulation: elements, direction, REP batches, overrides, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/decode/port_emul.h"
#include "tests/unit/decode/guest_ram.h"

#define MMIO_BASE 0xfee00000ull
#define RAM_SIZE (1u << 20)

/* A port that records what was written to it and answers reads from a counter. */
struct fake_port {
	uint8_t written[512];
	unsigned outs, ins;
	uint32_t next_in;
	unsigned last_size;
	uint16_t last_port;
};

static uint32_t port_in(void *ctx, uint16_t port, unsigned size)
{
	struct fake_port *p = ctx;

	p->ins++;
	p->last_port = port;
	p->last_size = size;
	return p->next_in++ & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void port_out(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
	struct fake_port *p = ctx;

	assert_true(p->outs * size + size <= sizeof(p->written));
	memcpy(p->written + p->outs * size, &value, size);
	p->outs++;
	p->last_port = port;
	p->last_size = size;
}

static uint8_t mmio_page[4096];

static uint64_t mmio_read(void *ctx, uint64_t gpa, unsigned size)
{
	uint64_t v = 0;

	(void)ctx;
	assert_true(gpa >= MMIO_BASE && gpa + size <= MMIO_BASE + 4096);
	memcpy(&v, mmio_page + (gpa - MMIO_BASE), size);
	return v;
}

static void mmio_write(void *ctx, uint64_t gpa, unsigned size, uint64_t value)
{
	(void)ctx;
	assert_true(gpa >= MMIO_BASE && gpa + size <= MMIO_BASE + 4096);
	memcpy(mmio_page + (gpa - MMIO_BASE), &value, size);
}

static struct fake_port dev;
static const struct x86_port_ops io = { port_in, port_out, &dev };
static const struct x86_mmio_ops mmio = { mmio_read, mmio_write, NULL };
static struct x86_gprs gprs;
static struct x86_emul_cpu cpu;
static struct x86_emul_outcome out;

static int setup(void **state)
{
	(void)state;
	return guest_ram_setup(RAM_SIZE);
}

/* A vCPU in mode with paging off (linear = physical), DX = port. */
static void reset(enum x86_mode mode, uint16_t port)
{
	memset(&dev, 0, sizeof(dev));
	memset(&gprs, 0, sizeof(gprs));
	memset(&cpu, 0, sizeof(cpu));
	memset(mmio_page, 0, sizeof(mmio_page));
	cpu.gprs = &gprs;
	cpu.mode = mode;
	cpu.rip = 0x1000;
	cpu.rflags = 0x2;
	cpu.mem = &ram;
	cpu.paging.cr0 = X86_CR0_PE;
	gprs.r[GPR_RDX] = port;
}

static enum x86_emul_status run(const uint8_t *bytes, size_t n, uint16_t port, unsigned size,
				bool in)
{
	struct x86_insn insn;
	struct x86_port_access access = { port, (uint8_t)size, in };

	assert_int_equal(x86_decode(bytes, n, cpu.mode, 0, &insn), X86_DECODE_OK);
	return x86_emulate_string_io(&cpu, &insn, &access, &io, &mmio, &out);
}

#define RUN(port, size, in, ...)                                       \
	({                                                             \
		static const uint8_t b_[] = { __VA_ARGS__ };           \
		run(b_, sizeof(b_), (port), (size), (in));             \
	})

static void test_rep_outsb_sends_a_string_in_order(void **state)
{
	(void)state;
	reset(X86_MODE_64, 0x3f8);
	memcpy(ram.hva + 0x5000, "hello", 5);
	gprs.r[GPR_RSI] = 0x5000;
	gprs.r[GPR_RCX] = 5;
	assert_int_equal(RUN(0x3f8, 1, false, 0xf3, 0x6e), X86_EMUL_OK);
	assert_int_equal(dev.outs, 5);
	assert_memory_equal(dev.written, "hello", 5);
	assert_int_equal(dev.last_port, 0x3f8);
	assert_int_equal(gprs.r[GPR_RSI], 0x5005);
	assert_int_equal(gprs.r[GPR_RCX], 0);
	assert_int_equal(cpu.rip, 0x1002);

	/* rep with RCX = 0 completes without touching the port */
	assert_int_equal(RUN(0x3f8, 1, false, 0xf3, 0x6e), X86_EMUL_OK);
	assert_int_equal(dev.outs, 5);
	assert_int_equal(cpu.rip, 0x1004);
}

static void test_insw_backwards_and_insd_sizes(void **state)
{
	(void)state;
	reset(X86_MODE_64, 0x1f0);
	dev.next_in = 0x1234;
	cpu.rflags |= RFLAGS_DF;
	gprs.r[GPR_RDI] = 0x6010;
	gprs.r[GPR_RCX] = 2;
	/* rep insw, DF = 1: 0x1234 at 0x6010, 0x1235 at 0x600e */
	assert_int_equal(RUN(0x1f0, 2, true, 0xf3, 0x66, 0x6d), X86_EMUL_OK);
	assert_int_equal(*(uint16_t *)(ram.hva + 0x6010), 0x1234);
	assert_int_equal(*(uint16_t *)(ram.hva + 0x600e), 0x1235);
	assert_int_equal(gprs.r[GPR_RDI], 0x600c);
	assert_int_equal(dev.last_size, 2);

	/* REX.W does not widen INSD: four bytes, RDI + 4 */
	cpu.rflags &= ~RFLAGS_DF;
	dev.next_in = 0xa1b2c3d4;
	gprs.r[GPR_RDI] = 0x7000;
	*(uint64_t *)(ram.hva + 0x7000) = ~0ull;
	assert_int_equal(RUN(0x1f0, 4, true, 0x48, 0x6d), X86_EMUL_OK);
	assert_int_equal(*(uint64_t *)(ram.hva + 0x7000), 0xffffffffa1b2c3d4ull);
	assert_int_equal(gprs.r[GPR_RDI], 0x7004);
	/* and a word-sized exit for that doubleword instruction is a mismatch */
	assert_int_equal(RUN(0x1f0, 2, true, 0x48, 0x6d), X86_EMUL_BAD_ACCESS);
}

static void test_rep_batches_leave_rip(void **state)
{
	(void)state;
	reset(X86_MODE_32, 0x511);
	gprs.r[GPR_RDI] = 0x8000;
	gprs.r[GPR_RCX] = 100;
	assert_int_equal(RUN(0x511, 1, true, 0xf3, 0x6c), X86_EMUL_OK);
	assert_int_equal(cpu.rip, 0x1000);
	assert_true(gprs.r[GPR_RCX] > 0 && gprs.r[GPR_RCX] < 100);
	assert_int_equal(dev.ins, 100 - gprs.r[GPR_RCX]);
	assert_int_equal(RUN(0x511, 1, true, 0xf3, 0x6c), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RCX], 0);
	assert_int_equal(dev.ins, 100);
	assert_int_equal(cpu.rip, 0x1002);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(ram.hva[0x8000 + i], i);
}

static void test_segments_and_address_size(void **state)
{
	(void)state;
	/* 32-bit mode: OUTS honours an FS override; INS always writes ES */
	reset(X86_MODE_32, 0x80);
	cpu.seg_base[X86_SEG_DS] = 0x1000;
	cpu.seg_base[X86_SEG_FS] = 0x9000;
	ram.hva[0x9010] = 0x42;
	ram.hva[0x1010] = 0x24;
	gprs.r[GPR_RSI] = 0x10;
	assert_int_equal(RUN(0x80, 1, false, 0x64, 0x6e), X86_EMUL_OK);
	assert_int_equal(dev.written[0], 0x42);
	gprs.r[GPR_RSI] = 0x10;
	assert_int_equal(RUN(0x80, 1, false, 0x6e), X86_EMUL_OK);
	assert_int_equal(dev.written[1], 0x24);

	/* 16-bit mode: SI wraps at 64 KiB and only SI changes */
	reset(X86_MODE_16, 0x80);
	cpu.seg_base[X86_SEG_DS] = 0x20000;
	gprs.r[GPR_RSI] = 0xabcd0000ffffull;
	ram.hva[0x2ffff] = 0x77;
	assert_int_equal(RUN(0x80, 1, false, 0x6e), X86_EMUL_OK);
	assert_int_equal(dev.written[0], 0x77);
	assert_int_equal(gprs.r[GPR_RSI], 0xabcd00000000ull);
}

static void test_ins_into_mmio(void **state)
{
	(void)state;
	reset(X86_MODE_64, 0x60);
	dev.next_in = 7;
	gprs.r[GPR_RDI] = MMIO_BASE + 0x20;
	gprs.r[GPR_RCX] = 3;
	assert_int_equal(RUN(0x60, 1, true, 0xf3, 0x6c), X86_EMUL_OK);
	assert_int_equal(mmio_page[0x20], 7);
	assert_int_equal(mmio_page[0x22], 9);
	assert_int_equal(out.mmio_accesses, 3);
}

static void test_faults_consume_nothing(void **state)
{
	(void)state;
	reset(X86_MODE_32, 0x60);
	/* 32-bit paging with an empty page directory: every address is not present */
	memset(ram.hva + 0x10000, 0, 0x1000);
	cpu.paging.cr0 = X86_CR0_PE | X86_CR0_PG;
	cpu.paging.cr3 = 0x10000;
	gprs.r[GPR_RDI] = 0x400000;
	gprs.r[GPR_RCX] = 4;
	assert_int_equal(RUN(0x60, 1, true, 0xf3, 0x6c), X86_EMUL_PAGE_FAULT);
	assert_int_equal(out.pf_error, X86_PF_WRITE);
	assert_int_equal(out.fault_linear, 0x400000);
	assert_int_equal(dev.ins, 0); /* the port was not read for a byte that had nowhere to go */
	assert_int_equal(gprs.r[GPR_RCX], 4);
	assert_int_equal(cpu.rip, 0x1000);
	gprs.r[GPR_RSI] = 0x400000;
	assert_int_equal(RUN(0x60, 1, false, 0x6e), X86_EMUL_PAGE_FAULT);
	assert_int_equal(out.pf_error, 0);
	assert_int_equal(dev.outs, 0);

	/* an element that straddles a page is refused, not split */
	reset(X86_MODE_64, 0x60);
	gprs.r[GPR_RSI] = 0x5ffe;
	assert_int_equal(RUN(0x60, 4, false, 0x6f), X86_EMUL_BAD_ACCESS);
	assert_string_equal(out.why, "string element crosses a page boundary");
	assert_int_equal(dev.outs, 0);
}

/* The bytes at RIP must be the instruction the exit described. */
static void test_mismatches_are_refused(void **state)
{
	(void)state;
	reset(X86_MODE_64, 0x61);
	assert_int_equal(RUN(0x60, 1, true, 0x6c), X86_EMUL_BAD_ACCESS);
	assert_string_equal(out.why, "INS/OUTS at RIP does not match the exit's port or size");
	assert_int_equal(RUN(0x61, 1, false, 0x6c), X86_EMUL_BAD_ACCESS);
	assert_string_equal(out.why, "INS/OUTS at RIP does not match the exit's direction");
	assert_int_equal(RUN(0x61, 1, true, 0x90), X86_EMUL_BAD_ACCESS);
	assert_string_equal(out.why, "the instruction at RIP is not INS/OUTS");
	assert_int_equal(RUN(0x61, 1, true, 0xec), X86_EMUL_BAD_ACCESS); /* IN AL, DX */
	assert_int_equal(dev.ins + dev.outs, 0);
	assert_int_equal(cpu.rip, 0x1000);
}

static void test_fetch_at_rip(void **state)
{
	(void)state;
	reset(X86_MODE_64, 0xe9);
	struct x86_port_access access = { 0xe9, 1, false };
	memcpy(ram.hva + 0x1000, "\xf3\x6e", 2);
	memcpy(ram.hva + 0x5000, "ok", 2);
	gprs.r[GPR_RSI] = 0x5000;
	gprs.r[GPR_RCX] = 2;
	assert_int_equal(x86_emulate_string_io_at_rip(&cpu, 0, &access, &io, &mmio, &out),
			 X86_EMUL_OK);
	assert_memory_equal(dev.written, "ok", 2);
	assert_int_equal(cpu.rip, 0x1002);
	/* code outside guest RAM */
	cpu.rip = RAM_SIZE + 0x1000;
	assert_int_equal(x86_emulate_string_io_at_rip(&cpu, 0, &access, &io, &mmio, &out),
			 X86_EMUL_BAD_ACCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rep_outsb_sends_a_string_in_order),
		cmocka_unit_test(test_insw_backwards_and_insd_sizes),
		cmocka_unit_test(test_rep_batches_leave_rip),
		cmocka_unit_test(test_segments_and_address_size),
		cmocka_unit_test(test_ins_into_mmio),
		cmocka_unit_test(test_faults_consume_nothing),
		cmocka_unit_test(test_mismatches_are_refused),
		cmocka_unit_test(test_fetch_at_rip),
	};
	return cmocka_run_group_tests(tests, setup, guest_ram_teardown);
}
