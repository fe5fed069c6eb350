/* test_mmio_emul: MMIO instruction emulation: operands, registers, RIP, strings, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/decode/mmio_emul.h"
#include "tests/unit/decode/guest_ram.h"

#define MMIO_BASE 0xfee00000ull /* an xAPIC page */
#define RAM_SIZE (4u << 20)

/* A page of device registers that records every access. */
struct fake_mmio {
	uint8_t regs[4096];
	unsigned reads, writes;
	uint64_t last_gpa;
	unsigned last_size;
};

static uint64_t fake_read(void *ctx, uint64_t gpa, unsigned size)
{
	struct fake_mmio *m = ctx;
	uint64_t v = 0;

	assert_true(gpa >= MMIO_BASE && gpa + size <= MMIO_BASE + 4096);
	memcpy(&v, m->regs + (gpa - MMIO_BASE), size);
	m->reads++;
	m->last_gpa = gpa;
	m->last_size = size;
	return v;
}

static void fake_write(void *ctx, uint64_t gpa, unsigned size, uint64_t value)
{
	struct fake_mmio *m = ctx;

	assert_true(gpa >= MMIO_BASE && gpa + size <= MMIO_BASE + 4096);
	memcpy(m->regs + (gpa - MMIO_BASE), &value, size);
	m->writes++;
	m->last_gpa = gpa;
	m->last_size = size;
}

static struct fake_mmio dev;
static struct x86_mmio_ops ops = { fake_read, fake_write, &dev };
static struct x86_gprs gprs;
static struct x86_emul_cpu cpu;
static struct x86_emul_outcome out;

static int setup(void **state)
{
	(void)state;
	return guest_ram_setup(RAM_SIZE);
}

/* Fresh 64-bit vCPU, paging off (identity), device zeroed. */
static void reset(enum x86_mode mode)
{
	memset(&dev, 0, sizeof(dev));
	memset(&gprs, 0, sizeof(gprs));
	memset(&cpu, 0, sizeof(cpu));
	cpu.gprs = &gprs;
	cpu.mode = mode;
	cpu.rip = 0x1000;
	cpu.rflags = 0x2;
	cpu.mem = &ram;
	cpu.paging.cr0 = X86_CR0_PE;
}

static uint64_t reg32(uint64_t gpa, unsigned size)
{
	uint64_t v = 0;
	memcpy(&v, dev.regs + (gpa - MMIO_BASE), size);
	return v;
}

static void set_reg(uint64_t gpa, uint64_t v, unsigned size)
{
	memcpy(dev.regs + (gpa - MMIO_BASE), &v, size);
}

/* Decodes bytes and emulates them against a fault at gpa. */
static enum x86_emul_status run(const uint8_t *bytes, size_t n, uint64_t gpa)
{
	struct x86_insn insn;

	assert_int_equal(x86_decode(bytes, n, cpu.mode, 0, &insn), X86_DECODE_OK);
	return x86_emulate_mmio(&cpu, &insn, gpa, &ops, &out);
}

#define RUN(gpa, ...)                                                  \
	({                                                             \
		static const uint8_t b_[] = { __VA_ARGS__ };           \
		run(b_, sizeof(b_), (gpa));                            \
	})

static void test_mov_store_and_load(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	gprs.r[GPR_RAX] = MMIO_BASE + 0xb0;
	gprs.r[GPR_RCX] = 0x1122334455667788ull;
	/* mov [rax], ecx: the EOI write Linux's native_apic_mem_write does */
	assert_int_equal(RUN(MMIO_BASE + 0xb0, 0x89, 0x08), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xb0, 4), 0x55667788);
	assert_int_equal(dev.last_size, 4);
	assert_int_equal(dev.writes, 1);
	assert_int_equal(cpu.rip, 0x1002);
	assert_int_equal(out.mmio_accesses, 1);

	/* mov rdx, [rbx + 0x20]: zero-extension of 32-bit loads, full 64-bit loads */
	set_reg(MMIO_BASE + 0x20, 0xfedcba9876543210ull, 8);
	gprs.r[GPR_RBX] = MMIO_BASE;
	gprs.r[GPR_RDX] = ~0ull;
	assert_int_equal(RUN(MMIO_BASE + 0x20, 0x8b, 0x53, 0x20), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RDX], 0x76543210ull);
	assert_int_equal(RUN(MMIO_BASE + 0x20, 0x48, 0x8b, 0x53, 0x20), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RDX], 0xfedcba9876543210ull);
	/* 16-bit load merges */
	gprs.r[GPR_RDX] = 0xaaaaaaaaaaaaaaaaull;
	assert_int_equal(RUN(MMIO_BASE + 0x20, 0x66, 0x8b, 0x53, 0x20), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RDX], 0xaaaaaaaaaaaa3210ull);
	assert_int_equal(cpu.rip, 0x1002 + 3 + 4 + 4);
}

