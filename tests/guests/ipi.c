/* ipi: fixed, logical, shorthand and NMI IPIs between two CPUs, each delivered exactly once. */
#include "guest.h"
#include "smp.h"

const char guest_name[] = "ipi";

#define VEC_TO_AP		0x50
#define VEC_TO_BSP		0x51
#define VEC_ALL_BUT_SELF	0x52
#define VEC_ALL_AND_SELF	0x53
#define VEC_LOGICAL_AP		0x54
#define VEC_LOGICAL_BOTH	0x55
#define VEC_PENDING		0x56
#define VEC_STREAM		0x57
#define VEC_NMI			2
#define WAIT_US			1000000
#define STREAM_IPIS		200

static unsigned seen(unsigned cpu, unsigned vector)
{
	return percpu[cpu].irq_count[vector];
}

static void send_to_bsp(void *arg)
{
	lapic_send_ipi(percpu[0].apic_id, ICR_ASSERT | ICR_DM_FIXED | VEC_TO_BSP);
}

static void set_logical_id(void *arg)
{
	lapic_write(APIC_DFR, 0xffffffff);		/* flat model */
	lapic_write(APIC_LDR, (uint32_t)(uintptr_t)arg << 24);
}

/*
 * The AP holds IF = 0 until the IPI is visibly pending in its IRR, then opens a window
 * of a few instructions: the interrupt must be taken right after STI's shadow ends.
 */
static struct {
	volatile bool ready;
	volatile bool irr_seen;
	volatile unsigned before, after;
} pending;

static void hold_interrupts(void *arg)
{
	irq_disable();
	pending.before = seen(1, VEC_PENDING);
	pending.ready = true;
	uint64_t deadline = timeout_after_us(WAIT_US);
	while (!lapic_vector_bit(APIC_IRR, VEC_PENDING) && !timeout_expired(deadline))
		cpu_relax();
	pending.irr_seen = lapic_vector_bit(APIC_IRR, VEC_PENDING);
	irq_window();
	pending.after = seen(1, VEC_PENDING);
	irq_enable();
}

/*
 * Sends one IPI and checks that exactly the expected CPUs took it, once each: waits for
 * every expected delivery, then lets anything else that might arrive arrive.
 */
static void check_delivery(const char *name, uint32_t dest, uint32_t icr, unsigned vector,
			   unsigned want_bsp, unsigned want_ap)
{
	lapic_send_ipi(dest, icr | ICR_ASSERT | ICR_DM_FIXED | vector);
	bool arrived = (!want_ap || irq_wait(1, vector, want_ap, WAIT_US)) &&
		       (!want_bsp || irq_wait(0, vector, want_bsp, WAIT_US));
	irq_settle();
	report_check(arrived && seen(0, vector) == want_bsp && seen(1, vector) == want_ap, name,
		     "vector %#x: BSP took it %u times (want %u), AP %u times (want %u)", vector,
		     seen(0, vector), want_bsp, seen(1, vector), want_ap);
}

static void check_directed(uint32_t ap_id)
{
	check_delivery("bsp-to-ap-fixed", ap_id, 0, VEC_TO_AP, 0, 1);

	smp_run_on(1, send_to_bsp, NULL);
	bool arrived = irq_wait(0, VEC_TO_BSP, 1, WAIT_US) && smp_wait_done(1, WAIT_US);
	irq_settle();
	report_check(arrived && seen(0, VEC_TO_BSP) == 1 && seen(1, VEC_TO_BSP) == 0, "ap-to-bsp-fixed",
		     "BSP took %u, AP took %u", seen(0, VEC_TO_BSP), seen(1, VEC_TO_BSP));
}

static void check_shorthands(void)
{
	check_delivery("all-excluding-self", 0, ICR_ALL_EXCLUDING_SELF, VEC_ALL_BUT_SELF, 0, 1);
	check_delivery("all-including-self", 0, ICR_ALL_INCLUDING_SELF, VEC_ALL_AND_SELF, 1, 1);
}

/* Flat logical mode: a destination matches when LDR[31:24] & MDA != 0 (SDM 10.6.2.2). */
static void check_logical(void)
{
	set_logical_id((void *)1);
	smp_run_on(1, set_logical_id, (void *)2);
	if (!smp_wait_done(1, WAIT_US)) {
		report_fail("logical-setup", "AP did not set its logical ID");
		return;
	}
	check_delivery("logical-one", 0x02, ICR_DEST_LOGICAL, VEC_LOGICAL_AP, 0, 1);
	check_delivery("logical-both", 0x03, ICR_DEST_LOGICAL, VEC_LOGICAL_BOTH, 1, 1);
}

static void check_pending_until_sti(uint32_t ap_id)
{
	smp_run_on(1, hold_interrupts, NULL);
	uint64_t deadline = timeout_after_us(WAIT_US);
	while (!pending.ready && !timeout_expired(deadline))
		cpu_relax();
	lapic_send_ipi(ap_id, ICR_ASSERT | ICR_DM_FIXED | VEC_PENDING);
	bool done = smp_wait_done(1, 2 * WAIT_US);
	report_check(done && pending.irr_seen && pending.before == 0, "held-pending-while-if-clear",
		     "IRR bit %s, taken %u times before STI", pending.irr_seen ? "set" : "never set",
		     pending.before);
	report_check(done && pending.after == 1, "taken-right-after-sti",
		     "taken %u times in the window after STI", pending.after);
}

static void check_stream(uint32_t ap_id)
{
	unsigned sent;

	for (sent = 0; sent < STREAM_IPIS; sent++) {
		lapic_send_ipi(ap_id, ICR_ASSERT | ICR_DM_FIXED | VEC_STREAM);
		if (!irq_wait(1, VEC_STREAM, sent + 1, WAIT_US))
			break;
	}
	report_check(sent == STREAM_IPIS && seen(1, VEC_STREAM) == STREAM_IPIS, "stream-exactly-once",
		     "sent %u, AP took %u", sent, seen(1, VEC_STREAM));
}

void guest_main(void)
{
	unsigned expected = smp_expected_cpus();

	if (!report_check(expected >= 2, "two-cpus", "platform reports %u CPU(s); run with -smp 2",
			  expected))
		return;
	if (!report_check(smp_start_aps(expected) == expected, "aps-online", "%u of %u CPUs online",
			  smp_online_cpus(), expected))
		return;

	uint32_t ap_id = percpu[1].apic_id;
	report_info("BSP APIC ID %u, AP APIC ID %u", percpu[0].apic_id, ap_id);
	for (unsigned v = VEC_TO_AP; v <= VEC_STREAM; v++)
		idt_set_handler(v, lapic_eoi_handler);

	check_directed(ap_id);
	check_shorthands();
	check_logical();
	check_pending_until_sti(ap_id);
	check_stream(ap_id);

	lapic_send_ipi(ap_id, ICR_ASSERT | ICR_DM_NMI);
	report_check(irq_wait(1, VEC_NMI, 1, WAIT_US) && seen(1, VEC_NMI) == 1 && seen(0, VEC_NMI) == 0,
		     "nmi-ipi", "AP took %u NMIs, BSP %u", seen(1, VEC_NMI), seen(0, VEC_NMI));
}
