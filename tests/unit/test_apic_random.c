/* test_apic_random: randomized sequences against a reference model, checked after every step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

#define STEPS 6000
#define LEVEL_PIN 9
#define LEVEL_VECTOR 0x99
#define TIMER_VECTOR 0xd1
#define PIC_BASE 0x20

/*
 * The reference model: what the SDM says the state of vCPU0 must be. The real core
 * is driven with the same events (IPIs from vCPU1, self IPIs, an I/O APIC level line,
 * the timer, 8259 edges through LINT0, NMIs) and checked against it after each step.
 */
struct model {
	bool irr[256], isr[256];
	uint32_t tpr;
	bool nmi;
	uint8_t pic_irr, pic_isr;
	bool line, remote_irr;
	struct vlapic_requeued requeued;
	uint64_t accepted, delivered;	/* LAPIC fixed interrupts: newly requested vs injected */
};

static struct apic_vm vm;
static struct model m;
static uint64_t rng;
static uint64_t now;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rand_below(unsigned n)
{
	return (unsigned)(next_rand() % n);
}

static int model_highest(const bool *set)
{
	for (int v = 255; v >= 0; v--)
		if (set[v])
			return v;
	return -1;
}

static uint32_t model_ppr(void)
{
	int isrv = model_highest(m.isr);
	uint32_t isr_class = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0);
	return (m.tpr & 0xf0) >= isr_class ? m.tpr : isr_class;
}

static bool lapic_on(struct vlapic *v)
{
	return vlapic_sw_enabled(v);
}

static int model_deliverable(struct vlapic *v)
{
	int irrv = model_highest(m.irr);
	if (!lapic_on(v) || irrv < 0 || ((uint32_t)irrv & 0xf0) <= (model_ppr() & 0xf0))
		return -1;
	return irrv;
}

static int pic_deliverable(void)
{
	for (int b = 0; b < 8; b++) {
		if (m.pic_isr & (1u << b))
			return -1;
		if (m.pic_irr & (1u << b))
			return b;
	}
	return -1;
}

static void model_request(struct vlapic *v, uint8_t vector)
{
	if (!lapic_on(v))
		return;
	if (!m.irr[vector])
		m.accepted++;
	m.irr[vector] = true;
}

/* ---- guest actions ---------------------------------------------------------------- */

static bool x2apic(struct vlapic *v)
{
	return vlapic_mode(v) == VLAPIC_MODE_X2APIC;
}

static void guest_write(struct vlapic *v, unsigned reg, uint32_t value)
{
	if (x2apic(v))
		assert_int_equal(vlapic_msr_write(v, 0x800 + (reg >> 4), value), APIC_ACCESS_OK);
	else
		lapic_write(v, reg, value);
}

static void guest_eoi(struct vlapic *v)
{
	int vector = model_highest(m.isr);
	guest_write(v, APIC_REG_EOI, 0);
	if (vector < 0)
		return;
	m.isr[vector] = false;
	if (vector == LEVEL_VECTOR && m.remote_irr) {
		m.remote_irr = false;
		if (m.line) {		/* still asserted: the I/O APIC sends it again */
			m.remote_irr = true;
			model_request(v, LEVEL_VECTOR);
		}
	}
}

static void set_level_line(struct vlapic *v, bool level)
{
	vioapic_set_pin(&vm.ioapic, LEVEL_PIN, level);
	m.line = level;
	if (level && !m.remote_irr && lapic_on(v)) {
		m.remote_irr = true;
		model_request(v, LEVEL_VECTOR);
	}
}

static void pic_pulse(unsigned irq)
{
	vpic_set_irq(&vm.pic, irq, true);
	vpic_set_irq(&vm.pic, irq, false);
	m.pic_irr |= (uint8_t)(1u << irq);
}

static void pic_eoi(void)
{
	vpic_write_port(&vm.pic, 0x20, 0x20);
	for (int b = 0; b < 8; b++) {
		if (m.pic_isr & (1u << b)) {
			m.pic_isr &= (uint8_t)~(1u << b);
			break;
		}
	}
}

static uint8_t random_vector(void)
{
	for (;;) {
		uint8_t v = (uint8_t)(0x30 + rand_below(0xd0 - 0x30));
		if (v != LEVEL_VECTOR)
			return v;
	}
}

static void program_vcpu0(struct vlapic *v)
{
	guest_write(v, APIC_REG_SPIV, APIC_SPIV_ENABLE | 0xff);
	guest_write(v, APIC_REG_LVT_LINT0, APIC_DM_EXTINT << 8);
	guest_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | TIMER_VECTOR);
	guest_write(v, APIC_REG_TIMER_DCR, 0xb);
	guest_write(v, APIC_REG_TIMER_ICR, 700 + rand_below(3000));
}

