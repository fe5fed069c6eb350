/* nmi: self-NMIs ignore IF and TPR, do not nest, and are held until IRET. */
#include "guest.h"

const char guest_name[] = "nmi";

#define VEC_NMI		2
#define VEC_FIXED	0x70
#define WAIT_US		1000000

static struct {
	volatile unsigned depth, max_depth;
	volatile bool resend;		/* the handler sends one more NMI to itself */
	volatile bool in_fixed_handler;
	volatile bool nested_into_fixed;
} nmi;

static void send_self_nmi(void)
{
	/* By own APIC ID: the self shorthand is valid only for fixed interrupts (Table 10-3). */
	lapic_send_ipi(percpu[0].apic_id, ICR_ASSERT | ICR_DM_NMI);
}

static void nmi_handler(struct irq_frame *frame)
{
	if (++nmi.depth > nmi.max_depth)
		nmi.max_depth = nmi.depth;
	if (nmi.in_fixed_handler)
		nmi.nested_into_fixed = true;
	if (nmi.resend) {
		nmi.resend = false;
		send_self_nmi();
		/* NMIs are blocked until this handler's IRET (SDM Vol. 3A, 6.7.1). */
		delay_us(1000);
	}
	nmi.depth--;
}

static void fixed_handler(struct irq_frame *frame)
{
	nmi.in_fixed_handler = true;
	send_self_nmi();
	delay_us(1000);
	nmi.in_fixed_handler = false;
	lapic_eoi();
}

static unsigned nmis(void)
{
	return this_cpu()->irq_count[VEC_NMI];
}

/*
 * A single-step trap and an NMI due at the same boundary: TF set, the instruction that
 * sends the self-NMI exits to the hypervisor, which must then deliver both the trap
 * (priority 4, SDM Vol. 3A 6.9) and the NMI (priority 5), each once. The #DB handler
 * clears TF in its frame, so exactly one #DB is taken. An SVM hypervisor that finds NMI
 * blocking's end by single-stepping the guest's IRET puts TF in RFLAGS: an NMI it
 * delivered before that step traps would carry TF into the NMI's frame, and the guest
 * would take a second #DB of nobody's after the #DB handler's IRET.
 */
#define RFLAGS_TF (1ull << 8)

static struct {
	volatile unsigned n;
	volatile uint64_t rip[4];
} step;

static void db_handler(struct irq_frame *frame)
{
	if (step.n < 4)
		step.rip[step.n] = frame->rip;
	step.n++;
	frame->rflags &= ~RFLAGS_TF;
}

static void self_nmi_under_tf(void)
{
	uint32_t dest = percpu[0].apic_id, lo = ICR_ASSERT | ICR_DM_NMI;
	if (this_cpu()->x2apic) {
		asm volatile(ASM_SET_TF "wrmsr\n\tnop"
			     :: "c"(X2APIC_ICR_MSR), "a"(lo), "d"(dest) : "memory");
		return;
	}
	mmio_write32(LAPIC_BASE + APIC_ICR_HIGH, dest << 24);
	asm volatile(ASM_SET_TF "movl %0, (%1)\n\tnop"
		     :: "r"(lo), "r"(LAPIC_BASE + APIC_ICR_LOW) : "memory");
}

/* Waits with IF = 0: a maskable-interrupt window must not be what lets an NMI in. */
static bool wait_nmis(unsigned n)
{
	uint64_t deadline = timeout_after_us(WAIT_US);

	while (nmis() < n && !timeout_expired(deadline))
		cpu_relax();
	return nmis() >= n;
}

void guest_main(void)
{
	idt_set_handler(VEC_NMI, nmi_handler);
	idt_set_handler(VEC_FIXED, fixed_handler);

	send_self_nmi();
	report_check(wait_nmis(1) && nmis() == 1, "self-nmi-with-if-clear", "%u NMIs", nmis());

	write_cr8(0xf);
	send_self_nmi();
	report_check(wait_nmis(2) && nmis() == 2, "nmi-ignores-tpr", "%u NMIs with CR8 = 15", nmis());
	write_cr8(0);

	nmi.resend = true;
	send_self_nmi();
	bool both = wait_nmis(4);
	report_check(both && nmis() == 4, "nmi-sent-in-handler-delivered-after-iret",
		     "%u NMIs (expected 4)", nmis());
	report_check(nmi.max_depth == 1, "nmi-does-not-nest", "NMI handler nested %u deep",
		     nmi.max_depth);

	lapic_self_ipi(VEC_FIXED);
	bool fixed = irq_wait(0, VEC_FIXED, 1, WAIT_US);
	report_check(fixed && nmi.nested_into_fixed && nmis() == 5, "nmi-interrupts-irq-handler",
		     "fixed vector taken %s, NMI inside it %s, %u NMIs", fixed ? "yes" : "no",
		     nmi.nested_into_fixed ? "yes" : "no", nmis());

	idt_set_handler(1, db_handler);
	unsigned before = nmis();
	self_nmi_under_tf();
	bool got = wait_nmis(before + 1);
	delay_us(1000);
	report_check(got && nmis() == before + 1 && step.n == 1, "nmi-and-single-step-trap-once",
		     "%u NMIs (expected 1), %u #DB (expected 1), #DB rips %#lx %#lx", nmis() - before,
		     step.n, (unsigned long)step.rip[0], (unsigned long)step.rip[1]);
	report_check(!lapic_read(APIC_ISR + 0x30) && !lapic_read(APIC_ISR), "no-isr-for-nmi",
		     "ISR not empty: %#x %#x", lapic_read(APIC_ISR), lapic_read(APIC_ISR + 0x30));
}
