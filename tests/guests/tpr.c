/* tpr: TPR and CR8 hold pending interrupts off, lowering them delivers; ISR blocks too. */
#include "guest.h"

#include "lib/format.h"

const char guest_name[] = "tpr";

enum tpr_path { VIA_MMIO, VIA_CR8 };

static const char *const path_names[] = { "mmio", "cr8" };

static void set_tpr(enum tpr_path path, unsigned class)
{
	if (path == VIA_CR8)
		write_cr8(class);
	else
		lapic_write(APIC_TPR, class << 4);
}

static unsigned taken(unsigned vector)
{
	return this_cpu()->irq_count[vector];
}

/* "stem-mmio" / "stem-cr8": the same check through either way of writing the TPR. */
static const char *check_name(char buf[48], const char *stem, enum tpr_path path)
{
	fmt_snprintf(buf, 48, "%s-%s", stem, path_names[path]);
	return buf;
}

static void check_alias(void)
{
	struct multi_check m;

	/* MOV to CR8 sets TPR[7:4] and clears TPR[3:0] (SDM Vol. 3A, 10.8.6.1). */
	multi_begin(&m, "cr8-tpr-alias");
	for (unsigned n = 0; n < 16; n++) {
		write_cr8(n);
		multi_case(&m, lapic_read(APIC_TPR) == n << 4 && read_cr8() == n,
			   "CR8 %u: TPR %#x, CR8 reads %lu", n, lapic_read(APIC_TPR),
			   (unsigned long)read_cr8());
	}
	lapic_write(APIC_TPR, 0xab);
	multi_case(&m, read_cr8() == 0xa, "TPR 0xab: CR8 reads %lu", (unsigned long)read_cr8());
	multi_end(&m);
	write_cr8(0);
}

/*
 * TPR class 5 blocks vectors of class 5 and below (delivery needs class > PPR class,
 * SDM Vol. 3A, 10.8.3.1). Lowering the TPR must deliver what it held back at the next
 * instruction boundary with IF = 1: irq_window() is only a few instructions long.
 */
static void check_masking(enum tpr_path path, unsigned subclass)
{
	unsigned low = 0x40 | subclass, equal = 0x50 | subclass, high = 0x60 | subclass;
	char name[48];

	idt_set_handler(low, lapic_eoi_handler);
	idt_set_handler(equal, lapic_eoi_handler);
	idt_set_handler(high, lapic_eoi_handler);
	set_tpr(path, 5);
	lapic_self_ipi(low);
	lapic_self_ipi(equal);
	lapic_self_ipi(high);
	irq_settle();
	report_check(taken(low) == 0 && taken(equal) == 0 && lapic_vector_bit(APIC_IRR, low) &&
		     lapic_vector_bit(APIC_IRR, equal), check_name(name, "held-by-tpr", path),
		     "taken %u/%u, IRR bits %u/%u", taken(low), taken(equal),
		     lapic_vector_bit(APIC_IRR, low), lapic_vector_bit(APIC_IRR, equal));
	report_check(taken(high) == 1, check_name(name, "above-tpr-delivered", path),
		     "vector %#x taken %u times", high, taken(high));
	report_check(lapic_read(APIC_PPR) == 0x50, check_name(name, "ppr-is-tpr", path),
		     "PPR %#x with TPR 0x50", lapic_read(APIC_PPR));

	set_tpr(path, 4);
	irq_window();
	unsigned equal_now = taken(equal), low_now = taken(low);
	irq_settle();
	report_check(equal_now == 1 && low_now == 0 && taken(low) == 0,
		     check_name(name, "tpr-drop-delivers", path),
		     "TPR 5 -> 4: %#x taken %u times at once (%u after settling), %#x taken %u",
		     equal, equal_now, taken(equal), low, taken(low));

	set_tpr(path, 0);
	irq_window();
	low_now = taken(low);
	irq_settle();
	report_check(low_now == 1, check_name(name, "tpr-zero-delivers", path),
		     "TPR -> 0: %#x taken %u times at once (%u after settling)", low, low_now,
		     taken(low));
}

/*
 * An interrupt in service raises the PPR like the TPR does: a lower vector waits for
 * the EOI even with TPR 0, a higher class nests (SDM Vol. 3A, 10.8.3.1 and 10.8.4).
 */
static void check_in_service(void)
{
	const unsigned first = 0x85, nested = 0x95, waiting = 0x75;

	/* No handler for `first` and `nested`: they stay in service until the EOIs below. */
	idt_set_handler(waiting, lapic_eoi_handler);
	irq_log_reset();
	set_tpr(VIA_MMIO, 0);
	lapic_self_ipi(first);
	irq_settle();
	report_check(taken(first) == 1 && lapic_vector_bit(APIC_ISR, first), "in-service",
		     "vector %#x taken %u, ISR bit %u", first, taken(first),
		     lapic_vector_bit(APIC_ISR, first));
	report_check(lapic_read(APIC_PPR) == 0x80, "ppr-from-isr", "PPR %#x with %#x in service",
		     lapic_read(APIC_PPR), first);
	lapic_write(APIC_TPR, 0xa0);
	report_check(lapic_read(APIC_PPR) == 0xa0, "ppr-tpr-above-isr", "PPR %#x with TPR 0xa0",
		     lapic_read(APIC_PPR));
	lapic_write(APIC_TPR, 0x30);
	report_check(lapic_read(APIC_PPR) == 0x80, "ppr-isr-above-tpr", "PPR %#x with TPR 0x30",
		     lapic_read(APIC_PPR));
	write_cr8(0);

	lapic_self_ipi(waiting);
	irq_settle();
	report_check(taken(waiting) == 0 && lapic_vector_bit(APIC_IRR, waiting),
		     "held-by-in-service", "%#x taken %u times with %#x in service", waiting,
		     taken(waiting), first);
	lapic_self_ipi(nested);
	irq_settle();
	report_check(taken(nested) == 1 && taken(waiting) == 0, "higher-class-nests",
		     "%#x taken %u, %#x taken %u", nested, taken(nested), waiting, taken(waiting));

	lapic_eoi();		/* ends `nested`, the highest in service */
	irq_settle();
	report_check(taken(waiting) == 0 && lapic_vector_bit(APIC_ISR, first) &&
		     !lapic_vector_bit(APIC_ISR, nested), "eoi-ends-highest",
		     "%#x taken %u, ISR %#x/%#x", waiting, taken(waiting),
		     lapic_vector_bit(APIC_ISR, first), lapic_vector_bit(APIC_ISR, nested));
	lapic_eoi();		/* ends `first`: `waiting` is now deliverable */
	irq_window();
	unsigned now = taken(waiting);
	irq_settle();
	report_check(now == 1, "eoi-delivers-waiting", "%#x taken %u times at once (%u after settling)",
		     waiting, now, taken(waiting));

	bool order = irq_log_length() == 3 && irq_log_at(0).vector == first &&
		     irq_log_at(1).vector == nested && irq_log_at(2).vector == waiting;
	report_check(order, "delivery-order", "%u deliveries logged", irq_log_length());
}

void guest_main(void)
{
	check_alias();
	check_masking(VIA_MMIO, 0x5);
	check_masking(VIA_CR8, 0xa);
	check_in_service();
	report_check(lapic_read(APIC_ISR + 0x40) == 0 && lapic_read(APIC_IRR + 0x40) == 0 &&
		     lapic_read(APIC_PPR) == 0, "idle-at-end", "PPR %#x", lapic_read(APIC_PPR));
}
