/* test_vlapic_regs: every vLAPIC register: reset values, masks, ESR, timer, x2APIC #GP, APIC base. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

static struct apic_vm vm;

static int setup(void **state)
{
	struct apic_vm_config cfg = harness_config(2);
	(void)state;
	capture_reset();
	harness_reset_counters();
	cfg.tsc.tsc_hz = 2000000000ull;
	assert_true(apic_vm_init(&vm, &cfg));
	return 0;
}

static void to_x2apic(struct vlapic *v)
{
	uint64_t base = vlapic_get_apic_base(v);
	assert_int_equal(vlapic_msr_write(v, MSR_IA32_APIC_BASE, base | APIC_BASE_EXTD), APIC_ACCESS_OK);
}

static void test_reset_values(void **state)
{
	struct vlapic *ap = &vm.vcpu[1];
	(void)state;
	assert_int_equal(lapic_read(ap, APIC_REG_ID), 1u << 24);
	assert_int_equal(lapic_read(ap, APIC_REG_VERSION), 0x14 | (6u << 16) | (1u << 24));
	assert_int_equal(lapic_read(ap, APIC_REG_TPR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_PPR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_APR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_LDR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_DFR), 0xffffffffu);
	assert_int_equal(lapic_read(ap, APIC_REG_SPIV), 0xff);
	assert_int_equal(lapic_read(ap, APIC_REG_ESR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_EOI), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_RRD), 0);
	for (unsigned off = APIC_REG_LVT_TIMER; off <= APIC_REG_LVT_ERROR; off += 0x10)
		assert_int_equal(lapic_read(ap, off), APIC_LVT_MASKED);
	assert_int_equal(lapic_read(ap, APIC_REG_LVT_CMCI), APIC_LVT_MASKED);
	for (unsigned off = APIC_REG_ISR0; off < APIC_REG_ESR; off += 0x10)
		assert_int_equal(lapic_read(ap, off), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_TIMER_ICR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_TIMER_CCR), 0);
	assert_int_equal(lapic_read(ap, APIC_REG_TIMER_DCR), 0);
	assert_int_equal(vlapic_get_apic_base(&vm.vcpu[0]), 0xfee00900u);
	assert_int_equal(vlapic_get_apic_base(ap), 0xfee00800u);
}

static void test_tpr_ppr_apr(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_TPR, 0x35);
	assert_int_equal(lapic_read(v, APIC_REG_PPR), 0x35);
	lapic_write(v, APIC_REG_TPR, 0x1ff);	/* only 8 bits */
	assert_int_equal(lapic_read(v, APIC_REG_TPR), 0xff);
	lapic_write(v, APIC_REG_TPR, 0x35);
	vlapic_accept_fixed(v, 0x61, false);
	assert_int_equal(vlapic_highest_deliverable(v), 0x61);
	vlapic_ack_interrupt(v, 0x61);
	/* PPR: ISRV class above the TPR class wins, low nibble 0 (SDM 11.8.3.1). */
	assert_int_equal(lapic_read(v, APIC_REG_PPR), 0x60);
	assert_int_equal(lapic_read(v, APIC_REG_ISR0 + 0x30), 1u << 1);
	assert_int_equal(lapic_read(v, APIC_REG_APR), 0x60);
	lapic_write(v, APIC_REG_TPR, 0x75);
	assert_int_equal(lapic_read(v, APIC_REG_PPR), 0x75);
	assert_int_equal(lapic_read(v, APIC_REG_APR), 0x75);
	vlapic_accept_fixed(v, 0x92, false);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x40), 1u << 18);
	assert_int_equal(lapic_read(v, APIC_REG_APR), 0x90);
	/* Same class as the PPR is not deliverable; above it is. */
	vlapic_accept_fixed(v, 0x7f, false);
	lapic_write(v, APIC_REG_TPR, 0x95);
	assert_int_equal(vlapic_highest_deliverable(v), -1);
	lapic_write(v, APIC_REG_TPR, 0x80);
	assert_int_equal(vlapic_highest_deliverable(v), 0x92);
}

