/* lapic: nestor's own use of the host's local APIC (IPIs, its timer, EOI). */
#include "drivers/lapic.h"

#include "arch/x86/cpu.h"
#include "drivers/tsc.h"
#include "lib/log.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define MSR_X2APIC_BASE 0x800		/* x2APIC MSR = 0x800 + (xAPIC offset >> 4) */

/* Register offsets (SDM Vol. 3A, Table 11-1). */
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ESR 0x280
#define LAPIC_ICR_LOW 0x300
#define LAPIC_ICR_HIGH 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0

#define LVT_MASKED (1u << 16)
#define ICR_DELIVERY_PENDING (1u << 12)
#define ICR_INIT 0x00000500u
#define ICR_STARTUP 0x00000600u
#define ICR_LEVEL_ASSERT 0x00004000u

static uintptr_t lapic_mmio;
static bool lapic_x2apic;
static uint64_t lapic_hz;

static uint32_t lapic_read(uint32_t reg)
{
	if (lapic_x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return *(volatile uint32_t *)(lapic_mmio + reg);
}

static void lapic_write(uint32_t reg, uint32_t value)
{
	if (lapic_x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), value);
	else
		*(volatile uint32_t *)(lapic_mmio + reg) = value;
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base |= APIC_BASE_ENABLE);
	lapic_x2apic = base & APIC_BASE_X2APIC;
	lapic_mmio = (uintptr_t)(base & 0xffffff000ull);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_VECTOR_TIMER);
	/* LINT0/LINT1 belong to the firmware's wiring; nestor takes no ExtINT or NMI there. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_VECTOR_ERROR);
	lapic_write(LAPIC_TIMER_DIVIDE, 0x3);	/* divide by 16 */
	/* SVR bit 8 software-enables the APIC; vector 0xff for spurious interrupts. */
	lapic_write(LAPIC_SVR, (1u << 8) | LAPIC_VECTOR_SPURIOUS);
	lapic_write(LAPIC_ESR, 0);
}

bool lapic_x2apic_mode(void)
{
	return lapic_x2apic;
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);
	return lapic_x2apic ? id : id >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void lapic_send_icr(uint32_t apic_id, uint32_t low)
{
	if (lapic_x2apic) {
		/* In x2APIC mode the ICR is one 64-bit MSR (SDM Vol. 3A 11.12.9). */
		wrmsr(MSR_X2APIC_BASE + (LAPIC_ICR_LOW >> 4), ((uint64_t)apic_id << 32) | low);
		return;
	}
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, low);
	for (int i = 0; i < 1000000 && (lapic_read(LAPIC_ICR_LOW) & ICR_DELIVERY_PENDING); i++)
		cpu_pause();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	lapic_send_icr(apic_id, vector);
}

void lapic_start_ap(uint32_t apic_id, uint8_t sipi_vector)
{
	/* SDM Vol. 3A 9.4.4.1: INIT, 10 ms, STARTUP, 200 us, STARTUP. */
	lapic_send_icr(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
	tsc_delay_ns(10000000);
	lapic_send_icr(apic_id, ICR_STARTUP | sipi_vector);
	tsc_delay_ns(200000);
	lapic_send_icr(apic_id, ICR_STARTUP | sipi_vector);
}

void lapic_timer_calibrate(void)
{
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	uint64_t t0 = tsc_now_ns();
	tsc_delay_ns(10000000);
	uint32_t left = lapic_read(LAPIC_TIMER_CURRENT);
	uint64_t elapsed = tsc_now_ns() - t0;
	lapic_write(LAPIC_TIMER_INIT, 0);
	uint64_t ticks = 0xffffffffull - left;
	lapic_hz = elapsed ? ticks * 1000000000ull / elapsed : 0;
	if (!lapic_hz) {
		log_warn("lapic: timer did not count during calibration; assuming 100 MHz");
		lapic_hz = 100000000;
	}
}

uint64_t lapic_timer_hz(void)
{
	return lapic_hz;
}

void lapic_timer_arm_ns(uint64_t ns)
{
	if (!ns) {
		lapic_write(LAPIC_TIMER_INIT, 0);
		return;
	}
	uint64_t ticks = ns / 1000 * lapic_hz / 1000000;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffull)
		ticks = 0xffffffffull;	/* fires early; the loop re-arms for the rest */
	lapic_write(LAPIC_LVT_TIMER, LAPIC_VECTOR_TIMER);	/* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}
