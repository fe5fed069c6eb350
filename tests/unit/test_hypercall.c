/* test_hypercall: KVM's hypercall ABI as the kvm personality answers it, over real vLAPICs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "apic/apic_regs.h"
#include "tests/unit/vm_fixture.h"
#include "vm/hypercall.h"

static uint64_t call(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t a3, unsigned cpl, bool mode64)
{
	v->gprs.r[GPR_RAX] = nr;
	v->gprs.r[GPR_RBX] = a0;
	v->gprs.r[GPR_RCX] = a1;
	v->gprs.r[GPR_RDX] = a2;
	v->gprs.r[GPR_RSI] = a3;
	assert_true(vcpu_hypercall(v, cpl, mode64));
	return v->gprs.r[GPR_RAX];
}

static bool irr(unsigned vcpu, uint8_t vector)
{
	return vec256_test(&apic_vm_vcpu(&fixture_vm.apic, vcpu)->irr, vector);
}

static void test_unknown_and_errors(void **st)
{
	(void)st;
	struct vcpu *v = fixture_vm_start(PERSONALITY_KVM, &fixture_amd, 2);
	assert_int_equal(call(v, 0xdead, 0, 0, 0, 0, 0, true), (uint64_t)-1000);
	assert_int_equal(call(v, 5, 0, 0, 1, 0, 0, true), (uint64_t)-1000);	/* KICK_CPU: no PV_UNHALT */
	assert_int_equal(call(v, 0xdead, 0, 0, 0, 0, 0, false), 0xfffffc18);	/* 32-bit: (u32)-1000 */
	assert_int_equal(call(v, 0xdead, 0, 0, 0, 0, 3, true), (uint64_t)-1);	/* CPL 3: -KVM_EPERM */
	assert_int_equal(call(v, KVM_HC_VAPIC_POLL_IRQ, 0, 0, 0, 0, 0, true), 0);
	/* outside 64-bit mode the number is 32 bits: 0x1_0000_0001 is VAPIC_POLL_IRQ */
	assert_int_equal(call(v, 0x100000001ull, 0, 0, 0, 0, 0, false), 0);
	assert_int_equal(call(v, 0x100000001ull, 0, 0, 0, 0, 0, true), (uint64_t)-1000);
	/* other registers are not clobbered */
	v->gprs.r[GPR_RDI] = 0x1234;
	call(v, 0xdead, 0, 0, 0, 0, 0, true);
	assert_int_equal(v->gprs.r[GPR_RDI], 0x1234);
}

static void test_send_ipi(void **st)
{
	(void)st;
	struct vcpu *v = fixture_vm_start(PERSONALITY_KVM, &fixture_intel, 3);
	for (unsigned i = 0; i < 3; i++)
		vlapic_reg_write(apic_vm_vcpu(&fixture_vm.apic, i), APIC_REG_SPIV,
				 APIC_SPIV_ENABLE | 0xff);
	/* APIC IDs 1 and 2 (bits 0 and 1 from min 1), fixed vector 0x41 */
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x3, 0, 1, 0x41, 0, true), 2);
	assert_false(irr(0, 0x41));
	assert_true(irr(1, 0x41));
	assert_true(irr(2, 0x41));
	/* the high half starts at min + 64 in 64-bit mode: nobody there */
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0, 0x1, 0, 0x42, 0, true), 0);
	/* ... and at min + 32 outside it; a0's bits above 31 are cut off */
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x100000001ull, 0, 0, 0x43, 0, false), 1);
	assert_true(irr(0, 0x43));
	assert_false(irr(1, 0x43));
	/* IDs beyond the VM, a min beyond every APIC: nothing */
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x8, 0, 0, 0x44, 0, true), 0);
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x1, 0, 0xffffffff00000000ull, 0x45, 0, true), 1);
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x1, 0, 7, 0x46, 0, true), 0);
	/* logical destination or a shorthand: -KVM_EINVAL */
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x1, 0, 0, 0x841, 0, true), (uint64_t)-22);
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x1, 0, 0, 0xc0041, 0, true), (uint64_t)-22);
	/* an NMI by hypercall */
	assert_int_equal(call(v, KVM_HC_SEND_IPI, 0x4, 0, 0, 0x400, 0, true), 1);
	assert_true(apic_vm_vcpu(&fixture_vm.apic, 2)->nmi_pending);
}

/* Without the kvm personality there are no hypercalls: the caller injects #UD. */
static void test_other_personalities(void **st)
{
	(void)st;
	for (enum personality_id p = 0; p < PERSONALITY_COUNT; p++) {
		struct vcpu *v = fixture_vm_start(p, &fixture_amd, 1);
		v->gprs.r[GPR_RAX] = 0xdead;
		assert_int_equal(vcpu_hypercall(v, 0, true), p == PERSONALITY_KVM);
		assert_int_equal(vm_hypercalls_need_ud_intercept(&fixture_vm), p == PERSONALITY_KVM);
		if (p != PERSONALITY_KVM)
			assert_int_equal(v->gprs.r[GPR_RAX], 0xdead);
	}
}

/* VMCALL and VMMCALL at RIP (32-bit protected mode, paging off), and anything else. */
static void test_at_rip(void **st)
{
	(void)st;
	static uint8_t ram[0x3000];
	struct guest_mem mem = { ram, sizeof(ram), NULL, NULL };
	static const uint8_t code[][4] = {
		{ 0x0f, 0x01, 0xc1 },	/* VMCALL */
		{ 0x0f, 0x01, 0xd9 },	/* VMMCALL */
		{ 0x0f, 0x0b },		/* UD2 */
		{ 0xf3, 0x0f, 0x01, 0xc1 },	/* F3 VMCALL: not a hypercall */
	};
	static const enum x86_emul_status expect[] = { X86_EMUL_OK, X86_EMUL_OK, X86_EMUL_UD,
						       X86_EMUL_UD };
	enum personality_id ps[] = { PERSONALITY_KVM, PERSONALITY_NONE };
	for (unsigned p = 0; p < 2; p++) {
		for (unsigned i = 0; i < 4; i++) {
			struct vcpu *v = fixture_vm_start(ps[p], &fixture_amd, 1);
			struct x86_emul_cpu cpu = { .gprs = &v->gprs, .rip = 0x1000, .mode = X86_MODE_32,
						    .mem = &mem, .paging = { X86_CR0_PE, 0, 0, 0, 0 } };
			struct x86_emul_outcome out;
			memset(ram, 0x90, sizeof(ram));
			memcpy(ram + 0x1000, code[i], 4);
			v->gprs.r[GPR_RAX] = 0xdead;
			enum x86_emul_status s = vcpu_hypercall_at_rip(v, &cpu, X86_DECODE_AMD, &out);
			bool answered = ps[p] == PERSONALITY_KVM && expect[i] == X86_EMUL_OK;
			assert_int_equal(s, answered ? X86_EMUL_OK : X86_EMUL_UD);
			assert_int_equal(cpu.rip, answered ? 0x1003 : 0x1000);
			assert_int_equal(v->gprs.r[GPR_RAX], answered ? 0xfffffc18 : 0xdead);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_and_errors),
		cmocka_unit_test(test_send_ipi),
		cmocka_unit_test(test_other_personalities),
		cmocka_unit_test(test_at_rip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
