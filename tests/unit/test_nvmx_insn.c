/* test_nvmx_insn: L1's VMX instructions: every #UD/#GP, VMfailInvalid and VMfailValid(N), operands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_insn.h"
#include "nested/vmx/nvmx_offer.h"
#include "tests/nvmx/nvmx_hosts.h"

/* Fake L1: RAM at [RAM, RAM + 16 pages), linear = physical, one page that faults. */
#define RAM 0x100000ull
#define NPAGES 16
#define FAULT_PAGE (RAM + 15 * 4096)
static uint8_t ram[NPAGES * 4096] __attribute__((aligned(4096)));
static unsigned faults;

static bool in_ram(uint64_t a, unsigned len)
{
	return a >= RAM && a - RAM <= sizeof(ram) && len <= sizeof(ram) - (a - RAM);
}

static bool rd(void *ctx, uint64_t la, void *buf, unsigned len)
{
	(void)ctx;
	if (!in_ram(la, len) || (la + len > FAULT_PAGE && la < FAULT_PAGE + 4096)) {
		faults++;
		return false;
	}
	memcpy(buf, ram + (la - RAM), len);
	return true;
}

static bool wr(void *ctx, uint64_t la, const void *buf, unsigned len)
{
	(void)ctx;
	if (!in_ram(la, len) || (la + len > FAULT_PAGE && la < FAULT_PAGE + 4096)) {
		faults++;
		return false;
	}
	memcpy(ram + (la - RAM), buf, len);
	return true;
}

static void *page(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return in_ram(gpa, 4096) ? ram + (gpa - RAM) : NULL;
}

static const struct nvmx_mem mem = { rd, wr, page, NULL };
static struct nvmx_caps caps;
static struct nvmx_vcpu n;
static struct nvmx_l1 l1;
static uint64_t gpr[16];
static struct nvmx_insn_out out;

#define PG(i) (RAM + 4096ull * (i))
#define OPND PG(10)		/* where memory operands live */
#define RAX 0
#define RCX 1
#define RDX 2

/* Instruction information: memory operand [RAX] (64-bit address, DS), reg2 = r2, reg1 = r1. */
static uint32_t info_mem(unsigned r2)
{
	return (2u << 7) | (3u << 15) | (1u << 22) | (0u << 23) | ((uint32_t)r2 << 28);
}

static uint32_t info_reg(unsigned r1, unsigned r2)
{
	return (1u << 10) | ((uint32_t)r1 << 3) | ((uint32_t)r2 << 28);
}

static void flat64(void)
{
	memset(&l1, 0, sizeof(l1));
	l1.long64 = true;
	l1.cr0 = 0x80050033;
	l1.cr4 = 0x20a0 | (1ull << 13);
	l1.feature_control = 0x5;
	l1.gpr = gpr;
	for (int s = 0; s < 6; s++)
		l1.seg[s] = (struct nvmx_seg){ 0, 0xffffffff, 0xc093 };
	l1.seg[NVMX_CS].ar = 0xa09b;
}

static void setup(void)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	char why[128];

	assert_true(nvmx_offer(&h, NVMX_FLAVOR_HYPERV, NULL, &caps, why, sizeof(why)));
	memset(ram, 0, sizeof(ram));
	memset(gpr, 0, sizeof(gpr));
	n = (struct nvmx_vcpu){ false, 0, NVMX_NO_VMCS };
	faults = 0;
	flat64();
	/* VMXON region at page 0, two VMCS regions at pages 1 and 2. */
	for (int i = 0; i < 3; i++)
		*(uint32_t *)(ram + 4096 * i) = VMCS12_REVISION;
}

static void run(enum nvmx_insn i)
{
	nvmx_emulate(&n, &caps, i, &l1, &mem, &out);
}

/* An instruction with its 64-bit address operand at OPND. */
static void run_addr(enum nvmx_insn i, uint64_t addr)
{
	memcpy(ram + (OPND - RAM), &addr, 8);
	gpr[RAX] = OPND;
	l1.info = info_mem(0);
	run(i);
}

static void expect(uint8_t kind, uint8_t error_or_vector)
{
	if (out.kind != kind)
		print_error("kind %u (%s), want %u\n", out.kind, out.why ? out.why : "", kind);
	assert_int_equal(out.kind, kind);
	if (kind == NVMX_I_FAIL_VALID)
		assert_int_equal(out.error, error_or_vector);
	if (kind == NVMX_I_RAISE)
		assert_int_equal(out.vector, error_or_vector);
}