static void test_byte_registers(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	set_reg(MMIO_BASE + 0x10, 0x5a, 1);
	gprs.r[GPR_RSI] = MMIO_BASE + 0x10;
	gprs.r[GPR_RAX] = 0x1111111111111111ull;
	gprs.r[GPR_RSP] = 0x2222222222222222ull;
	/* mov ah, [rsi]: without REX, register 4 is AH */
	assert_int_equal(RUN(MMIO_BASE + 0x10, 0x8a, 0x26), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RAX], 0x1111111111115a11ull);
	assert_int_equal(gprs.r[GPR_RSP], 0x2222222222222222ull);
	/* mov spl, [rsi]: with REX, register 4 is SPL */
	assert_int_equal(RUN(MMIO_BASE + 0x10, 0x40, 0x8a, 0x26), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RSP], 0x222222222222225aull);
	/* mov [rsi], bh */
	gprs.r[GPR_RBX] = 0xc300;
	assert_int_equal(RUN(MMIO_BASE + 0x10, 0x88, 0x3e), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x10, 1), 0xc3);
	assert_int_equal(dev.last_size, 1);
	/* mov r9b, [rsi] */
	gprs.r[GPR_R9] = 0xffff;
	assert_int_equal(RUN(MMIO_BASE + 0x10, 0x44, 0x8a, 0x0e), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_R9], 0xffc3);
}

static void test_mov_immediates_moffs_extensions(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	gprs.r[GPR_RDI] = MMIO_BASE + 0x300;
	/* mov qword [rdi], -2 (imm32 sign-extended) */
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x300, 8), 0xfffffffffffffffeull);
	assert_int_equal(dev.last_size, 8);
	/* mov byte [rdi+1], 0x7f */
	assert_int_equal(RUN(MMIO_BASE + 0x301, 0xc6, 0x47, 0x01, 0x7f), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x300, 2), 0x7ffe);
	/* mov eax, [moffs64] */
	set_reg(MMIO_BASE + 0x20, 0x14, 4);
	assert_int_equal(RUN(MMIO_BASE + 0x20, 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0, 0, 0, 0), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RAX], 0x14);
	/* movzx ecx, byte [rdi]; movsx rcx, word [rdi]; movsxd rdx, dword [rdi] */
	set_reg(MMIO_BASE + 0x300, 0x8081828384858687ull, 8);
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x0f, 0xb6, 0x0f), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RCX], 0x87);
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x48, 0x0f, 0xbf, 0x0f), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RCX], 0xffffffffffff8687ull);
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x48, 0x63, 0x17), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RDX], 0xffffffff84858687ull);
	assert_int_equal(dev.last_size, 4);
	/* movnti [rdi], rax */
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x48, 0x0f, 0xc3, 0x07), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x300, 8), 0x14);
	/* xchg [rdi], ebx */
	gprs.r[GPR_RBX] = 0xabcdef01;
	set_reg(MMIO_BASE + 0x300, 0x42, 4);
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x87, 0x1f), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RBX], 0x42);
	assert_int_equal(reg32(MMIO_BASE + 0x300, 4), 0xabcdef01);
	assert_int_equal(dev.reads, 5); /* moffs, movzx, movsx, movsxd, xchg */
}