static void test_eoi_retires_highest(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	vlapic_accept_fixed(v, 0x40, false);
	vlapic_ack_interrupt(v, 0x40);
	vlapic_accept_fixed(v, 0x80, true);
	vlapic_ack_interrupt(v, 0x80);
	assert_int_equal(lapic_read(v, APIC_REG_TMR0 + 0x40), 1);
	lapic_write(v, APIC_REG_EOI, 0);
	assert_int_equal(lapic_read(v, APIC_REG_ISR0 + 0x40), 0);
	assert_int_equal(lapic_read(v, APIC_REG_ISR0 + 0x20), 1);
	assert_int_equal(vm.stats.eoi_broadcast, 1);	/* level: broadcast to the I/O APIC */
	lapic_write(v, APIC_REG_EOI, 0);
	lapic_write(v, APIC_REG_EOI, 0);
	assert_int_equal(vm.stats.eoi, 2);
	assert_int_equal(vm.stats.eoi_spurious, 1);
	assert_int_equal(lapic_read(v, APIC_REG_PPR), 0);
}

static void test_ldr_dfr_spiv(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_write(v, APIC_REG_LDR, 0x12345678);
	assert_int_equal(lapic_read(v, APIC_REG_LDR), 0x12000000);
	lapic_write(v, APIC_REG_DFR, 0x0);
	assert_int_equal(lapic_read(v, APIC_REG_DFR), 0x0fffffff);
	lapic_write(v, APIC_REG_SPIV, 0xffffffff);
	assert_int_equal(lapic_read(v, APIC_REG_SPIV), 0x13ff);
	/* Software-disable masks every LVT and keeps it masked. */
	lapic_write(v, APIC_REG_LVT_LINT0, APIC_DM_EXTINT << 8);
	assert_int_equal(lapic_read(v, APIC_REG_LVT_LINT0), APIC_DM_EXTINT << 8);
	lapic_write(v, APIC_REG_SPIV, 0xff);
	assert_true(lapic_read(v, APIC_REG_LVT_LINT0) & APIC_LVT_MASKED);
	lapic_write(v, APIC_REG_LVT_TIMER, 0x40);
	assert_int_equal(lapic_read(v, APIC_REG_LVT_TIMER), APIC_LVT_MASKED | 0x40);
	/* ... and fixed interrupts are not accepted. */
	assert_false(vlapic_accept_fixed(v, 0x50, false));
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 0);
	lapic_enable(v);
	assert_true(vlapic_accept_fixed(v, 0x50, false));
	assert_false(vlapic_accept_fixed(v, 0x50, false));	/* coalesced */
	assert_int_equal(vm.stats.coalesced, 1);
}

static void test_lvt_write_masks(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	static const struct { unsigned off; uint32_t mask; } lvts[] = {
		{ APIC_REG_LVT_TIMER, 0x700ff }, { APIC_REG_LVT_THERMAL, 0x107ff },
		{ APIC_REG_LVT_PERF, 0x107ff }, { APIC_REG_LVT_LINT0, 0x1a7ff },
		{ APIC_REG_LVT_LINT1, 0x1a7ff }, { APIC_REG_LVT_ERROR, 0x100ff },
		{ APIC_REG_LVT_CMCI, 0x107ff },
	};
	(void)state;
	lapic_enable(v);
	for (unsigned i = 0; i < sizeof(lvts) / sizeof(lvts[0]); i++) {
		lapic_write(v, lvts[i].off, 0xffffffff);
		assert_int_equal(lapic_read(v, lvts[i].off), lvts[i].mask);
	}
}