static struct vmcs12 *vmcs(int i)
{
	return (struct vmcs12 *)(ram + 4096 * i);
}

static void on_and_current(void)
{
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_SUCCEED, 0);
	run_addr(NVMX_VMPTRLD, PG(1));
	expect(NVMX_I_SUCCEED, 0);
}

static void test_vmxon(void **state)
{
	(void)state;
	setup();
	l1.cr4 &= ~(1ull << 13);
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_RAISE, 6);			/* #UD: CR4.VMXE = 0 */
	flat64();
	l1.cpl = 3;
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_RAISE, 13);
	flat64();
	l1.feature_control = 0x1;			/* locked, VMX outside SMX off */
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_RAISE, 13);
	flat64();
	l1.feature_control = 0x4;			/* not locked */
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_RAISE, 13);
	flat64();
	l1.cr0 &= ~(1ull << 5);				/* NE clear: CR0_FIXED0 */
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_RAISE, 13);
	flat64();
	run_addr(NVMX_VMXON, PG(0) + 8);
	expect(NVMX_I_FAIL_INVALID, 0);
	run_addr(NVMX_VMXON, 1ull << 40);		/* beyond MAXPHYADDR 40 */
	expect(NVMX_I_FAIL_INVALID, 0);
	run_addr(NVMX_VMXON, 0x7000000);		/* not L1 RAM */
	expect(NVMX_I_FAIL_INVALID, 0);
	*(uint32_t *)ram = 0x1234;
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_FAIL_INVALID, 0);
	*(uint32_t *)ram = VMCS12_REVISION | (1u << 31);
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_FAIL_INVALID, 0);
	assert_false(n.vmxon);
	*(uint32_t *)ram = VMCS12_REVISION;
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_SUCCEED, 0);
	assert_true(n.vmxon);
	assert_int_equal(n.vmxon_ptr, PG(0));
	/* Again: VMfail(15), invalid without a current VMCS, valid with one. */
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_FAIL_INVALID, 0);
	run_addr(NVMX_VMPTRLD, PG(1));
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_FAIL_VALID, 15);
	assert_int_equal(vmcs(1)->instruction_error, 15);
	l1.cpl = 3;
	run_addr(NVMX_VMXON, PG(0));
	expect(NVMX_I_RAISE, 13);
}

static void test_ud_outside_vmx_and_gp_cpl(void **state)
{
	static const enum nvmx_insn all[] = { NVMX_VMXOFF, NVMX_VMCLEAR, NVMX_VMPTRLD,
					      NVMX_VMPTRST, NVMX_VMREAD, NVMX_VMWRITE,
					      NVMX_VMLAUNCH, NVMX_VMRESUME, NVMX_INVEPT,
					      NVMX_INVVPID };
	(void)state;
	setup();
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		run_addr(all[i], PG(1));
		expect(NVMX_I_RAISE, 6);
	}
	run_addr(NVMX_VMXON, PG(0));
	l1.cpl = 1;
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		run_addr(all[i], PG(1));
		expect(NVMX_I_RAISE, 13);
	}
}