static void test_alu_on_mmio(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	gprs.r[GPR_RAX] = MMIO_BASE + 0xf0;
	set_reg(MMIO_BASE + 0xf0, 0x000000ff, 4);
	/* or dword [rax], 0x100 (enable the APIC in SPIV) */
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0x81, 0x08, 0x00, 0x01, 0x00, 0x00), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1ff);
	/* and dword [rax], ~0x100 with an imm8 sign-extended: 83 /4 ib */
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0x83, 0x20, 0xf0), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1f0);
	/* cmp dword [rax], 0x1f0: ZF, no write */
	unsigned writes = dev.writes;
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0x81, 0x38, 0xf0, 0x01, 0x00, 0x00), X86_EMUL_OK);
	assert_int_equal(dev.writes, writes);
	assert_true(cpu.rflags & RFLAGS_ZF);
	/* test byte [rax], 0x0f */
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0xf6, 0x00, 0x0f), X86_EMUL_OK);
	assert_true(cpu.rflags & RFLAGS_ZF);
	assert_int_equal(dev.writes, writes);
	/* sub ecx, [rax] (into a register) */
	gprs.r[GPR_RCX] = 0x1f0;
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0x2b, 0x08), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RCX], 0);
	/* xor [rax], ecx with ecx = 0x10 */
	gprs.r[GPR_RCX] = 0x10;
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0x31, 0x08), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1e0);
	/* inc dword [rax]; dec byte [rax]; not; neg */
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0xff, 0x00), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1e1);
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0xfe, 0x08), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1e0);
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0xf7, 0x10), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0xfffffe1f);
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0xf7, 0x18), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1e1);
	assert_true(cpu.rflags & RFLAGS_CF);
	/* lock add [rax], ecx */
	gprs.r[GPR_RCX] = 1;
	assert_int_equal(RUN(MMIO_BASE + 0xf0, 0xf0, 0x01, 0x08), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0xf0, 4), 0x1e2);
}

static void test_bit_operations(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	gprs.r[GPR_RAX] = MMIO_BASE + 0x200;
	set_reg(MMIO_BASE + 0x200, 0x8, 4);
	/* bt dword [rax], 3 */
	assert_int_equal(RUN(MMIO_BASE + 0x200, 0x0f, 0xba, 0x20, 0x03), X86_EMUL_OK);
	assert_true(cpu.rflags & RFLAGS_CF);
	/* bts dword [rax], 36 -> imm taken modulo 32: bit 4 */
	assert_int_equal(RUN(MMIO_BASE + 0x200, 0x0f, 0xba, 0x28, 0x24), X86_EMUL_OK);
	assert_false(cpu.rflags & RFLAGS_CF);
	assert_int_equal(reg32(MMIO_BASE + 0x200, 4), 0x18);
	/* btr [rax], ecx with ecx = 35: the bit string reaches the next dword, bit 3 */
	set_reg(MMIO_BASE + 0x204, 0xff, 4);
	gprs.r[GPR_RCX] = 35;
	assert_int_equal(RUN(MMIO_BASE + 0x204, 0x0f, 0xb3, 0x08), X86_EMUL_OK);
	assert_true(cpu.rflags & RFLAGS_CF);
	assert_int_equal(reg32(MMIO_BASE + 0x204, 4), 0xf7);
	/* btc [rax], ecx with ecx = -1: bit 31 of the previous dword */
	gprs.r[GPR_RCX] = 0xffffffff;
	gprs.r[GPR_RAX] = MMIO_BASE + 0x204;
	assert_int_equal(RUN(MMIO_BASE + 0x200, 0x0f, 0xbb, 0x08), X86_EMUL_OK);
	assert_false(cpu.rflags & RFLAGS_CF);
	assert_int_equal(reg32(MMIO_BASE + 0x200, 4), 0x80000018);
	/* a bit offset that lands elsewhere than the fault is refused */
	gprs.r[GPR_RCX] = 64;
	assert_int_equal(RUN(MMIO_BASE + 0x204, 0x0f, 0xa3, 0x08), X86_EMUL_BAD_ACCESS);
}

/* Page tables for string tests: 4-level, identity for RAM, MMIO page mapped at MMIO_BASE. */
static void long_mode_paging(void)
{
	uint64_t *pml4 = (uint64_t *)(ram.hva + 0x10000), *pdpt = (uint64_t *)(ram.hva + 0x11000);
	uint64_t *pd0 = (uint64_t *)(ram.hva + 0x12000), *pd3 = (uint64_t *)(ram.hva + 0x13000);

	memset(ram.hva + 0x10000, 0, 0x4000);
	pml4[0] = 0x11000 | 7;
	pdpt[0] = 0x12000 | 7;
	pdpt[3] = 0x13000 | 7;
	pd0[0] = 0x0 | 0x87;          /* 0-2 MiB: RAM, 2 MiB page */
	pd0[1] = 0x200000 | 0x87;     /* 2-4 MiB */
	pd3[0x1f7] = MMIO_BASE | 0x83; /* 0xfee00000: 2 MiB page, supervisor */
	cpu.paging.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP;
	cpu.paging.cr3 = 0x10000;
	cpu.paging.cr4 = X86_CR4_PAE;
	cpu.paging.efer = X86_EFER_LME | X86_EFER_LMA;
	cpu.paging.maxphyaddr = 40;
}

