/* lapic: one accessor for both APIC modes, so tests choose the mode and keep their code. */
#include "lapic.h"

#include "percpu.h"
#include "x86.h"

#define X2APIC_MSR_BASE	0x800

uint32_t lapic_read(unsigned reg)
{
	if (this_cpu()->x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return mmio_read32(LAPIC_BASE + reg);
}

void lapic_write(unsigned reg, uint32_t val)
{
	if (this_cpu()->x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), val);
	else
		mmio_write32(LAPIC_BASE + reg, val);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(APIC_ID);

	return this_cpu()->x2apic ? id : id >> 24;
}

void lapic_setup(void)
{
	lapic_write(APIC_SPIV, SPIV_ENABLE | SPURIOUS_VECTOR);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
	lapic_write(APIC_LVT_LINT1, LVT_MASKED);
	lapic_write(APIC_LVT_ERROR, LVT_MASKED);
	lapic_write(APIC_TIMER_INIT, 0);
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

void lapic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	if (this_cpu()->x2apic) {
		wrmsr(X2APIC_ICR_MSR, ((uint64_t)dest << 32) | icr_low);
		return;
	}
	mmio_write32(LAPIC_BASE + APIC_ICR_HIGH, dest << 24);
	mmio_write32(LAPIC_BASE + APIC_ICR_LOW, icr_low);
	/* Delivery status goes idle once the IPI has left this APIC. */
	for (int i = 0; i < 1000000 && (mmio_read32(LAPIC_BASE + APIC_ICR_LOW) & ICR_BUSY); i++)
		cpu_relax();
}

void lapic_self_ipi(unsigned vector)
{
	lapic_send_ipi(0, ICR_SELF | ICR_ASSERT | ICR_DM_FIXED | (vector & 0xff));
}

void lapic_eoi_handler(struct irq_frame *frame)
{
	lapic_eoi();
}

bool lapic_vector_bit(unsigned bank, unsigned vector)
{
	uint32_t word = lapic_read(bank + (vector / 32) * 0x10);

	return (word >> (vector % 32)) & 1;
}

bool lapic_x2apic_supported(void)
{
	return (cpuid(1, 0).ecx >> 21) & 1;
}

void lapic_enter_x2apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE | APIC_BASE_EXTD);
	this_cpu()->x2apic = true;
}

/* x2APIC -> xAPIC directly is illegal: go through the disabled state (SDM Vol. 3A, 10.12.5). */
void lapic_leave_x2apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base & ~(uint64_t)(APIC_BASE_ENABLE | APIC_BASE_EXTD));
	wrmsr(MSR_APIC_BASE, (base & ~(uint64_t)APIC_BASE_EXTD) | APIC_BASE_ENABLE);
	this_cpu()->x2apic = false;
	lapic_setup();
}
