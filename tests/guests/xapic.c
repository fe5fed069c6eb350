/* xapic: the xAPIC register page: ID, version, TPR/PPR, SPIV, LVTs, ESR and reserved bits. */
#include "guest.h"

const char guest_name[] = "xapic";

static const struct {
	const char *name;
	unsigned reg;
	uint32_t reserved;	/* bits that must read back as 0 (SDM Vol. 3A, Figure 10-8) */
} lvts[] = {
	{ "timer", APIC_LVT_TIMER, 0xfff80000 },	/* bits 31:19; 18 = TSC-deadline mode */
	{ "lint0", APIC_LVT_LINT0, 0xfffe0000 },
	{ "lint1", APIC_LVT_LINT1, 0xfffe0000 },
	{ "error", APIC_LVT_ERROR, 0xfffe0000 },
};
#define N_LVTS (sizeof(lvts) / sizeof(lvts[0]))

static void check_id_version(void)
{
	uint32_t id = lapic_read(APIC_ID) >> 24;
	uint32_t ver = lapic_read(APIC_VERSION);

	report_info("ID %u version %#x (max LVT %u%s)", id, ver, (ver >> 16) & 0xff,
		    ver & APIC_VERSION_DIRECTED_EOI ? ", directed EOI" : "");
	report_check(id == cpuid(1, 0).ebx >> 24, "id-matches-cpuid",
		     "ID register %u, CPUID initial APIC ID %u", id, cpuid(1, 0).ebx >> 24);
	/* 0x1X: an integrated APIC (SDM Vol. 3A, 10.4.8); at least LINT0/1, timer and error. */
	report_check((ver & 0xf0) == 0x10 && ((ver >> 16) & 0xff) >= 3, "version",
		     "version register %#x", ver);
}

static void check_tpr_ppr(void)
{
	static const uint32_t values[] = { 0x00, 0x10, 0x5a, 0xf0, 0xff, 0x20 };
	struct multi_check tpr, ppr;

	multi_begin(&tpr, "tpr-roundtrip");
	multi_begin(&ppr, "ppr-equals-tpr");
	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		lapic_write(APIC_TPR, values[i]);
		uint32_t got = lapic_read(APIC_TPR), prio = lapic_read(APIC_PPR);
		multi_case(&tpr, got == values[i], "wrote %#x, read %#x", values[i], got);
		/* With nothing in service, PPR = TPR (SDM Vol. 3A, 10.8.3.1). */
		multi_case(&ppr, prio == values[i], "TPR %#x but PPR %#x", values[i], prio);
	}
	multi_end(&tpr);
	multi_end(&ppr);
	lapic_write(APIC_TPR, 0xffffff30);
	report_check(lapic_read(APIC_TPR) == 0x30, "tpr-reserved-bits", "wrote 0xffffff30, read %#x",
		     lapic_read(APIC_TPR));
	lapic_write(APIC_TPR, 0);
}

static void check_spiv(void)
{
	bool deoi = lapic_read(APIC_VERSION) & APIC_VERSION_DIRECTED_EOI;

	lapic_write(APIC_SPIV, SPIV_ENABLE | 0xef);
	report_check(lapic_read(APIC_SPIV) == (SPIV_ENABLE | 0xef), "spiv-roundtrip", "read %#x",
		     lapic_read(APIC_SPIV));
	lapic_write(APIC_SPIV, 0xffffffff);
	uint32_t spiv = lapic_read(APIC_SPIV);
	report_check(!(spiv & 0xffffe000) && !(spiv & 0xc00), "spiv-reserved-bits",
		     "wrote ~0, read %#x", spiv);
	/* Bit 12 (suppress EOI broadcast) is writable exactly when the version offers it. */
	report_check(!!(spiv & SPIV_DIRECTED_EOI) == deoi, "spiv-directed-eoi-matches-version",
		     "SPIV bit 12 %s but version bit 24 %s", spiv & SPIV_DIRECTED_EOI ? "set" : "clear",
		     deoi ? "set" : "clear");
	lapic_setup();
}