static void test_string_stores_and_copies(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	long_mode_paging();
	/* rep stosd: three dwords of 0xdeadbeef into MMIO */
	gprs.r[GPR_RDI] = MMIO_BASE + 0x400;
	gprs.r[GPR_RCX] = 3;
	gprs.r[GPR_RAX] = 0xdeadbeef;
	assert_int_equal(RUN(MMIO_BASE + 0x400, 0xf3, 0xab), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x408, 4), 0xdeadbeef);
	assert_int_equal(gprs.r[GPR_RDI], MMIO_BASE + 0x40c);
	assert_int_equal(gprs.r[GPR_RCX], 0);
	assert_int_equal(dev.writes, 3);
	assert_int_equal(cpu.rip, 0x1002);

	/* memcpy_toio: rep movsb from RAM at 0x5000 to MMIO, 5 bytes */
	memcpy(ram.hva + 0x5000, "hello", 5);
	gprs.r[GPR_RSI] = 0x5000;
	gprs.r[GPR_RDI] = MMIO_BASE + 0x500;
	gprs.r[GPR_RCX] = 5;
	assert_int_equal(RUN(MMIO_BASE + 0x500, 0xf3, 0xa4), X86_EMUL_OK);
	assert_memory_equal(dev.regs + 0x500, "hello", 5);
	assert_int_equal(gprs.r[GPR_RSI], 0x5005);

	/* memcpy_fromio: movsq from MMIO to RAM, backwards (DF = 1) */
	set_reg(MMIO_BASE + 0x600, 0x0123456789abcdefull, 8);
	gprs.r[GPR_RSI] = MMIO_BASE + 0x600;
	gprs.r[GPR_RDI] = 0x6000;
	cpu.rflags |= RFLAGS_DF;
	assert_int_equal(RUN(MMIO_BASE + 0x600, 0x48, 0xa5), X86_EMUL_OK);
	assert_int_equal(*(uint64_t *)(ram.hva + 0x6000), 0x0123456789abcdefull);
	assert_int_equal(gprs.r[GPR_RSI], MMIO_BASE + 0x5f8);
	assert_int_equal(gprs.r[GPR_RDI], 0x5ff8);
	cpu.rflags &= ~RFLAGS_DF;

	/* lodsw */
	gprs.r[GPR_RSI] = MMIO_BASE + 0x600;
	gprs.r[GPR_RAX] = 0xffffffffffffffffull;
	assert_int_equal(RUN(MMIO_BASE + 0x600, 0x66, 0xad), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RAX], 0xffffffffffffcdefull);
	assert_int_equal(gprs.r[GPR_RSI], MMIO_BASE + 0x602);

	/* rep stos with RCX = 0 does nothing but complete */
	gprs.r[GPR_RCX] = 0;
	unsigned writes = dev.writes;
	assert_int_equal(RUN(MMIO_BASE + 0x600, 0xf3, 0xaa), X86_EMUL_OK);
	assert_int_equal(dev.writes, writes);
}

static void test_string_batches_and_faults(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	long_mode_paging();
	/* 100 iterations: a first batch leaves RIP on the instruction */
	gprs.r[GPR_RDI] = MMIO_BASE + 0x100;
	gprs.r[GPR_RCX] = 100;
	assert_int_equal(RUN(MMIO_BASE + 0x100, 0xf3, 0xaa), X86_EMUL_OK);
	assert_int_equal(cpu.rip, 0x1000);
	assert_true(gprs.r[GPR_RCX] > 0 && gprs.r[GPR_RCX] < 100);
	assert_int_equal(gprs.r[GPR_RDI], MMIO_BASE + 0x100 + (100 - gprs.r[GPR_RCX]));
	uint64_t next = gprs.r[GPR_RDI];
	assert_int_equal(RUN(next, 0xf3, 0xaa), X86_EMUL_OK);
	assert_int_equal(gprs.r[GPR_RCX], 0);
	assert_int_equal(cpu.rip, 0x1002);
	assert_int_equal(dev.writes, 100);

	/* movsb to a non-present page: #PF with CR2, and the MMIO source is not read */
	gprs.r[GPR_RSI] = MMIO_BASE;
	gprs.r[GPR_RDI] = 0x40000000ull; /* PDPT[1] not present */
	unsigned reads = dev.reads;
	assert_int_equal(RUN(MMIO_BASE, 0xa4), X86_EMUL_PAGE_FAULT);
	assert_int_equal(out.pf_error, X86_PF_WRITE);
	assert_int_equal(out.fault_linear, 0x40000000ull);
	assert_int_equal(dev.reads, reads);
	assert_int_equal(gprs.r[GPR_RSI], MMIO_BASE);
	/* user mode may not touch the supervisor MMIO mapping */
	cpu.cpl = 3;
	gprs.r[GPR_RDI] = MMIO_BASE;
	assert_int_equal(RUN(MMIO_BASE, 0xaa), X86_EMUL_PAGE_FAULT);
	assert_int_equal(out.pf_error, X86_PF_PRESENT | X86_PF_WRITE | X86_PF_USER);
	cpu.cpl = 0;
	/* a string instruction whose operands are both RAM did not cause this fault */
	gprs.r[GPR_RSI] = 0x5000;
	gprs.r[GPR_RDI] = 0x6000;
	assert_int_equal(RUN(MMIO_BASE, 0xa4), X86_EMUL_BAD_ACCESS);
}

