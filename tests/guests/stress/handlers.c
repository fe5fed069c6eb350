/* handlers: one handler for every stress vector, with randomized EOI orders, nesting and TPR windows. */
#include "stress.h"
#include "ioapic.h"
#include "pic.h"

#define LINE_LEVEL	15
#define MAX_NEST	6	/* windows open only this deep: bounded stacks (16 KiB each) */

/* TPR by CR8 or by the register (MMIO or MSR), with a random sub-class (SDM 10.8.3.1). */
void set_tpr_random(struct stress_cpu *c)
{
	unsigned r = rng_below(c, 32);
	unsigned cls = r < 12 ? 0 : rng_below(c, 16);

	if (r & 1)
		write_cr8(cls);
	else
		lapic_write(APIC_TPR, cls << 4 | rng_below(c, 16));
}

/* IF = 1 for a moment: whatever is deliverable nests here. */
static void window(struct stress_cpu *c)
{
	unsigned spins = rng_below(c, 64);

	irq_enable();
	asm volatile("nop");
	for (unsigned i = 0; i < spins; i++)
		cpu_relax();
	irq_disable();
}

static void pic_eoi_random(struct stress_cpu *c)
{
	if (rng_below(c, 2))
		pic_eoi(0);
	else
		outb(0x20, 0x60);	/* OCW2 specific EOI for IRQ0 */
}

/* The level line is lowered before its EOI (one delivery), or left high once (two). */
static void level_before_eoi(struct stress_cpu *c, struct channel *ch)
{
	if (!__atomic_load_n(&ch->kept_high, __ATOMIC_SEQ_CST) && !rng_below(c, 4)) {
		__atomic_store_n(&ch->kept_high, 1, __ATOMIC_SEQ_CST);
		chan_owe(ch);	/* 82093AA: asserted at EOI, delivered again */
		return;
	}
	testdev_set_irq_line(LINE_LEVEL, 0);
	__atomic_store_n(&ch->line, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ch->kept_high, 0, __ATOMIC_SEQ_CST);
}

static volatile uint32_t eois, self_deliveries;

static void lapic_eoi_or_drop(void)
{
	if (st.drop_eoi && !(__atomic_add_fetch(&eois, 1, __ATOMIC_RELAXED) % st.drop_eoi))
		return;		/* fault injection (drop-eoi=N): the vector stays in service */
	lapic_eoi();
}

static void eoi(struct stress_cpu *c, struct channel *ch)
{
	switch (ch->src) {
	case SRC_PIT:
		pic_eoi_random(c);
		break;
	case SRC_IOAPIC_LEVEL:
		/* Directed EOI: the LAPIC EOI leaves Remote IRR, the I/O APIC's EOI clears it. */
		if (st.cfg.deoi && rng_below(c, 2)) {
			ioapic_eoi(ch->vector);
			lapic_eoi_or_drop();
		} else {
			lapic_eoi_or_drop();
			if (st.cfg.deoi)
				ioapic_eoi(ch->vector);
		}
		break;
	default:
		lapic_eoi_or_drop();
		break;
	}
}

static void stray(unsigned cpu, unsigned vector)
{
	__atomic_add_fetch(&st.stray, 1, __ATOMIC_SEQ_CST);
	st.stray_vector = vector;
	st.stray_cpu = cpu;
	if (vector >= 0x40 && lapic_vector_bit(APIC_ISR, vector))
		lapic_eoi();
}

void trace_delivery(struct stress_cpu *c, const struct irq_frame *frame)
{
	unsigned i = c->trace_next++ % TRACE_LEN;

	c->trace[i].rip = frame->rip;
	c->trace[i].vector = (uint16_t)frame->vector;
}