static void test_vmclear_vmptrld_vmptrst(void **state)
{
	uint64_t got;

	(void)state;
	setup();
	run_addr(NVMX_VMXON, PG(0));
	run_addr(NVMX_VMCLEAR, PG(1) + 0x10);
	expect(NVMX_I_FAIL_INVALID, 0);			/* VMfail(2), no current VMCS */
	run_addr(NVMX_VMPTRLD, PG(1));
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(n.current, PG(1));
	run_addr(NVMX_VMCLEAR, PG(1) + 0x10);
	expect(NVMX_I_FAIL_VALID, 2);
	run_addr(NVMX_VMCLEAR, 1ull << 45);
	expect(NVMX_I_FAIL_VALID, 2);
	run_addr(NVMX_VMCLEAR, 0x7000000);		/* not L1 RAM: nestor's VMfail(2) */
	expect(NVMX_I_FAIL_VALID, 2);
	run_addr(NVMX_VMCLEAR, PG(0));
	expect(NVMX_I_FAIL_VALID, 3);
	run_addr(NVMX_VMPTRLD, PG(0));
	expect(NVMX_I_FAIL_VALID, 10);
	run_addr(NVMX_VMPTRLD, PG(1) + 1);
	expect(NVMX_I_FAIL_VALID, 9);
	run_addr(NVMX_VMPTRLD, 0x7000000);
	expect(NVMX_I_FAIL_VALID, 9);
	run_addr(NVMX_VMPTRLD, PG(3));			/* revision 0 */
	expect(NVMX_I_FAIL_VALID, 11);
	*(uint32_t *)(ram + 4096 * 3) = VMCS12_REVISION | (1u << 31);	/* shadow VMCS */
	run_addr(NVMX_VMPTRLD, PG(3));
	expect(NVMX_I_FAIL_VALID, 11);
	assert_int_equal(n.current, PG(1));
	vmcs(2)->launch_state = VMCS12_LAUNCH_LAUNCHED;
	run_addr(NVMX_VMCLEAR, PG(2));
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(vmcs(2)->launch_state, VMCS12_LAUNCH_CLEAR);
	assert_int_equal(n.current, PG(1));		/* another VMCS: the current one stays */
	gpr[RAX] = OPND + 64;
	run(NVMX_VMPTRST);
	expect(NVMX_I_SUCCEED, 0);
	memcpy(&got, ram + (OPND + 64 - RAM), 8);
	assert_int_equal(got, PG(1));
	run_addr(NVMX_VMCLEAR, PG(1));
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(n.current, NVMX_NO_VMCS);
	gpr[RAX] = OPND + 64;
	run(NVMX_VMPTRST);
	memcpy(&got, ram + (OPND + 64 - RAM), 8);
	assert_int_equal(got, ~0ull);
	/* A faulting operand: nothing happens but the fault. */
	gpr[RAX] = FAULT_PAGE;
	run(NVMX_VMPTRLD);
	expect(NVMX_I_FAULTED, 0);
	assert_int_equal(faults, 1);
	run_addr(NVMX_VMXOFF, 0);
	expect(NVMX_I_SUCCEED, 0);
	assert_false(n.vmxon);
}

static void test_vmread_vmwrite(void **state)
{
	uint64_t v;

	(void)state;
	setup();
	run_addr(NVMX_VMXON, PG(0));
	gpr[RCX] = VMCS_GUEST_RIP;
	gpr[RDX] = 0x1234;
	l1.info = info_reg(RDX, RCX);
	run(NVMX_VMWRITE);
	expect(NVMX_I_FAIL_INVALID, 0);			/* no current VMCS */
	run_addr(NVMX_VMPTRLD, PG(1));
	l1.info = info_reg(RDX, RCX);
	run(NVMX_VMWRITE);
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(vmcs(1)->guest_rip, 0x1234);
	gpr[RDX] = 0;
	l1.info = info_reg(RDX, RCX);
	run(NVMX_VMREAD);
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(gpr[RDX], 0x1234);
	/* Memory forms: VMREAD to [RAX], VMWRITE from [RAX]. */
	gpr[RAX] = OPND;
	l1.info = info_mem(RCX);
	run(NVMX_VMREAD);
	expect(NVMX_I_SUCCEED, 0);
	memcpy(&v, ram + (OPND - RAM), 8);
	assert_int_equal(v, 0x1234);
	v = 0xabcd;
	memcpy(ram + (OPND - RAM), &v, 8);
	run(NVMX_VMWRITE);
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(vmcs(1)->guest_rip, 0xabcd);
	/* Unsupported field 12, read-only 13 (MISC[29] not offered): into vmcs12. */
	gpr[RCX] = 0x7777;
	l1.info = info_reg(RDX, RCX);
	run(NVMX_VMREAD);
	expect(NVMX_I_FAIL_VALID, 12);
	assert_int_equal(vmcs(1)->instruction_error, 12);
	gpr[RCX] = VMCS_EXIT_REASON;
	run(NVMX_VMWRITE);
	expect(NVMX_I_FAIL_VALID, 13);
	/* An encoding with bits 63:32 set is no field in 64-bit mode. */
	gpr[RCX] = VMCS_GUEST_RIP | (1ull << 32);
	run(NVMX_VMREAD);
	expect(NVMX_I_FAIL_VALID, 12);
	/* A field of a control L1 was not offered: posted-interrupt descriptor. */
	gpr[RCX] = VMCS_POSTED_INTR_DESC;
	run(NVMX_VMREAD);
	expect(NVMX_I_FAIL_VALID, 12);
	/* A faulting memory source: the fault, no write. */
	gpr[RCX] = VMCS_GUEST_RIP;
	gpr[RAX] = FAULT_PAGE;
	l1.info = info_mem(RCX);
	run(NVMX_VMWRITE);
	expect(NVMX_I_FAULTED, 0);
	assert_int_equal(vmcs(1)->guest_rip, 0xabcd);
}