static void test_addressing_modes(void **state)
{
	(void)state;
	/* 16-bit code (a big-real-mode DS base): mov [bx+si+4], ax */
	reset(X86_MODE_16);
	cpu.seg_base[X86_SEG_DS] = MMIO_BASE;
	gprs.r[GPR_RBX] = 0x100;
	gprs.r[GPR_RSI] = 0x20;
	gprs.r[GPR_RAX] = 0x1234;
	assert_int_equal(RUN(MMIO_BASE + 0x120, 0x89, 0x40, 0x04), X86_EMUL_BAD_ACCESS);
	assert_int_equal(RUN(MMIO_BASE + 0x124, 0x89, 0x40, 0x04), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x124, 2), 0x1234);
	assert_int_equal(dev.last_size, 2);
	/* bp-based operands use SS */
	cpu.seg_base[X86_SEG_SS] = MMIO_BASE + 0x100;
	gprs.r[GPR_RBP] = 0x20;
	assert_int_equal(RUN(MMIO_BASE + 0x120, 0x89, 0x46, 0x00), X86_EMUL_OK);
	/* IP wraps at 64 KiB */
	cpu.rip = 0xfffe;
	assert_int_equal(RUN(MMIO_BASE + 0x120, 0x89, 0x46, 0x00), X86_EMUL_OK);
	assert_int_equal(cpu.rip, 0x1);

	/* 32-bit: FS override and EBP default to SS */
	reset(X86_MODE_32);
	cpu.seg_base[X86_SEG_FS] = MMIO_BASE;
	gprs.r[GPR_RAX] = 0x300;
	gprs.r[GPR_RDX] = 7;
	assert_int_equal(RUN(MMIO_BASE + 0x300, 0x64, 0x89, 0x10), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x300, 4), 7);
	/* 64-bit: RIP-relative */
	reset(X86_MODE_64);
	cpu.rip = MMIO_BASE - 0x1000;
	gprs.r[GPR_RDX] = 9;
	/* mov [rip + 0x1000 - 6 + 0x40], edx: next RIP + disp = MMIO_BASE + 0x40 */
	assert_int_equal(RUN(MMIO_BASE + 0x40, 0x89, 0x15, 0x3a, 0x10, 0x00, 0x00), X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x40, 4), 9);
	/* 64-bit ignores a DS base but honours GS */
	reset(X86_MODE_64);
	cpu.seg_base[X86_SEG_DS] = 0x1000;
	cpu.seg_base[X86_SEG_GS] = 0x80;
	gprs.r[GPR_RAX] = MMIO_BASE;
	assert_int_equal(RUN(MMIO_BASE, 0x89, 0x10), X86_EMUL_OK);
	assert_int_equal(RUN(MMIO_BASE + 0x80, 0x65, 0x89, 0x10), X86_EMUL_OK);
}