static void stress_irq(struct irq_frame *frame)
{
	unsigned cpu = this_cpu()->index, vector = frame->vector & 0xff;
	struct stress_cpu *c = &st.cpu[cpu];
	struct channel *ch = chan_at(cpu, vector);

	trace_delivery(c, frame);
	if (vector == SPURIOUS_VECTOR) {
		__atomic_add_fetch(&st.spurious, 1, __ATOMIC_SEQ_CST);
		return;		/* no ISR bit, no EOI (SDM 10.9) */
	}
	if (!ch) {
		stray(cpu, vector);
		return;
	}
	c->depth++;
	chan_enter(ch);
	if (ch->src == SRC_TIMER_ONESHOT || ch->src == SRC_TIMER_PERIODIC ||
	    ch->src == SRC_TIMER_DEADLINE)
		timer_on_delivery(ch, cpu);
	else
		chan_receive(ch, cpu);
	if (ch->src == SRC_IOAPIC_LEVEL)
		level_before_eoi(c, ch);
	if (ch->src == SRC_SELF_IPI && st.extra_ipi &&
	    !(__atomic_add_fetch(&self_deliveries, 1, __ATOMIC_RELAXED) % st.extra_ipi))
		ipi_raw(0, ICR_SELF | ch->vector);	/* fault injection: a delivery none owes */

	bool nest = c->depth < MAX_NEST;
	/* A periodic timer refires by itself: after its EOI it could nest without bound. */
	bool nest_after_eoi = nest && ch->src != SRC_TIMER_PERIODIC;
	uint32_t tpr;

	switch (rng_below(c, 8)) {
	case 0:
		eoi(c, ch);
		break;
	case 1:		/* EOI, then anything deliverable nests, this vector's class too */
		eoi(c, ch);
		if (nest_after_eoi)
			window(c);
		break;
	case 2:		/* higher classes nest while this one is in service, then EOI */
		if (nest)
			window(c);
		eoi(c, ch);
		break;
	case 3:		/* a TPR of its own for a while, the interrupted one put back */
		tpr = lapic_read(APIC_TPR);
		set_tpr_random(c);
		if (nest)
			window(c);
		lapic_write(APIC_TPR, tpr);
		eoi(c, ch);
		break;
	case 4:
		send_random(cpu);
		eoi(c, ch);
		break;
	case 5:
		eoi(c, ch);
		send_random(cpu);
		break;
	default:
		for (unsigned i = rng_below(c, 32); i; i--)
			cpu_relax();
		eoi(c, ch);
		break;
	}

	chan_leave(ch);
	/* Re-arming last, with IF = 0: the next expiry cannot nest into this handler. */
	if (st.phase == PHASE_RUN && rng_below(c, 2)) {
		if (ch->src == SRC_PIT)
			pit_arm(cpu);
		else if (ch->src == SRC_TIMER_ONESHOT || ch->src == SRC_TIMER_DEADLINE ||
			 ch->src == SRC_TIMER_PERIODIC)
			timer_arm(cpu);
	}
	c->depth--;
}

/* The other CPU gave up waiting for this one: say where it is and what its APIC holds. */
static void probe_answer(struct stress_cpu *c, const struct irq_frame *frame)
{
	c->probe_rip = frame->rip;
	c->probe_rflags = frame->rflags;
	c->probe_tpr = lapic_read(APIC_TPR);
	c->probe_isr_or = c->probe_irr_or = 0;
	for (unsigned i = 0; i < 8; i++) {
		c->probe_isr_or |= lapic_read(APIC_ISR + 0x10 * i);
		c->probe_irr_or |= lapic_read(APIC_IRR + 0x10 * i);
	}
	__atomic_store_n(&c->probed, true, __ATOMIC_SEQ_CST);
}

/*
 * NMIs are blocked until this handler's IRET (SDM 6.7.1): the next one to this CPU may be
 * sent from here, once the channel is left, and must arrive exactly once after the IRET.
 */
static void stress_nmi(struct irq_frame *frame)
{
	unsigned cpu = this_cpu()->index;
	struct stress_cpu *c = &st.cpu[cpu];
	struct channel *ch = chan_nmi(cpu);

	if (st.probing) {
		probe_answer(c, frame);
		return;
	}
	trace_delivery(c, frame);
	c->depth++;
	chan_enter(ch);
	chan_receive(ch, cpu);
	for (unsigned i = rng_below(c, 32); i; i--)
		cpu_relax();
	chan_leave(ch);
	if (this_cpu()->x2apic && st.phase == PHASE_RUN && !rng_below(c, 4))
		send_nmi(cpu, cpu);
	c->depth--;
}

void handlers_install(void)
{
	for (unsigned v = 32; v < 256; v++)
		idt_set_handler(v, stress_irq);
	idt_set_handler(VEC_NMI, stress_nmi);
}