static void test_esr(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_LVT_ERROR, 0xe0);
	lapic_write(v, APIC_REG_ICR_LO, 0x05 | (APIC_SH_SELF << APIC_ICR_SHORTHAND_SHIFT));
	assert_int_equal(lapic_read(v, APIC_REG_ESR), 0);	/* not latched until written */
	lapic_write(v, APIC_REG_ESR, 0);
	assert_int_equal(lapic_read(v, APIC_REG_ESR), APIC_ESR_SEND_ILLEGAL_VECTOR);
	assert_true(lapic_read(v, APIC_REG_IRR0 + 0x70) & 1);	/* the error LVT fired 0xe0 */
	vlapic_accept_fixed(v, 3, false);
	(void)lapic_read(v, 0x3a0);				/* no register there */
	lapic_write(v, APIC_REG_ESR, 0);
	assert_int_equal(lapic_read(v, APIC_REG_ESR),
			 APIC_ESR_RECV_ILLEGAL_VECTOR | APIC_ESR_ILLEGAL_REGISTER);
	lapic_write(v, APIC_REG_ESR, 0);
	assert_int_equal(lapic_read(v, APIC_REG_ESR), 0);
	/* An illegal vector in the error LVT itself reports once and stops. */
	lapic_write(v, APIC_REG_LVT_ERROR, 0x02);
	lapic_write(v, APIC_REG_SELF_IPI, 0x30);		/* xAPIC has no SELF IPI register */
	lapic_write(v, APIC_REG_ESR, 0);
	assert_int_equal(lapic_read(v, APIC_REG_ESR),
			 APIC_ESR_ILLEGAL_REGISTER | APIC_ESR_RECV_ILLEGAL_VECTOR);
}

static void test_timer_oneshot(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	vlapic_set_clock(v, 1000);
	lapic_write(v, APIC_REG_TIMER_DCR, 0xb);		/* divide by 1 */
	lapic_write(v, APIC_REG_LVT_TIMER, 0x40);
	lapic_write(v, APIC_REG_TIMER_ICR, 1000);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 2000);
	vlapic_set_clock(v, 1400);
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_CCR), 600);
	vlapic_timer_poll(v, 1999);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 0);
	vlapic_timer_poll(v, 2000);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 1);
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_CCR), 0);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), UINT64_MAX);
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_ICR), 1000);
	/* ICR 0 stops a running count. */
	lapic_write(v, APIC_REG_TIMER_ICR, 50);
	lapic_write(v, APIC_REG_TIMER_ICR, 0);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), UINT64_MAX);
	/* Time never runs backwards. */
	vlapic_set_clock(v, 5);
	assert_int_equal(v->now_ns, 2000);
}

static void test_timer_periodic_and_divide(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | APIC_LVT_MASKED | 0x41);
	lapic_write(v, APIC_REG_TIMER_ICR, 100);		/* DCR 0: divide by 2 */
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 200);
	vlapic_timer_poll(v, 200);
	assert_int_equal(vm.stats.timer_fired, 1);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 0);	/* masked: counts, no IRQ */
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 400);
	vlapic_timer_poll(v, 1050);				/* missed periods fire once */
	assert_int_equal(vm.stats.timer_fired, 2);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 1200);
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_CCR), 75);
	lapic_write(v, APIC_REG_TIMER_DCR, 0x1);		/* divide by 4: 75 ticks left */
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_DCR), 1);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 1050 + 300);
	lapic_write(v, APIC_REG_TIMER_DCR, 0xa);		/* 1010: divide by 128 */
	assert_int_equal(v->timer.divide, 128);
	/* Changing the mode disarms. */
	lapic_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | 0x41);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), UINT64_MAX);
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_ICR), 0);
}

/*
 * A periodic timer whose vector still waits in IRR needs no wake-up: its expirations merge
 * (SDM 11.8.4). Before, every period asked for one, and a period shorter than an exit
 * kept the vCPU exiting without running (the stress guest under Bochs). The merged
 * expirations are polled before the ack, so the next deadline after it lies ahead.
 */
static void test_timer_periodic_pending_needs_no_wakeup(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_TIMER_DCR, 0xb);		/* divide by 1 */
	lapic_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | 0x41);
	lapic_write(v, APIC_REG_TIMER_ICR, 100);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 100);
	vlapic_timer_poll(v, 100);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 1u << 1);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), UINT64_MAX);
	/* Blocked by a TPR of class 4: still no wake-up for the periods that pass. */
	lapic_write(v, APIC_REG_TPR, 0x40);
	assert_int_equal(enter_guest(v, intr_open(), 550, &d), -1);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), UINT64_MAX);
	assert_int_equal(vm.stats.timer_fired, 2);
	/* Accepted at 1050: the periods since merged, the next expiration is ahead on the grid. */
	lapic_write(v, APIC_REG_TPR, 0);
	assert_int_equal(enter_guest(v, intr_open(), 1050, &d), 0x41);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 0);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 1100);
	/* Masked, the timer raises nothing in IRR and its deadline stays in force. */
	lapic_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | APIC_LVT_MASKED | 0x41);
	vlapic_timer_poll(v, 1100);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 1200);
}