static void test_refusals(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	gprs.r[GPR_RAX] = MMIO_BASE + 0x10;
	uint64_t rip = cpu.rip;
	/* the operand is not where the fault was */
	assert_int_equal(RUN(MMIO_BASE + 0x20, 0x89, 0x08), X86_EMUL_BAD_ACCESS);
	/* a register-only instruction cannot have faulted on MMIO */
	assert_int_equal(RUN(MMIO_BASE + 0x10, 0x89, 0xc8), X86_EMUL_BAD_ACCESS);
	/* crossing the page */
	gprs.r[GPR_RAX] = MMIO_BASE + 0xffc;
	assert_int_equal(RUN(MMIO_BASE + 0xffc, 0x48, 0x89, 0x08), X86_EMUL_BAD_ACCESS);
	assert_string_equal(out.why, "MMIO access crosses a page boundary");
	/* call [rax]: valid, not emulated; the outcome names it for the log */
	gprs.r[GPR_RAX] = MMIO_BASE;
	assert_int_equal(RUN(MMIO_BASE, 0xff, 0x10), X86_EMUL_UNSUPPORTED);
	assert_int_equal(out.opcode, 0xff);
	assert_int_equal(out.modrm_reg, 2);
	assert_int_equal(out.len, 2);
	/* SSE and AVX moves, MUL, CMPXCHG */
	assert_int_equal(RUN(MMIO_BASE, 0x0f, 0x10, 0x00), X86_EMUL_UNSUPPORTED);
	assert_int_equal(out.map, X86_MAP_0F);
	assert_int_equal(RUN(MMIO_BASE, 0xc5, 0xf8, 0x10, 0x00), X86_EMUL_UNSUPPORTED);
	assert_int_equal(RUN(MMIO_BASE, 0xf7, 0x20), X86_EMUL_UNSUPPORTED);
	assert_int_equal(RUN(MMIO_BASE, 0x0f, 0xb1, 0x08), X86_EMUL_UNSUPPORTED);
	assert_int_equal(RUN(MMIO_BASE, 0x66, 0x0f, 0xc3, 0x00), X86_EMUL_UD);
	/* nothing changed through all that */
	assert_int_equal(cpu.rip, rip);
	assert_int_equal(dev.reads + dev.writes, 0);
	assert_string_equal(x86_emul_status_name(X86_EMUL_UNSUPPORTED), "unsupported instruction");
}

/* The exit handler's path: fetch at CS:RIP, decode, emulate. */
static void test_at_rip(void **state)
{
	(void)state;
	reset(X86_MODE_64);
	long_mode_paging();
	cpu.rip = 0x7000;
	memcpy(ram.hva + 0x7000, "\x89\x08", 2); /* mov [rax], ecx */
	gprs.r[GPR_RAX] = MMIO_BASE + 0x80;
	gprs.r[GPR_RCX] = 0x40;
	assert_int_equal(x86_emulate_mmio_at_rip(&cpu, X86_DECODE_AMD, MMIO_BASE + 0x80, &ops, &out),
			 X86_EMUL_OK);
	assert_int_equal(reg32(MMIO_BASE + 0x80, 4), 0x40);
	assert_int_equal(cpu.rip, 0x7002);

	/* CPUID's length after an intercept */
	struct x86_insn insn;
	memcpy(ram.hva + 0x7002, "\x0f\xa2", 2);
	assert_int_equal(x86_fetch_decode(&cpu, X86_DECODE_AMD, &insn, &out), X86_EMUL_OK);
	assert_int_equal(insn.len, 2);

	/* undefined opcode: #UD, nothing done */
	memcpy(ram.hva + 0x7002, "\x0f\x04", 2);
	assert_int_equal(x86_emulate_mmio_at_rip(&cpu, 0, MMIO_BASE, &ops, &out), X86_EMUL_UD);
	assert_int_equal(cpu.rip, 0x7002);

	/* an instruction running off the end of the mapped code: #PF on the next page */
	cpu.rip = 0x3ffffe; /* last bytes mapped by PD[1] */
	memcpy(ram.hva + 0x3ffffe, "\x48\x8b", 2);
	assert_int_equal(x86_emulate_mmio_at_rip(&cpu, 0, MMIO_BASE, &ops, &out), X86_EMUL_PAGE_FAULT);
	assert_int_equal(out.fault_linear, 0x400000);
	assert_int_equal(out.pf_error, 0); /* not present; no NXE or SMEP, so no I/D bit */

	/* code outside guest RAM: a defined refusal */
	cpu.rip = MMIO_BASE;
	assert_int_equal(x86_emulate_mmio_at_rip(&cpu, 0, MMIO_BASE, &ops, &out), X86_EMUL_BAD_ACCESS);
	assert_string_equal(out.why, "instruction fetch outside guest RAM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_store_and_load),
		cmocka_unit_test(test_byte_registers),
		cmocka_unit_test(test_mov_immediates_moffs_extensions),
		cmocka_unit_test(test_alu_on_mmio),
		cmocka_unit_test(test_bit_operations),
		cmocka_unit_test(test_string_stores_and_copies),
		cmocka_unit_test(test_string_batches_and_faults),
		cmocka_unit_test(test_addressing_modes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_at_rip),
	};
	return cmocka_run_group_tests(tests, setup, guest_ram_teardown);
}