static void test_vmread_32bit_mode(void **state)
{
	(void)state;
	setup();
	run_addr(NVMX_VMXON, PG(0));
	run_addr(NVMX_VMPTRLD, PG(1));
	vmcs(1)->guest_rip = 0x1122334455667788ull;
	l1.long64 = false;
	gpr[RCX] = VMCS_GUEST_RIP | (1ull << 32);	/* only ECX counts outside 64-bit mode */
	gpr[RDX] = ~0ull;
	l1.info = info_reg(RDX, RCX);
	run(NVMX_VMREAD);
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(gpr[RDX], 0x55667788);
	gpr[RDX] = 0xffffffff00000001ull;
	run(NVMX_VMWRITE);
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(vmcs(1)->guest_rip, 1);	/* natural width from 32 bits: zero-extended */
}

static void test_launch_resume(void **state)
{
	(void)state;
	setup();
	run_addr(NVMX_VMXON, PG(0));
	run(NVMX_VMLAUNCH);
	expect(NVMX_I_FAIL_INVALID, 0);
	run_addr(NVMX_VMPTRLD, PG(1));
	run(NVMX_VMRESUME);
	expect(NVMX_I_FAIL_VALID, 5);
	l1.mov_ss_blocking = true;
	run(NVMX_VMLAUNCH);
	expect(NVMX_I_FAIL_VALID, 26);
	l1.mov_ss_blocking = false;
	run(NVMX_VMLAUNCH);
	expect(NVMX_I_ENTER, 0);
	vmcs(1)->launch_state = VMCS12_LAUNCH_LAUNCHED;
	run(NVMX_VMLAUNCH);
	expect(NVMX_I_FAIL_VALID, 4);
	run(NVMX_VMRESUME);
	expect(NVMX_I_ENTER, 0);
}

static void invept(uint64_t type, uint64_t eptp)
{
	uint64_t d[2] = { eptp, 0 };
	memcpy(ram + (OPND - RAM), d, 16);
	gpr[RAX] = OPND;
	gpr[RCX] = type;
	l1.info = info_mem(RCX);
	run(NVMX_INVEPT);
}

static void invvpid(uint64_t type, uint64_t lo, uint64_t hi)
{
	uint64_t d[2] = { lo, hi };
	memcpy(ram + (OPND - RAM), d, 16);
	gpr[RAX] = OPND;
	gpr[RCX] = type;
	l1.info = info_mem(RCX);
	run(NVMX_INVVPID);
}

static void test_invept_invvpid(void **state)
{
	(void)state;
	setup();
	on_and_current();
	invept(0, 0);
	expect(NVMX_I_FAIL_VALID, 28);
	invept(3, 0);
	expect(NVMX_I_FAIL_VALID, 28);
	invept(1, PG(4) | 0x1e);			/* WB, 4-level */
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(out.flush, NVMX_FLUSH_EPT);
	assert_int_equal(out.eptp, PG(4) | 0x1e);
	invept(1, PG(4) | 0x1e | 0x40);			/* A/D not offered */
	expect(NVMX_I_FAIL_VALID, 28);
	invept(1, PG(4) | 0x16);			/* 3-level walk */
	expect(NVMX_I_FAIL_VALID, 28);
	invept(1, PG(4) | 0x1b);			/* memory type 3 */
	expect(NVMX_I_FAIL_VALID, 28);
	invept(2, 0xdead);				/* all-context: no EPTP check */
	expect(NVMX_I_SUCCEED, 0);
	invvpid(1, 0, 0);
	expect(NVMX_I_FAIL_VALID, 28);
	invvpid(1, 1ull << 16 | 1, 0);
	expect(NVMX_I_FAIL_VALID, 28);
	invvpid(2, 0, 0);
	expect(NVMX_I_SUCCEED, 0);
	invvpid(0, 5, 0x0000800000000000ull);
	expect(NVMX_I_FAIL_VALID, 28);
	invvpid(0, 5, 0xffff800000000000ull);
	expect(NVMX_I_SUCCEED, 0);
	assert_int_equal(out.vpid, 5);
	assert_int_equal(out.flush, NVMX_FLUSH_VPID);
	invvpid(3, 7, 0);
	expect(NVMX_I_SUCCEED, 0);
	invvpid(4, 7, 0);
	expect(NVMX_I_FAIL_VALID, 28);
	/* Not offered: #UD. */
	caps.msrs.proc2 &= ~((uint64_t)PROC2_EPT << 32);
	invept(2, 0);
	expect(NVMX_I_RAISE, 6);
}