/* Quiet points only: leaving and re-entering a mode resets the APIC (SDM 11.4.3). */
static void maybe_switch_mode(struct vlapic *v)
{
	uint64_t base = vlapic_get_apic_base(v);
	if (model_highest(m.irr) >= 0 || model_highest(m.isr) >= 0 || m.requeued.valid)
		return;
	if (!x2apic(v)) {
		assert_int_equal(vlapic_set_apic_base(v, base | APIC_BASE_EXTD), APIC_ACCESS_OK);
		return;
	}
	assert_int_equal(vlapic_set_apic_base(v, base & ~(APIC_BASE_EXTD | APIC_BASE_EN)),
			 APIC_ACCESS_OK);
	assert_int_equal(vlapic_set_apic_base(v, (base & ~APIC_BASE_EXTD)), APIC_ACCESS_OK);
	m.tpr = 0;
	program_vcpu0(v);
}

static void random_event(struct vlapic *v, struct vlapic *sender)
{
	unsigned r = rand_below(100);
	uint8_t vector = random_vector();

	if (r < 25) {		/* fixed IPI from vCPU1 */
		lapic_write(sender, APIC_REG_ICR_HI, 0);
		lapic_write(sender, APIC_REG_ICR_LO, vector);
		model_request(v, vector);
	} else if (r < 33) {	/* self IPI */
		if (x2apic(v))
			vlapic_msr_write(v, 0x83f, vector);
		else
			guest_write(v, APIC_REG_ICR_LO, vector | (APIC_SH_SELF << APIC_ICR_SHORTHAND_SHIFT));
		model_request(v, vector);
	} else if (r < 41) {
		set_level_line(v, !m.line);
	} else if (r < 49) {
		pic_pulse(3 + rand_below(5));
	} else if (r < 52) {
		lapic_write(sender, APIC_REG_ICR_LO, APIC_DM_NMI << 8);
		m.nmi = true;
	} else if (r < 70) {	/* the guest changes its TPR: CR8 (shadowed) or a register write */
		uint32_t tpr = rand_below(16) << 4 | rand_below(16);
		if (rand_below(2)) {
			bool below = (tpr >> 4) < v->tpr_threshold;
			vlapic_sync_tpr_from_vapic(v, (uint8_t)tpr);
			if (below)
				vlapic_tpr_below_threshold_exit(v);
		} else {
			guest_write(v, APIC_REG_TPR, tpr);
		}
		m.tpr = tpr;
	} else if (r < 85) {
		guest_eoi(v);
	} else if (r < 92) {
		if (m.pic_isr)
			pic_eoi();
	} else if (r < 95) {
		guest_write(v, APIC_REG_LVT_TIMER, APIC_LVT_TIMER_PERIODIC | TIMER_VECTOR |
			    (rand_below(2) ? APIC_LVT_MASKED : 0));
	} else if (r < 96) {
		maybe_switch_mode(v);
	}
}

/* ---- one VM entry, checked --------------------------------------------------------- */

static void check_state(struct vlapic *v, const struct apic_decision *d)
{
	uint64_t word;
	assert_true(apic_tpr_threshold_invariant_ok(d->tpr_threshold, d->tpr));
	assert_int_equal(d->tpr, m.tpr);
	assert_int_equal(v->ppr, model_ppr());
	for (unsigned i = 0; i < 8; i++) {
		uint32_t want_irr = 0, want_isr = 0;
		for (unsigned b = 0; b < 32; b++) {
			want_irr |= (uint32_t)m.irr[i * 32 + b] << b;
			want_isr |= (uint32_t)m.isr[i * 32 + b] << b;
		}
		vlapic_reg_read(v, APIC_REG_IRR0 + i * 16, &word);
		assert_int_equal(word, want_irr);
		vlapic_reg_read(v, APIC_REG_ISR0 + i * 16, &word);
		assert_int_equal(word, want_isr);
	}
}

