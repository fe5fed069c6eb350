/* test_mmio_emul_flags: emulated ALU results and RFLAGS against the host CPU running the same opcode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "arch/x86/decode/mmio_emul.h"

/*
 * For every operation and operand size, the emulator runs `op [rax], rcx` (ModRM 08 |
 * reg << 3) against a fake register, and the host CPU runs the very same opcode in its
 * register form `op rax, rcx` (ModRM C8 | reg << 3) from a small generated stub. Results
 * and the six status flags must match; AF after AND/OR/XOR/TEST is architecturally
 * undefined and left out of that comparison.
 */

#define MMIO_GPA 0xfee00040ull

typedef uint64_t (*native_fn)(uint64_t a, uint64_t b, uint64_t flags_in, uint64_t *flags_out);

static uint8_t *stub_page;
static uint64_t device_value;

static uint64_t dev_read(void *ctx, uint64_t gpa, unsigned size)
{
	(void)ctx;
	(void)gpa;
	return device_value & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1);
}

static void dev_write(void *ctx, uint64_t gpa, unsigned size, uint64_t value)
{
	(void)ctx;
	(void)gpa;
	(void)size;
	device_value = value;
}

static int setup(void **state)
{
	(void)state;
	stub_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	return stub_page == MAP_FAILED ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(stub_page, 4096);
	return 0;
}

/* mov r9, rcx; mov rax, rdi; mov rcx, rsi; push rdx; popfq; <insn>; pushfq; pop [r9]; ret */
static native_fn build_stub(const uint8_t *insn, size_t len)
{
	static const uint8_t head[] = { 0x49, 0x89, 0xc9, 0x48, 0x89, 0xf8, 0x48, 0x89, 0xf1, 0x52, 0x9d };
	static const uint8_t tail[] = { 0x9c, 0x41, 0x8f, 0x01, 0xc3 };
	size_t n = 0;

	memcpy(stub_page + n, head, sizeof(head));
	n += sizeof(head);
	memcpy(stub_page + n, insn, len);
	n += len;
	memcpy(stub_page + n, tail, sizeof(tail));
	__builtin___clear_cache((char *)stub_page, (char *)stub_page + 64);
	return (native_fn)(void *)stub_page;
}

struct op_case {
	const char *name;
	uint8_t opcode;   /* one-byte map unless escape */
	bool escape_0f;
	int group_reg;    /* ModRM.reg for group opcodes, -1 for "reg = rcx" forms */
	unsigned imm;     /* immediate bytes after ModRM */
	bool byte_op;     /* the 8-bit form */
	bool writes;      /* the destination is written */
	bool logic;       /* AF undefined */
	bool bit_op;      /* only CF is defined */
};

static const struct op_case ops_table[] = {
	{ "add", 0x01, false, -1, 0, false, true, false, false },
	{ "add8", 0x00, false, -1, 0, true, true, false, false },
	{ "or", 0x09, false, -1, 0, false, true, true, false },
	{ "adc", 0x11, false, -1, 0, false, true, false, false },
	{ "adc8", 0x10, false, -1, 0, true, true, false, false },
	{ "sbb", 0x19, false, -1, 0, false, true, false, false },
	{ "and", 0x21, false, -1, 0, false, true, true, false },
	{ "sub", 0x29, false, -1, 0, false, true, false, false },
	{ "sub8", 0x28, false, -1, 0, true, true, false, false },
	{ "xor", 0x31, false, -1, 0, false, true, true, false },
	{ "cmp", 0x39, false, -1, 0, false, false, false, false },
	{ "cmp8", 0x38, false, -1, 0, true, false, false, false },
	{ "test", 0x85, false, -1, 0, false, false, true, false },
	{ "add imm8", 0x83, false, 0, 1, false, true, false, false },
	{ "sbb imm8", 0x83, false, 3, 1, false, true, false, false },
	{ "cmp imm32", 0x81, false, 7, 4, false, false, false, false },
	{ "sub imm8 (80)", 0x80, false, 5, 1, true, true, false, false },
	{ "test imm", 0xf7, false, 0, 4, false, false, true, false },
	{ "not", 0xf7, false, 2, 0, false, true, false, false },
	{ "neg", 0xf7, false, 3, 0, false, true, false, false },
	{ "neg8", 0xf6, false, 3, 0, true, true, false, false },
	{ "inc", 0xff, false, 0, 0, false, true, false, false },
	{ "dec", 0xff, false, 1, 0, false, true, false, false },
	{ "dec8", 0xfe, false, 1, 0, true, true, false, false },
	{ "bt", 0xa3, true, -1, 0, false, false, false, true },
	{ "bts", 0xab, true, -1, 0, false, true, false, true },
	{ "btr imm", 0xba, true, 6, 1, false, true, false, true },
	{ "btc", 0xbb, true, -1, 0, false, true, false, true },
};

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t next_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Operands that hit the carry/overflow/sign edges often. */
static uint64_t interesting(unsigned size)
{
	static const uint64_t edges[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
					  0x7fffffff, 0x80000000, 0xffffffff, 0x8000000000000000ull,
					  0x7fffffffffffffffull, ~0ull, 0x0f, 0x10 };
	uint64_t v = next_random() % 3 ? next_random() : edges[next_random() % 17];
	return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}

