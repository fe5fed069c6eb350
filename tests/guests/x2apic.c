/* x2apic: entering x2APIC mode, its MSR interface, the #GP rules and self-IPIs. */
#include "guest.h"

const char guest_name[] = "x2apic";

#define X2APIC_MSR(reg)		(0x800 + ((reg) >> 4))
#define X2APIC_RESERVED_MSR	0x801
#define X2APIC_DFR_MSR		0x809	/* DFR does not exist in x2APIC mode */

#define VEC_SELF_IPI_MSR	0x70
#define VEC_SELF_IPI_ICR	0x71

static void expect_gp_read(struct multi_check *m, uint32_t msr, const char *what)
{
	uint64_t v;
	int vec = rdmsr_safe(msr, &v);
	multi_case(m, vec == VEC_GP, "rdmsr %#x (%s): %s", msr, what, fault_name(vec));
}

static void expect_gp_write(struct multi_check *m, uint32_t msr, uint64_t val, const char *what)
{
	int vec = wrmsr_safe(msr, val);
	multi_case(m, vec == VEC_GP, "wrmsr %#x = %#lx (%s): %s", msr, (unsigned long)val, what,
		   fault_name(vec));
}

/* SDM Vol. 3A, 10.12.1.2 and Table 10-6: which x2APIC MSR accesses raise #GP. */
static void check_illegal_accesses(void)
{
	struct multi_check m;

	multi_begin(&m, "illegal-msr-access-gp");
	expect_gp_read(&m, X2APIC_MSR(APIC_EOI), "EOI is write-only");
	expect_gp_read(&m, X2APIC_MSR(APIC_SELF_IPI), "SELF IPI is write-only");
	expect_gp_read(&m, X2APIC_RESERVED_MSR, "reserved");
	expect_gp_read(&m, X2APIC_DFR_MSR, "no DFR in x2APIC mode");
	expect_gp_write(&m, X2APIC_MSR(APIC_ID), 0, "ID is read-only");
	expect_gp_write(&m, X2APIC_MSR(APIC_VERSION), 0, "version is read-only");
	expect_gp_write(&m, X2APIC_MSR(APIC_LDR), 0, "LDR is read-only");
	multi_end(&m);

	/* Table 10-6: "WRMSR of a non-zero value causes #GP(0)" for the EOI register. */
	int vec = wrmsr_safe(X2APIC_MSR(APIC_EOI), 1);
	report_check(vec == VEC_GP, "eoi-nonzero-gp", "wrmsr EOI = 1: %s", fault_name(vec));
}

static void check_mode_switch_rules(uint64_t base)
{
	/* EXTD without EN is an invalid state (SDM Vol. 3A, Figure 10-27). */
	int vec = wrmsr_safe(MSR_APIC_BASE, (base & ~(uint64_t)APIC_BASE_ENABLE) | APIC_BASE_EXTD);
	report_check(vec == VEC_GP, "extd-without-enable-gp", "%s", fault_name(vec));
	report_check(rdmsr(MSR_APIC_BASE) == base, "apic-base-unchanged-after-gp",
		     "APIC_BASE %#lx, was %#lx", (unsigned long)rdmsr(MSR_APIC_BASE),
		     (unsigned long)base);
}

static void check_registers(uint32_t xapic_version)
{
	uint32_t id = lapic_read(APIC_ID);
	uint32_t initial = cpuid(1, 0).ebx >> 24;

	report_check(id == initial, "id-matches-cpuid", "x2APIC ID %u, CPUID.1 initial ID %u",
		     id, initial);
	if (cpuid(0, 0).eax >= 0xb)
		report_check(id == cpuid(0xb, 0).edx, "id-matches-cpuid-0b",
			     "x2APIC ID %u, CPUID.0Bh:EDX %u", id, cpuid(0xb, 0).edx);
	else
		report_skip("id-matches-cpuid-0b", "CPUID.0:EAX = %#x, no leaf 0Bh", cpuid(0, 0).eax);
	report_check(lapic_read(APIC_VERSION) == xapic_version, "version-same-as-xapic",
		     "x2APIC version %#x, xAPIC version %#x", lapic_read(APIC_VERSION), xapic_version);

	/* The logical ID is derived from the x2APIC ID (SDM Vol. 3A, 10.12.10.2). */
	uint32_t ldr = ((id >> 4) << 16) | (1u << (id & 0xf));
	report_check(lapic_read(APIC_LDR) == ldr, "ldr-derived-from-id", "LDR %#x, expected %#x",
		     lapic_read(APIC_LDR), ldr);

	lapic_write(APIC_TPR, 0x50);
	report_check(lapic_read(APIC_TPR) == 0x50 && read_cr8() == 5, "tpr-msr",
		     "TPR %#x, CR8 %lu after writing 0x50", lapic_read(APIC_TPR),
		     (unsigned long)read_cr8());
	lapic_write(APIC_TPR, 0);
	report_check(lapic_read(APIC_SPIV) & SPIV_ENABLE, "spiv-kept", "SPIV %#x",
		     lapic_read(APIC_SPIV));
}