static void test_timer_tsc_deadline(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	uint64_t value;
	(void)state;
	lapic_enable(v);
	/* Outside TSC-deadline mode the MSR reads 0 and writes are ignored. */
	assert_int_equal(vlapic_msr_write(v, MSR_IA32_TSC_DEADLINE, 5000), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, MSR_IA32_TSC_DEADLINE, &value), APIC_ACCESS_OK);
	assert_int_equal(value, 0);
	lapic_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_TSCDL | 0x42);
	lapic_write(v, APIC_REG_TIMER_ICR, 10);			/* ignored in this mode */
	assert_int_equal(lapic_read(v, APIC_REG_TIMER_ICR), 0);
	vlapic_msr_write(v, MSR_IA32_TSC_DEADLINE, 2001);	/* 2 GHz: ns 1000.5 -> 1001 */
	vlapic_msr_read(v, MSR_IA32_TSC_DEADLINE, &value);
	assert_int_equal(value, 2001);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 1001);
	vlapic_timer_poll(v, 1000);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 0);
	vlapic_timer_poll(v, 1001);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x20), 1u << 2);
	vlapic_msr_read(v, MSR_IA32_TSC_DEADLINE, &value);
	assert_int_equal(value, 0);
	vlapic_msr_write(v, MSR_IA32_TSC_DEADLINE, 9000);
	vlapic_msr_write(v, MSR_IA32_TSC_DEADLINE, 0);		/* 0 disarms */
	assert_int_equal(vlapic_timer_next_deadline_ns(v), UINT64_MAX);
	assert_int_equal(apic_tsc_from_ns(&vm.cfg.tsc, 1000), 2000);
	assert_int_equal(apic_ns_from_tsc(&vm.cfg.tsc, 0), 0);
}

/* After a write to IA32_TSC the vCPU's TSC is offset from the VM clock, and a deadline is
 * due when the *guest's* count reaches it (SDM 11.5.4.1, 17.17): armed ones move too. */
static void test_timer_tsc_deadline_after_tsc_write(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_TSCDL | 0x42);
	vlapic_msr_write(v, MSR_IA32_TSC_DEADLINE, 4000);	/* 2 GHz: ns 2000 */
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 2000);
	/* The guest's TSC is now 1000 ticks ahead of the VM clock's: 4000 comes 500 ns sooner. */
	vlapic_timer_set_tsc_offset(v, 1000);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 1500);
	/* Moved back by 2000 ticks (offset wraps): a new deadline of 4000 is 3000 ns away. */
	vlapic_timer_set_tsc_offset(v, (uint64_t)-2000);
	vlapic_msr_write(v, MSR_IA32_TSC_DEADLINE, 4000);
	assert_int_equal(vlapic_timer_next_deadline_ns(v), 3000);
	/* INIT keeps the TSC (and its offset). */
	vlapic_init_reset(v);
	assert_int_equal(v->timer.tsc_offset, (uint64_t)-2000);
}