static void check_lvts(void)
{
	struct multi_check m;

	multi_begin(&m, "lvt-roundtrip");
	for (unsigned i = 0; i < N_LVTS; i++) {
		uint32_t val = LVT_MASKED | (0x40 + i);
		lapic_write(lvts[i].reg, val);
		multi_case(&m, lapic_read(lvts[i].reg) == val, "%s: wrote %#x, read %#x",
			   lvts[i].name, val, lapic_read(lvts[i].reg));
	}
	multi_end(&m);

	multi_begin(&m, "lvt-reserved-bits");
	for (unsigned i = 0; i < N_LVTS; i++) {
		lapic_write(lvts[i].reg, 0xffffffff);
		uint32_t got = lapic_read(lvts[i].reg);
		lapic_write(lvts[i].reg, LVT_MASKED);
		multi_case(&m, !(got & lvts[i].reserved), "%s: wrote ~0, read %#x", lvts[i].name, got);
	}
	multi_end(&m);

	/* Software disable sets every LVT mask bit and keeps them set (SDM Vol. 3A, 10.4.7.2). */
	for (unsigned i = 0; i < N_LVTS; i++)
		lapic_write(lvts[i].reg, 0x40 + i);
	lapic_write(APIC_SPIV, SPURIOUS_VECTOR);
	bool ok = true;
	for (unsigned i = 0; i < N_LVTS; i++)
		ok &= (lapic_read(lvts[i].reg) & LVT_MASKED) != 0;
	report_check(ok, "lvt-masked-by-software-disable", "an LVT stayed unmasked, LINT0 %#x",
		     lapic_read(APIC_LVT_LINT0));
	lapic_write(APIC_LVT_LINT0, 0x42);
	report_check(lapic_read(APIC_LVT_LINT0) & LVT_MASKED, "lvt-stays-masked-while-disabled",
		     "unmasking write accepted while software-disabled: LINT0 %#x",
		     lapic_read(APIC_LVT_LINT0));
	lapic_setup();
}

/* LDR bits 23:0 and DFR bits 27:0 are reserved; DFR's reserved bits read as 1. */
static void check_logical(void)
{
	lapic_write(APIC_LDR, 0xffffffff);
	report_check(lapic_read(APIC_LDR) == 0xff000000, "ldr-reserved-bits", "read %#x",
		     lapic_read(APIC_LDR));
	lapic_write(APIC_DFR, 0);
	report_check(lapic_read(APIC_DFR) == 0x0fffffff, "dfr-cluster", "read %#x",
		     lapic_read(APIC_DFR));
	lapic_write(APIC_DFR, 0xffffffff);
	report_check(lapic_read(APIC_DFR) == 0xffffffff, "dfr-flat", "read %#x",
		     lapic_read(APIC_DFR));
	lapic_write(APIC_LDR, 0);
}

static void check_idle_state(void)
{
	bool clear = true;

	for (unsigned i = 0; i < 8; i++)
		clear &= !lapic_read(APIC_ISR + i * 0x10) && !lapic_read(APIC_IRR + i * 0x10);
	report_check(clear, "isr-irr-empty", "ISR/IRR not empty at idle (IRR[0] %#x)",
		     lapic_read(APIC_IRR));
	lapic_write(APIC_ESR, 0);
	report_check(lapic_read(APIC_ESR) == 0, "esr-clear", "ESR %#x", lapic_read(APIC_ESR));
	lapic_write(APIC_TIMER_DIVIDE, 0xffffffff);
	report_check(lapic_read(APIC_TIMER_DIVIDE) == 0xb, "divide-reserved-bits", "read %#x",
		     lapic_read(APIC_TIMER_DIVIDE));
	lapic_write(APIC_TIMER_DIVIDE, 0);
	lapic_write(APIC_ICR_HIGH, 0x5a000000);
	report_check(lapic_read(APIC_ICR_HIGH) >> 24 == 0x5a, "icr-destination", "read %#x",
		     lapic_read(APIC_ICR_HIGH));
}

void guest_main(void)
{
	check_id_version();
	check_tpr_ppr();
	check_spiv();
	check_lvts();
	check_logical();
	check_idle_state();
}
