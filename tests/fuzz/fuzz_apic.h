/* fuzz_apic: the small VM of apic/ the vLAPIC and vIOAPIC targets drive, and its checks. */
#ifndef NESTOR_TESTS_FUZZ_FUZZ_APIC_H
#define NESTOR_TESTS_FUZZ_FUZZ_APIC_H

#include <string.h>

#include "apic/apic_arbiter.h"
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"
#include "tests/fuzz/fuzz.h"

#define MAX_VCPUS 4

static struct apic_vm vm;
static uint64_t now;

static void kick(void *ctx, unsigned vcpu_id)
{
	(void)ctx;
	(void)vcpu_id;
}

static uint32_t expected_ppr(const struct vlapic *v)
{
	int isrv = vec256_highest(&v->isr);
	uint32_t isr_class = isrv < 0 ? 0 : ((uint32_t)isrv & 0xf0);
	return (v->tpr & 0xf0) >= isr_class ? v->tpr : isr_class;
}

static void check_vcpu(struct vlapic *v)
{
	FUZZ_CHECK(v->ppr == expected_ppr(v), "vcpu %u PPR %#x, TPR %#x, ISRV %d", v->vcpu_id,
		   v->ppr, v->tpr, vec256_highest(&v->isr));
	FUZZ_CHECK(v->tpr <= 0xff, "vcpu %u TPR %#x", v->vcpu_id, v->tpr);
	if (vlapic_mode(v) == VLAPIC_MODE_DISABLED)
		return;
	for (unsigned i = 0; i < 8; i++) {
		uint64_t irr = 0, isr = 0, tmr = 0;
		vlapic_reg_read(v, APIC_REG_IRR0 + i * 16, &irr);
		vlapic_reg_read(v, APIC_REG_ISR0 + i * 16, &isr);
		vlapic_reg_read(v, APIC_REG_TMR0 + i * 16, &tmr);
		FUZZ_CHECK(irr == v->irr.w[i] && isr == v->isr.w[i] && tmr == v->tmr.w[i],
			   "vcpu %u word %u: registers %#llx/%#llx/%#llx vs sets %#x/%#x/%#x",
			   v->vcpu_id, i, (unsigned long long)irr, (unsigned long long)isr,
			   (unsigned long long)tmr, v->irr.w[i], v->isr.w[i], v->tmr.w[i]);
	}
}

static void check_all(void)
{
	for (unsigned i = 0; i < vm.cfg.nr_vcpus; i++)
		check_vcpu(&vm.vcpu[i]);
}

/* One VM entry as a backend does it; returns the injected vector or -1. */
static int enter(struct vlapic *v, const struct apic_intr_state *s, bool requeue)
{
	struct apic_init_sipi is;
	struct apic_decision d;
	struct vlapic_requeued rq;
	struct vec256 irr_before;
	uint32_t ppr_before;
	bool nmi_before;
	int highest_before;
	uint8_t vector;

	apic_take_init_sipi(v, &is);
	if (v->wait_for_sipi)
		return -1;	/* an AP waiting for SIPI does not run */
	rq = v->requeued;
	apic_decide(v, s, now, &d);
	FUZZ_CHECK(apic_tpr_threshold_invariant_ok(d.tpr_threshold, d.tpr),
		   "vcpu %u: TPR_THRESHOLD %u above VTPR %#x (SDM 26.2.1.1)", v->vcpu_id,
		   d.tpr_threshold, d.tpr);
	FUZZ_CHECK(d.tpr == v->tpr && d.v_tpr == v->tpr >> 4, "vcpu %u: decision TPR %#x vs %#x",
		   v->vcpu_id, d.tpr, v->tpr);
	if (!d.inject)
		return -1;
	FUZZ_CHECK(apic_interrupt_allowed(s) || d.source == APIC_SRC_NMI || rq.valid,
		   "vcpu %u: maskable injection with interrupts blocked", v->vcpu_id);
	if (rq.valid && !s->event_pending) {
		FUZZ_CHECK(d.source == rq.source && d.vector == rq.vector,
			   "vcpu %u: requeued %u/%#x, injected %u/%#x", v->vcpu_id, rq.source,
			   rq.vector, d.source, d.vector);
		vector = apic_ack(v, &d);
		FUZZ_CHECK(vector == rq.vector && !v->requeued.valid, "vcpu %u: requeue ack",
			   v->vcpu_id);
		return vector;
	}
	irr_before = v->irr;
	ppr_before = v->ppr;
	nmi_before = v->nmi_pending;
	highest_before = vec256_highest(&v->irr);
	vector = apic_ack(v, &d);
	if (d.source == APIC_SRC_LAPIC) {
		FUZZ_CHECK(vlapic_sw_enabled(v), "vcpu %u: vector %#x from a disabled APIC",
			   v->vcpu_id, vector);
		FUZZ_CHECK(vec256_test(&irr_before, vector), "vcpu %u: vector %#x was not in IRR",
			   v->vcpu_id, vector);
		FUZZ_CHECK((int)vector == highest_before, "vcpu %u: vector %#x, highest IRR %#x",
			   v->vcpu_id, vector, highest_before);
		FUZZ_CHECK((vector & 0xf0) > (ppr_before & 0xf0), "vcpu %u: vector %#x under PPR %#x",
			   v->vcpu_id, vector, ppr_before);
		FUZZ_CHECK(!vec256_test(&v->irr, vector) && vec256_test(&v->isr, vector),
			   "vcpu %u: vector %#x not moved from IRR to ISR", v->vcpu_id, vector);
	} else if (d.source == APIC_SRC_NMI) {
		FUZZ_CHECK(nmi_before && vector == 2 && !v->nmi_pending, "vcpu %u: NMI injection",
			   v->vcpu_id);
	}
	if (requeue && d.source != APIC_SRC_NONE)
		apic_requeue(v, d.source, vector);
	return vector;
}

