/* pic_extint: PIT IRQ0 through the 8259A and LINT0 in ExtINT mode (virtual wire mode). */
#include "guest.h"
#include "pic.h"
#include "pit.h"

const char guest_name[] = "pic_extint";

#define VEC_PIT		(PIC_MASTER_BASE + 0)
#define VEC_LAPIC	0x80
#define WAIT_US		1000000

static struct {
	volatile bool pic_isr_in_handler;
	volatile bool lapic_isr_in_handler;
} seen;

/* The vector comes from the PIC's INTA cycle; the LAPIC keeps no ISR bit for it. */
static void pit_handler(struct irq_frame *frame)
{
	seen.pic_isr_in_handler = pic_read_isr() & 1;
	seen.lapic_isr_in_handler = lapic_vector_bit(APIC_ISR, VEC_PIT);
	pic_eoi(0);
}

static unsigned ticks(void)
{
	return this_cpu()->irq_count[VEC_PIT];
}

static void check_delivery(void)
{
	report_check(irq_wait(0, VEC_PIT, 3, WAIT_US), "extint-delivered", "%u PIT interrupts",
		     ticks());
	report_check(seen.pic_isr_in_handler, "pic-isr-in-handler", "PIC ISR bit 0 clear in the handler");
	report_check(!seen.lapic_isr_in_handler, "lapic-isr-untouched",
		     "LAPIC ISR has the ExtINT vector %#x", VEC_PIT);
	report_check(!(pic_read_isr() & 1), "pic-isr-cleared-by-eoi", "PIC ISR %#x",
		     pic_read_isr());
}

/*
 * Waits, with interrupts enabled, until the PIC has latched another IRQ0 edge: proof that
 * the PIT kept ticking while delivery was blocked, so "nothing arrived" means something.
 */
static bool wait_irq0_latched(void)
{
	uint64_t deadline = timeout_after_us(WAIT_US);
	bool latched;

	irq_enable();
	while (!(latched = pic_read_irr() & 1) && !timeout_expired(deadline))
		cpu_relax();
	irq_disable();
	return latched;
}

/* The IMR blocks delivery, not the request: IRR still latches the edge (8259A, OCW1). */
static void check_pic_mask(void)
{
	pic_set_mask(0xffff);
	irq_settle();
	unsigned before = ticks();
	bool latched = wait_irq0_latched();
	irq_settle();
	report_check(latched && ticks() == before, "pic-imr-masks",
		     "IRQ0 %s while masked, %u deliveries", latched ? "latched" : "never latched",
		     ticks() - before);
	pic_set_mask(0xfffe);
	report_check(irq_wait(0, VEC_PIT, ticks() + 2, WAIT_US), "pic-imr-unmask-resumes",
		     "no interrupts after unmasking");
}

/*
 * LINT0 masked: the PIC keeps its request, nothing is accepted; unmasking resumes. The
 * PIC is quiet while LINT0 changes: masking an LVT under a request already on its way is
 * allowed to end in a spurious interrupt (SDM Vol. 3A, 10.9), which is not under test.
 */
static void check_lint0_mask(void)
{
	pic_set_mask(0xffff);
	irq_settle();
	lapic_write(APIC_LVT_LINT0, LVT_MASKED | LVT_DM_EXTINT);
	pic_set_mask(0xfffe);
	unsigned before = ticks();
	bool latched = wait_irq0_latched();
	irq_settle();
	report_check(ticks() == before, "lint0-masked-blocks-extint",
		     "%u ExtINT deliveries through a masked LINT0", ticks() - before);
	report_check(latched && (pic_read_irr() & 1), "pic-request-pending-while-lint0-masked",
		     "PIC IRR %#x", pic_read_irr());
	lapic_write(APIC_LVT_LINT0, LVT_DM_EXTINT);
	report_check(irq_wait(0, VEC_PIT, ticks() + 2, WAIT_US), "lint0-unmask-resumes",
		     "no ExtINT after unmasking LINT0");
}

/*
 * A LAPIC interrupt held pending by the TPR must not hold back the ExtINT, which the TPR
 * does not filter (the 003 seed: a pending LAPIC interrupt blocked the ExtINT window).
 */
static void check_pending_lapic_does_not_block(void)
{
	idt_set_handler(VEC_LAPIC, lapic_eoi_handler);
	write_cr8(0xf);
	lapic_self_ipi(VEC_LAPIC);
	report_check(lapic_vector_bit(APIC_IRR, VEC_LAPIC), "lapic-vector-pending",
		     "IRR bit of %#x clear after the self-IPI", VEC_LAPIC);
	unsigned before = ticks();
	report_check(irq_wait(0, VEC_PIT, before + 3, WAIT_US) &&
		     this_cpu()->irq_count[VEC_LAPIC] == 0, "extint-past-pending-lapic-interrupt",
		     "%u ExtINTs, %u LAPIC deliveries with TPR 0xf0", ticks() - before,
		     this_cpu()->irq_count[VEC_LAPIC]);
	write_cr8(0);
	report_check(irq_wait(0, VEC_LAPIC, 1, WAIT_US), "lapic-vector-after-tpr-drop",
		     "LAPIC vector not delivered after CR8 = 0");

	/* Both deliverable at once: both arrive, nothing is lost. */
	before = ticks();
	lapic_self_ipi(VEC_LAPIC);
	report_check(irq_wait(0, VEC_LAPIC, 2, WAIT_US) && irq_wait(0, VEC_PIT, before + 3, WAIT_US),
		     "extint-and-lapic-both-delivered", "%u ExtINTs, %u LAPIC deliveries",
		     ticks() - before, this_cpu()->irq_count[VEC_LAPIC]);
}

void guest_main(void)
{
	idt_set_handler(VEC_PIT, pit_handler);
	lapic_write(APIC_LVT_LINT0, LVT_DM_EXTINT);
	pic_set_mask(0xfffe);
	pit_ch0_periodic(PIT_HZ / PIT_TICK_HZ);

	check_delivery();
	check_pic_mask();
	check_lint0_mask();
	check_pending_lapic_does_not_block();

	pit_ch0_stop();
	pic_set_mask(0xffff);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
}
