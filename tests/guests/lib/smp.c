/* smp: AP bring-up with the universal start-up algorithm (SDM Vol. 3A, 8.4.4.1). */
#include "smp.h"

#include "lib/string.h"
#include "delay.h"
#include "fwcfg.h"
#include "idt.h"
#include "lapic.h"
#include "layout.h"
#include "percpu.h"
#include "x86.h"

extern const char trampoline_start[], trampoline_end[];

#define AP_START_TIMEOUT_US	5000000

static volatile unsigned cpus_online = 1;

unsigned smp_expected_cpus(void)
{
	if (!fwcfg_present())
		return 1;
	unsigned n = fwcfg_read_le(FW_CFG_NB_CPUS, 2);
	return n >= 1 && n <= MAX_CPUS ? n : 1;
}

unsigned smp_online_cpus(void)
{
	return cpus_online;
}

unsigned smp_start_aps(unsigned expected)
{
	if (expected > MAX_CPUS)
		expected = MAX_CPUS;
	if (cpus_online >= expected)
		return cpus_online;

	memcpy((void *)TRAMPOLINE_BASE, trampoline_start, trampoline_end - trampoline_start);

	/* INIT, 10 ms, SIPI, 200 us, SIPI: a second SIPI is ignored by an AP already running. */
	lapic_send_ipi(0, ICR_ALL_EXCLUDING_SELF | ICR_ASSERT | ICR_DM_INIT);
	delay_us(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(0, ICR_ALL_EXCLUDING_SELF | ICR_DM_STARTUP | (TRAMPOLINE_BASE >> 12));
		delay_us(200);
	}

	uint64_t deadline = timeout_after_us(AP_START_TIMEOUT_US);
	while (cpus_online < expected && !timeout_expired(deadline))
		cpu_relax();
	return cpus_online;
}

void smp_run_on(unsigned cpu, void (*fn)(void *), void *arg)
{
	struct percpu *p = &percpu[cpu];

	p->work_done = false;
	p->work_arg = arg;
	__atomic_store_n(&p->work, fn, __ATOMIC_SEQ_CST);
}

bool smp_wait_done(unsigned cpu, uint64_t timeout_us)
{
	uint64_t deadline = timeout_after_us(timeout_us);

	while (!percpu[cpu].work_done && !timeout_expired(deadline))
		cpu_relax();
	return percpu[cpu].work_done;
}

/* Called by boot.S on each AP with its index and its own stack. Never returns. */
void ap_start(unsigned index);
void ap_start(unsigned index)
{
	struct percpu *p = &percpu[index];

	percpu_init(index);
	idt_load();
	lapic_setup();
	p->apic_id = lapic_id();
	p->online = true;
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_SEQ_CST);

	/* Idle with interrupts enabled, so IPIs reach this CPU while it waits for work. */
	irq_enable();
	for (;;) {
		void (*fn)(void *) = __atomic_exchange_n(&p->work, NULL, __ATOMIC_SEQ_CST);
		if (fn) {
			fn(p->work_arg);
			__atomic_store_n(&p->work_done, true, __ATOMIC_SEQ_CST);
		}
		cpu_relax();
	}
}