static void test_operand_linear(void **state)
{
	struct nvmx_insn_info i;
	uint64_t la = 0;

	(void)state;
	setup();
	l1.qual = 0x10;
	gpr[RAX] = 0x1000;
	gpr[RCX] = 3;
	/* [rax + rcx*8 + 0x10] in 64-bit mode: DS base ignored, FS base added. */
	nvmx_insn_info_decode((3u) | (2u << 7) | (3u << 15) | (RCX << 18) | (RAX << 23), &i);
	l1.seg[NVMX_DS].base = 0x5000;
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 0);
	assert_int_equal(la, 0x1028);
	nvmx_insn_info_decode((3u) | (2u << 7) | (4u << 15) | (RCX << 18) | (RAX << 23), &i);
	l1.seg[NVMX_FS].base = 0x7000;
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 0);
	assert_int_equal(la, 0x8028);
	/* Non-canonical: #GP, or #SS for SS. */
	gpr[RAX] = 0x0000800000000000ull;
	nvmx_insn_info_decode((2u << 7) | (3u << 15) | (1u << 22) | (RAX << 23), &i);
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 13);
	nvmx_insn_info_decode((2u << 7) | (2u << 15) | (1u << 22) | (RAX << 23), &i);
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 12);
	/* 32-bit address size truncates. */
	gpr[RAX] = 0x1ffffffff0ull;
	nvmx_insn_info_decode((1u << 7) | (3u << 15) | (1u << 22) | (RAX << 23), &i);
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 0);
	assert_int_equal(la, 0);				/* (0x1ffffffff0 + 0x10) mod 2^32 */
	/* Protected mode: limits, expand-down, read-only, unusable. */
	l1.long64 = false;
	l1.qual = 0;
	l1.seg[NVMX_DS] = (struct nvmx_seg){ 0x10000, 0xfff, 0x4093 };
	gpr[RAX] = 0xff8;
	nvmx_insn_info_decode((1u << 7) | (3u << 15) | (1u << 22) | (RAX << 23), &i);
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 0);
	assert_int_equal(la, 0x10ff8);
	gpr[RAX] = 0xffc;
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 13);
	l1.seg[NVMX_DS].ar = 0x4091;			/* read-only data */
	gpr[RAX] = 0x10;
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, true, 48, &la), 13);
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 0);
	l1.seg[NVMX_DS].ar = 0x4097;			/* expand-down, writable */
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, true, 48, &la), 13);
	gpr[RAX] = 0x2000;
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, true, 48, &la), 0);
	l1.seg[NVMX_DS].ar = 0x1c093;			/* unusable */
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 13);
	l1.seg[NVMX_SS] = (struct nvmx_seg){ 0, 0xf, 0x4093 };
	nvmx_insn_info_decode((1u << 7) | (2u << 15) | (1u << 22) | (RAX << 23), &i);
	assert_int_equal(nvmx_operand_linear(&l1, &i, 8, false, 48, &la), 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmxon),
		cmocka_unit_test(test_ud_outside_vmx_and_gp_cpl),
		cmocka_unit_test(test_vmclear_vmptrld_vmptrst),
		cmocka_unit_test(test_vmread_vmwrite),
		cmocka_unit_test(test_vmread_32bit_mode),
		cmocka_unit_test(test_launch_resume),
		cmocka_unit_test(test_invept_invvpid),
		cmocka_unit_test(test_operand_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