/* Builds prefix + opcode + ModRM(mod, reg, rm = rax) + imm. */
static size_t encode(const struct op_case *c, unsigned size, uint8_t mod, uint64_t imm, uint8_t *out)
{
	size_t n = 0;
	uint8_t reg = c->group_reg >= 0 ? (uint8_t)c->group_reg : 1; /* rcx */

	if (size == 2)
		out[n++] = 0x66;
	if (size == 8)
		out[n++] = 0x48;
	if (c->escape_0f)
		out[n++] = 0x0f;
	out[n++] = c->opcode;
	out[n++] = (uint8_t)(mod << 6 | reg << 3 | 0);
	/* Iz: an imm32 is an imm16 with a 66 prefix */
	for (unsigned i = 0; i < (c->imm == 4 && size == 2 ? 2u : c->imm); i++)
		out[n++] = (uint8_t)(imm >> (8 * i));
	return n;
}

static void check_one(const struct op_case *c, unsigned size, uint64_t a, uint64_t b, uint64_t imm,
		      uint64_t flags_in)
{
	uint8_t native_bytes[16], emul_bytes[16];
	size_t nlen = encode(c, size, 3, imm, native_bytes);
	size_t elen = encode(c, size, 0, imm, emul_bytes);
	uint64_t native_flags = 0;
	uint64_t native_result = build_stub(native_bytes, nlen)(a, b, flags_in, &native_flags);
	uint64_t mask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
	uint64_t compare = RFLAGS_ARITH;
	struct x86_gprs g = { .r = { [GPR_RAX] = MMIO_GPA, [GPR_RCX] = b } };
	struct x86_emul_cpu cpu = { .gprs = &g, .rip = 0x1000, .rflags = flags_in, .mode = X86_MODE_64 };
	struct x86_mmio_ops mmio = { dev_read, dev_write, NULL };
	struct x86_emul_outcome out;
	struct x86_insn insn;

	if (c->logic)
		compare &= ~RFLAGS_AF;
	if (c->bit_op)
		compare = RFLAGS_CF;
	device_value = a;
	assert_int_equal(x86_decode(emul_bytes, elen, X86_MODE_64, 0, &insn), X86_DECODE_OK);
	assert_int_equal(x86_emulate_mmio(&cpu, &insn, MMIO_GPA, &mmio, &out), X86_EMUL_OK);
	if ((cpu.rflags & compare) != (native_flags & compare) ||
	    (c->writes && (device_value & mask) != (native_result & mask)))
		print_message("%s size %u a=%#llx b=%#llx imm=%#llx in=%#llx: emulated %#llx flags "
			      "%#llx, host %#llx flags %#llx\n",
			      c->name, size, (unsigned long long)a, (unsigned long long)b,
			      (unsigned long long)imm, (unsigned long long)flags_in,
			      (unsigned long long)device_value, (unsigned long long)cpu.rflags,
			      (unsigned long long)native_result, (unsigned long long)native_flags);
	assert_int_equal(cpu.rflags & compare, native_flags & compare);
	if (c->writes)
		assert_int_equal(device_value & mask, native_result & mask);
	assert_int_equal(cpu.rip, 0x1000 + elen);
}

static void test_alu_flags_match_host(void **state)
{
	(void)state;
	unsigned checked = 0;

	for (size_t i = 0; i < sizeof(ops_table) / sizeof(ops_table[0]); i++) {
		const struct op_case *c = &ops_table[i];
		for (unsigned size = 1; size <= 8; size *= 2) {
			if ((size == 1) != c->byte_op)
				continue;
			if (c->bit_op && size == 1)
				continue;
			for (int n = 0; n < 3000; n++) {
				uint64_t a = interesting(size), b = interesting(size);
				uint64_t imm = interesting(c->imm ? c->imm : 1);
				/* Input flags: random arithmetic bits (CF matters for ADC/SBB, INC/DEC). */
				uint64_t flags_in = 0x2 | (next_random() & RFLAGS_ARITH);
				if (c->bit_op) /* in range, so register and memory forms agree */
					b &= size * 8 - 1, imm &= size * 8 - 1;
				check_one(c, size, a, b, imm, flags_in);
				checked++;
			}
		}
	}
	print_message("compared %u emulated operations with the host CPU\n", checked);
	assert_true(checked > 100000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_flags_match_host),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