static void entry(struct vlapic *v)
{
	struct apic_intr_state s = {
		.rflags_if = rand_below(10) < 7, .interrupt_shadow = rand_below(10) == 0,
		.event_pending = rand_below(20) == 0, .nmi_blocked = rand_below(10) == 0,
	};
	struct apic_decision d;
	uint64_t fired = vm.stats.timer_fired;
	int want_lapic, want_pic;
	bool maskable_ok = apic_interrupt_allowed(&s);

	now += 1 + rand_below(200);
	vlapic_timer_poll(v, now);
	if (vm.stats.timer_fired != fired && !(v->lvt[LVT_TIMER] & APIC_LVT_MASKED))
		model_request(v, TIMER_VECTOR);
	want_lapic = model_deliverable(v);
	want_pic = vlapic_lint0_accepts_pic(v) ? pic_deliverable() : -1;

	apic_decide(v, &s, now, &d);
	if (m.requeued.valid) {
		assert_int_equal(d.inject, !s.event_pending);
		if (d.inject) {
			assert_int_equal(d.source, m.requeued.source);
			assert_int_equal(apic_ack(v, &d), m.requeued.vector);
			m.requeued.valid = false;
		}
		return;
	}
	if (m.nmi && apic_nmi_allowed(&s)) {
		assert_true(d.inject);
		assert_int_equal(d.source, APIC_SRC_NMI);
		assert_int_equal(apic_ack(v, &d), 2);
		m.nmi = false;
		if (rand_below(8) == 0) {
			apic_requeue(v, APIC_SRC_NMI, 2);
			m.requeued = (struct vlapic_requeued){ true, APIC_SRC_NMI, 2 };
		}
		return;
	}
	assert_int_equal(d.nmi_window, m.nmi);
	if (want_pic >= 0) {
		if (!maskable_ok) {
			assert_false(d.inject);
			assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);
			return;
		}
		assert_true(d.inject);
		assert_int_equal(d.source, APIC_SRC_EXTINT);
		assert_int_equal(apic_ack(v, &d), PIC_BASE + want_pic);
		m.pic_irr &= (uint8_t)~(1u << want_pic);
		m.pic_isr |= (uint8_t)(1u << want_pic);
		if (rand_below(8) == 0) {
			apic_requeue(v, APIC_SRC_EXTINT, (uint8_t)(PIC_BASE + want_pic));
			m.requeued = (struct vlapic_requeued){ true, APIC_SRC_EXTINT,
							       (uint8_t)(PIC_BASE + want_pic) };
		}
		return;
	}
	if (want_lapic < 0) {
		assert_false(d.inject);
		assert_int_equal(d.irq_window, APIC_WINDOW_NONE);
		check_state(v, &d);
		return;
	}
	if (!maskable_ok) {
		assert_false(d.inject);
		assert_int_equal(d.irq_window, APIC_WINDOW_LAPIC);
		check_state(v, &d);
		return;
	}
	assert_true(d.inject);
	assert_int_equal(d.source, APIC_SRC_LAPIC);
	assert_int_equal(apic_ack(v, &d), want_lapic);	/* highest priority first */
	m.irr[want_lapic] = false;
	m.isr[want_lapic] = true;
	m.delivered++;
	check_state(v, &d);
}

static void run(uint64_t seed)
{
	struct apic_vm_config cfg = harness_config(2);
	struct vlapic *v = &vm.vcpu[0], *sender = &vm.vcpu[1];
	cfg.storm_threshold = 1u << 30;
	assert_true(harness_start(&vm, &cfg));
	memset(&m, 0, sizeof(m));
	rng = seed;
	now = 0;
	pic_linux_init(&vm.pic, PIC_BASE);
	vpic_write_port(&vm.pic, 0xa1, 0xff);
	lapic_enable(sender);
	program_vcpu0(v);
	ioapic_write_rte(&vm, LEVEL_PIN, rte_fixed(LEVEL_VECTOR, 0, true));

	for (int step = 0; step < STEPS; step++) {
		random_event(v, sender);
		entry(v);
	}
	/* Drain: the guest serves everything; every accepted interrupt is delivered once. */
	set_level_line(v, false);
	guest_write(v, APIC_REG_LVT_TIMER, APIC_LVT_MASKED);
	vlapic_sync_tpr_from_vapic(v, 0);
	m.tpr = 0;
	for (int i = 0; i < 2000; i++) {
		struct apic_decision d;
		int vector = enter_guest(v, intr_open(), now, &d);
		if (vector >= 0 && d.source == APIC_SRC_LAPIC) {
			m.irr[vector] = false;
			m.delivered++;
		}
		if (vector >= PIC_BASE && vector < PIC_BASE + 8 && d.source == APIC_SRC_EXTINT)
			pic_eoi();
		guest_write(v, APIC_REG_EOI, 0);
	}
	assert_int_equal(model_highest(m.irr), -1);
	assert_int_equal(m.delivered, m.accepted);
	assert_true(m.accepted > STEPS / 10);
	print_message("seed %llu: %llu LAPIC interrupts accepted and delivered, %llu ExtINT, %llu NMI\n",
		      (unsigned long long)seed, (unsigned long long)m.accepted,
		      (unsigned long long)vm.stats.inject_extint,
		      (unsigned long long)vm.stats.inject_nmi);
}

static void test_seed_1(void **state) { (void)state; run(0x9e3779b97f4a7c15ull); }
static void test_seed_2(void **state) { (void)state; run(0x0123456789abcdefull); }
static void test_seed_3(void **state) { (void)state; run(42); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_1),
		cmocka_unit_test(test_seed_2),
		cmocka_unit_test(test_seed_3),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