static void reg_write(struct vlapic *v, unsigned reg, uint32_t value)
{
	if (vlapic_mode(v) == VLAPIC_MODE_X2APIC)
		vlapic_msr_write(v, 0x800 + (reg >> 4), value);
	else
		vlapic_mmio_ops.write(v, reg, 4, value);
}

/* The 8259 pair as Linux programs it: master at 0x20, slave at 0x28, all unmasked. */
static void pic_linux_init(void)
{
	static const uint8_t init[][2] = { { 0x20, 0x11 }, { 0x21, 0x20 }, { 0x21, 4 },
		{ 0x21, 1 }, { 0xa0, 0x11 }, { 0xa1, 0x28 }, { 0xa1, 2 }, { 0xa1, 1 },
		{ 0x21, 0 }, { 0xa1, 0 } };
	for (unsigned i = 0; i < sizeof(init) / sizeof(init[0]); i++)
		vpic_write_port(&vm.pic, init[i][0], init[i][1]);
}

/* Everything served: every request that reached an enabled vCPU's IRR is delivered. */
static void drain(void)
{
	static const struct apic_intr_state open = { .rflags_if = true };

	for (unsigned irq = 0; irq < 16; irq++)
		vpic_set_irq(&vm.pic, irq, false);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		vioapic_set_pin(&vm.ioapic, pin, false);
	for (unsigned i = 0; i < vm.cfg.nr_vcpus; i++) {
		struct vlapic *v = &vm.vcpu[i];
		vlapic_set_lint(v, 0, false);
		vlapic_set_lint(v, 1, false);
		vlapic_set_tpr(v, 0);
		reg_write(v, APIC_REG_LVT_TIMER, APIC_LVT_MASKED);
	}
	check_all();
	for (unsigned i = 0; i < vm.cfg.nr_vcpus; i++) {
		struct vlapic *v = &vm.vcpu[i];
		for (unsigned n = 0; n < 1200; n++) {
			int vector = enter(v, &open, false);
			if (vector < 0 && vec256_highest(&v->isr) < 0)
				break;
			int isrv = vec256_highest(&v->isr);
			reg_write(v, APIC_REG_EOI, 0);
			/* A guest using Directed EOI also EOIs the I/O APIC (seed 002). */
			if (isrv >= 0 && vioapic_has_eoi_register(&vm.ioapic))
				vioapic_eoi(&vm.ioapic, (uint8_t)isrv);
			vpic_write_port(&vm.pic, 0xa0, 0x20);
			vpic_write_port(&vm.pic, 0x20, 0x20);
			check_vcpu(v);
		}
		if (v->wait_for_sipi || !vlapic_sw_enabled(v))
			continue;
		FUZZ_CHECK(vec256_highest(&v->irr) < 0 && vec256_highest(&v->isr) < 0,
			   "vcpu %u: IRR %d / ISR %d left after the drain", i,
			   vec256_highest(&v->irr), vec256_highest(&v->isr));
	}
}

#endif