static void test_x2apic_view(void **state)
{
	struct vlapic *v = &vm.vcpu[1];
	uint64_t value;
	(void)state;
	/* x2APIC MSRs fault outside x2APIC mode. */
	assert_int_equal(vlapic_msr_read(v, 0x802, &value), APIC_ACCESS_GP);
	to_x2apic(v);
	assert_int_equal(vlapic_msr_read(v, 0x802, &value), APIC_ACCESS_OK);
	assert_int_equal(value, 1);
	assert_int_equal(vlapic_msr_read(v, 0x80d, &value), APIC_ACCESS_OK);
	assert_int_equal(value, (0u << 16) | (1u << 1));
	/* The xAPIC page is gone. */
	assert_int_equal(lapic_read(v, APIC_REG_ID), 0xffffffffu);
	/* Non-existent and write-only registers #GP on read. */
	static const uint32_t no_read[] = { 0x809, 0x80b, 0x80c, 0x80e, 0x831, 0x83f, 0x801, 0x8ff };
	for (unsigned i = 0; i < sizeof(no_read) / sizeof(no_read[0]); i++)
		assert_int_equal(vlapic_msr_read(v, no_read[i], &value), APIC_ACCESS_GP);
	/* Read-only and non-existent registers #GP on write. */
	static const uint32_t no_write[] = { 0x802, 0x803, 0x809, 0x80a, 0x80d, 0x80e, 0x810, 0x818,
					     0x820, 0x831, 0x839 };
	for (unsigned i = 0; i < sizeof(no_write) / sizeof(no_write[0]); i++)
		assert_int_equal(vlapic_msr_write(v, no_write[i], 0), APIC_ACCESS_GP);
	/* Reserved bits #GP. */
	assert_int_equal(vlapic_msr_write(v, 0x808, 0x100), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x808, 1ull << 32), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x80b, 1), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x828, 1), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x830, 0x30 | APIC_ICR_BUSY), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x830, 0x30 | (1u << 13)), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x830, 0x30 | (1u << 20)), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x832, 1u << 19), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x837, 0x700), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x83e, 0x4), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x83f, 0x100), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_write(v, 0x1234, 0), APIC_ACCESS_GP);
	assert_int_equal(vlapic_msr_read(v, 0x1234, &value), APIC_ACCESS_GP);
	assert_true(vm.stats.gp_faults >= 30);
	/* Legal writes. */
	assert_int_equal(vlapic_msr_write(v, 0x80f, APIC_SPIV_ENABLE | 0xff), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_write(v, 0x808, 0x20), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x808, &value), APIC_ACCESS_OK);
	assert_int_equal(value, 0x20);
	assert_int_equal(vlapic_msr_write(v, 0x828, 0), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_write(v, 0x83f, 0x55), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x822, &value), APIC_ACCESS_OK);	/* IRR 0x40-0x5f */
	assert_int_equal(value, 1u << (0x55 - 64));
	assert_int_equal(vlapic_msr_write(v, 0x83f, 0x05), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_write(v, 0x828, 0), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x828, &value), APIC_ACCESS_OK);
	assert_int_equal(value, APIC_ESR_SEND_ILLEGAL_VECTOR);
	/* The 64-bit ICR: destination in bits 63:32. */
	assert_int_equal(vlapic_msr_write(v, 0x830, (1ull << 32) | 0x66), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x830, &value), APIC_ACCESS_OK);
	assert_int_equal(value, (1ull << 32) | 0x66);
	assert_int_equal(vlapic_msr_read(v, 0x823, &value), APIC_ACCESS_OK);	/* IRR 0x60-0x7f */
	assert_int_equal(value, 1u << (0x66 - 96));
	assert_int_equal(vlapic_msr_write(v, 0x80b, 0), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_write(v, 0x838, 0xffffffff), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x839, &value), APIC_ACCESS_OK);
	assert_int_equal(value, 0xffffffff);
	/* Read-only LVT bits are not reserved: Linux's disconnect_bsp_APIC writes LINT0 as
	 * ExtINT with delivery status and remote IRR set; they keep their own values. */
	assert_int_equal(vlapic_msr_write(v, 0x835, 0x5700), APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x835, &value), APIC_ACCESS_OK);
	assert_int_equal(value, 0x700);
	assert_int_equal(vlapic_msr_write(v, 0x832, 0x10000 | APIC_LVT_DELIV_STATUS | 0x40),
			 APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_read(v, 0x832, &value), APIC_ACCESS_OK);
	assert_int_equal(value, 0x10040);
	assert_int_equal(vlapic_msr_write(v, 0x832, APIC_LVT_REMOTE_IRR | 0x40), APIC_ACCESS_GP);
}