static void check_self_ipis(void)
{
	idt_set_handler(VEC_SELF_IPI_MSR, lapic_eoi_handler);
	idt_set_handler(VEC_SELF_IPI_ICR, lapic_eoi_handler);

	wrmsr(X2APIC_MSR(APIC_SELF_IPI), VEC_SELF_IPI_MSR);
	report_check(irq_wait(0, VEC_SELF_IPI_MSR, 1, 100000) &&
		     this_cpu()->irq_count[VEC_SELF_IPI_MSR] == 1, "self-ipi-msr",
		     "vector %#x delivered %u times", VEC_SELF_IPI_MSR,
		     this_cpu()->irq_count[VEC_SELF_IPI_MSR]);

	lapic_self_ipi(VEC_SELF_IPI_ICR);
	report_check(irq_wait(0, VEC_SELF_IPI_ICR, 1, 100000) &&
		     this_cpu()->irq_count[VEC_SELF_IPI_ICR] == 1, "self-ipi-icr",
		     "vector %#x delivered %u times", VEC_SELF_IPI_ICR,
		     this_cpu()->irq_count[VEC_SELF_IPI_ICR]);

	/* To its own x2APIC ID through the 64-bit ICR, destination in bits 63:32. */
	lapic_send_ipi(lapic_id(), ICR_ASSERT | ICR_DM_FIXED | VEC_SELF_IPI_ICR);
	report_check(irq_wait(0, VEC_SELF_IPI_ICR, 2, 100000), "ipi-to-own-id",
		     "vector %#x delivered %u times", VEC_SELF_IPI_ICR,
		     this_cpu()->irq_count[VEC_SELF_IPI_ICR]);
	report_check(!lapic_read(APIC_ISR + 0x30), "isr-clear-after-eoi", "ISR[3] %#x",
		     lapic_read(APIC_ISR + 0x30));
}

static void check_leave(uint64_t xapic_base)
{
	/* x2APIC -> xAPIC without passing through disabled is illegal (SDM Vol. 3A, 10.12.5). */
	int vec = wrmsr_safe(MSR_APIC_BASE, xapic_base);
	report_check(vec == VEC_GP, "x2apic-to-xapic-gp", "%s", fault_name(vec));

	lapic_leave_x2apic();
	report_check((rdmsr(MSR_APIC_BASE) & (APIC_BASE_ENABLE | APIC_BASE_EXTD)) == APIC_BASE_ENABLE,
		     "back-to-xapic", "APIC_BASE %#lx", (unsigned long)rdmsr(MSR_APIC_BASE));
	report_check(mmio_read32(LAPIC_BASE + APIC_ID) >> 24 == cpuid(1, 0).ebx >> 24,
		     "xapic-mmio-after-leave", "MMIO ID %#x", mmio_read32(LAPIC_BASE + APIC_ID));
	uint64_t v;
	vec = rdmsr_safe(X2APIC_MSR(APIC_ID), &v);
	report_check(vec == VEC_GP, "msr-gp-after-leave", "rdmsr x2APIC ID: %s", fault_name(vec));
}

void guest_main(void)
{
	if (!lapic_x2apic_supported()) {
		report_skip("x2apic-supported", "CPUID.1:ECX.x2APIC[21] = 0");
		return;
	}
	report_pass("x2apic-supported");
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint32_t xapic_version = lapic_read(APIC_VERSION);
	uint64_t v;
	int vec = rdmsr_safe(X2APIC_MSR(APIC_ID), &v);
	report_check(vec == VEC_GP, "msr-gp-in-xapic-mode", "rdmsr x2APIC ID: %s", fault_name(vec));

	check_mode_switch_rules(base);
	lapic_enter_x2apic();
	report_check((rdmsr(MSR_APIC_BASE) & (APIC_BASE_ENABLE | APIC_BASE_EXTD)) ==
		     (APIC_BASE_ENABLE | APIC_BASE_EXTD), "enter-x2apic", "APIC_BASE %#lx",
		     (unsigned long)rdmsr(MSR_APIC_BASE));
	check_registers(xapic_version);
	check_illegal_accesses();
	check_self_ipis();
	check_leave(base);
}