static void test_apic_base_transitions(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	uint64_t xapic = APIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_BSP;
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_TPR, 0x40);
	/* Reserved bits, EXTD without EN, beyond MAXPHYADDR (39). */
	assert_int_equal(vlapic_set_apic_base(v, xapic | 1), APIC_ACCESS_GP);
	assert_int_equal(vlapic_set_apic_base(v, xapic | (1u << 9)), APIC_ACCESS_GP);
	assert_int_equal(vlapic_set_apic_base(v, APIC_DEFAULT_BASE | APIC_BASE_EXTD), APIC_ACCESS_GP);
	assert_int_equal(vlapic_set_apic_base(v, xapic | (1ull << 39)), APIC_ACCESS_GP);
	/* xAPIC -> x2APIC -> (no way back to xAPIC) -> disabled -> (not to x2APIC) -> xAPIC. */
	assert_int_equal(vlapic_set_apic_base(v, xapic | APIC_BASE_EXTD), APIC_ACCESS_OK);
	assert_int_equal(vlapic_mode(v), VLAPIC_MODE_X2APIC);
	assert_int_equal(v->tpr, 0x40);				/* state kept */
	assert_int_equal(vlapic_set_apic_base(v, xapic), APIC_ACCESS_GP);
	assert_int_equal(vlapic_set_apic_base(v, APIC_DEFAULT_BASE), APIC_ACCESS_OK);
	assert_int_equal(vlapic_mode(v), VLAPIC_MODE_DISABLED);
	assert_int_equal(vlapic_get_apic_base(v), APIC_DEFAULT_BASE | APIC_BASE_BSP);
	assert_int_equal(vlapic_set_apic_base(v, xapic | APIC_BASE_EXTD), APIC_ACCESS_GP);
	assert_int_equal(vlapic_set_apic_base(v, xapic & ~APIC_BASE_BSP), APIC_ACCESS_OK);
	assert_int_equal(vlapic_get_apic_base(v), xapic);		/* BSP is not the guest's */
	assert_int_equal(lapic_read(v, APIC_REG_TPR), 0);		/* reset by the disable */
	assert_int_equal(lapic_read(v, APIC_REG_SPIV), 0xff);
	/* Relocating the page inhibits APIC virtualization. */
	assert_false(apic_inhibit_test(&vm, APIC_INHIBIT_APIC_BASE_MODIFIED));
	assert_int_equal(vlapic_msr_write(v, MSR_IA32_APIC_BASE, 0xfed00000 | APIC_BASE_EN),
			 APIC_ACCESS_OK);
	assert_true(apic_inhibit_test(&vm, APIC_INHIBIT_APIC_BASE_MODIFIED));
	assert_int_equal(vlapic_msr_write(v, MSR_IA32_APIC_BASE, 0x1), APIC_ACCESS_GP);
	/* Without x2APIC in CPUID, EXTD is reserved. */
	vm.cfg.x2apic = false;
	assert_int_equal(vlapic_set_apic_base(v, xapic | APIC_BASE_EXTD), APIC_ACCESS_GP);
}

static void test_mmio_access_rules(void **state)
{
	struct vlapic *v = &vm.vcpu[1];
	(void)state;
	lapic_enable(v);
	assert_int_equal(vlapic_mmio_ops.read(v, APIC_REG_ID + 3, 1), 1);
	assert_int_equal(vlapic_mmio_ops.read(v, APIC_REG_VERSION, 2), 0x0014);
	assert_int_equal(vlapic_mmio_ops.read(v, APIC_REG_ID + 4, 4), 0);
	assert_int_equal(vlapic_mmio_ops.read(v, 0x2000, 4), 0);
	vlapic_mmio_ops.write(v, APIC_REG_TPR, 2, 0x50);
	vlapic_mmio_ops.write(v, APIC_REG_TPR + 4, 4, 0x50);
	assert_int_equal(lapic_read(v, APIC_REG_TPR), 0);
	assert_int_equal(vm.stats.bad_accesses, 4);
	lapic_write(v, APIC_REG_VERSION, 0);			/* read-only: dropped */
	lapic_write(v, APIC_REG_PPR, 0x50);
	lapic_write(v, APIC_REG_IRR0, 0xffffffff);
	assert_int_equal(lapic_read(v, APIC_REG_IRR0), 0);
	assert_int_equal(lapic_read(v, APIC_REG_PPR), 0);
	lapic_write(v, APIC_REG_ID, 0x07000000);		/* xAPIC ID is writable */
	assert_int_equal(lapic_read(v, APIC_REG_ID), 0x07000000);
	assert_true(apic_inhibit_test(&vm, APIC_INHIBIT_APIC_ID_MODIFIED));
	lapic_write(v, APIC_REG_ICR_HI, 0xffffffff);
	assert_int_equal(lapic_read(v, APIC_REG_ICR_HI), 0xff000000);
	vlapic_set_apic_base(v, APIC_DEFAULT_BASE);		/* disabled: page not decoded */
	assert_int_equal(vlapic_mmio_ops.read(v, APIC_REG_ID, 4), 0xffffffffu);
	lapic_write(v, APIC_REG_TPR, 0x50);
	assert_int_equal(v->tpr, 0);
}

static void test_lint_pins(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;
	lapic_enable(v);
	lapic_write(v, APIC_REG_LVT_LINT1, APIC_DM_NMI << 8);
	vlapic_set_lint(v, 1, true);
	assert_int_equal(v->nmi_pending, 1);
	v->nmi_pending = 0;
	vlapic_set_lint(v, 1, true);				/* no new edge */
	assert_int_equal(v->nmi_pending, 0);
	vlapic_set_lint(v, 1, false);
	/* LINT0 level-triggered fixed: Remote IRR until the EOI. */
	lapic_write(v, APIC_REG_LVT_LINT0, APIC_LVT_LEVEL | 0x70);
	vlapic_set_lint(v, 0, true);
	assert_true(lapic_read(v, APIC_REG_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	assert_int_equal(vlapic_highest_deliverable(v), 0x70);
	vlapic_ack_interrupt(v, 0x70);
	vlapic_set_lint(v, 0, true);				/* Remote IRR blocks */
	assert_int_equal(lapic_read(v, APIC_REG_IRR0 + 0x30), 0);
	lapic_write(v, APIC_REG_EOI, 0);
	assert_false(lapic_read(v, APIC_REG_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	/* SMI and INIT through LINT; a reserved mode is refused. */
	lapic_write(v, APIC_REG_LVT_LINT1, APIC_DM_SMI << 8);
	vlapic_set_lint(v, 1, false);
	vlapic_set_lint(v, 1, true);
	assert_int_equal(vm.stats.smi_dropped, 1);
	lapic_write(v, APIC_REG_LVT_LINT1, 6u << 8);
	vlapic_set_lint(v, 1, false);
	vlapic_set_lint(v, 1, true);
	lapic_write(v, APIC_REG_LVT_LINT1, APIC_DM_INIT << 8);
	vlapic_set_lint(v, 1, false);
	vlapic_set_lint(v, 1, true);
	assert_int_equal(v->init_pending, 1);
	/* A hardware-disabled APIC passes LINT1 through as the NMI pin. */
	vlapic_set_apic_base(v, APIC_DEFAULT_BASE);
	vlapic_set_lint(v, 1, false);
	vlapic_set_lint(v, 1, true);
	assert_int_equal(v->nmi_pending, 1);
	assert_true(vlapic_lint0_accepts_pic(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_tpr_ppr_apr, setup),
		cmocka_unit_test_setup(test_eoi_retires_highest, setup),
		cmocka_unit_test_setup(test_ldr_dfr_spiv, setup),
		cmocka_unit_test_setup(test_lvt_write_masks, setup),
		cmocka_unit_test_setup(test_esr, setup),
		cmocka_unit_test_setup(test_timer_oneshot, setup),
		cmocka_unit_test_setup(test_timer_periodic_and_divide, setup),
		cmocka_unit_test_setup(test_timer_periodic_pending_needs_no_wakeup, setup),
		cmocka_unit_test_setup(test_timer_tsc_deadline, setup),
		cmocka_unit_test_setup(test_timer_tsc_deadline_after_tsc_write, setup),
		cmocka_unit_test_setup(test_x2apic_view, setup),
		cmocka_unit_test_setup(test_apic_base_transitions, setup),
		cmocka_unit_test_setup(test_mmio_access_rules, setup),
		cmocka_unit_test_setup(test_lint_pins, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
