/* test_apic_threads: vCPUs as pthreads: the counted IRQ-window inhibit and concurrent IPIs. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

#define THREADS 8
#define ROUNDS 5000

static struct apic_vm vm;
static unsigned violations;
static pthread_barrier_t start;

static void make_vm(void)
{
	struct apic_vm_config cfg = harness_config(THREADS);
	cfg.apicv = true;
	assert_true(harness_start(&vm, &cfg));
	violations = 0;
}

/*
 * Each vCPU repeatedly waits for an ExtINT window and is served. While any vCPU waits,
 * the VM-wide inhibit must be set: checked right after this vCPU starts waiting and
 * right before it is served.
 */
static void *inhibit_worker(void *arg)
{
	struct vlapic *v = arg;
	pthread_barrier_wait(&start);
	for (int i = 0; i < ROUNDS; i++) {
		apic_irq_window_inhibit_get(v);
		if (!apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN))
			__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
		/* Hold the window a while (the guest runs to IF=1), sometimes across a reschedule. */
		for (volatile int spin = 0; spin < 200 + (i & 255); spin++)
			;
		if ((i & 7) == 0)
			sched_yield();
		if (!apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN))
			__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
		apic_irq_window_inhibit_put(v);
	}
	return NULL;
}

static void test_counted_inhibit_under_contention(void **state)
{
	pthread_t t[THREADS];
	(void)state;
	make_vm();
	pthread_barrier_init(&start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, inhibit_worker, &vm.vcpu[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	print_message("irq-window inhibit toggles: %llu for %d window requests\n",
		      (unsigned long long)vm.stats.irqwin_inhibit_toggles, THREADS * ROUNDS);
	assert_int_equal(violations, 0);
	assert_int_equal(vm.inhibits.nr_irq_window_req, 0);
	assert_false(apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN));
	assert_int_equal(vm.stats.irqwin_inhibit_toggles % 2, 0);
	assert_true(vm.stats.irqwin_inhibit_toggles <= 2ull * THREADS * ROUNDS);
}

/* ---- concurrent IPIs: every IPI is delivered exactly once ----------------------------- */

#define IPIS 5000
static uint32_t delivered[THREADS];
static uint32_t outstanding[THREADS];	/* sender i has an IPI in flight to i+1 */

static void *ipi_worker(void *arg)
{
	struct vlapic *v = arg;
	unsigned me = v->vcpu_id, to = (me + 1) % THREADS;
	unsigned sent = 0;
	uint64_t now = 0;
	struct apic_decision d;

	pthread_barrier_wait(&start);
	while (sent < IPIS || __atomic_load_n(&delivered[me], __ATOMIC_ACQUIRE) < IPIS) {
		if (sent < IPIS && !__atomic_load_n(&outstanding[me], __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&outstanding[me], 1, __ATOMIC_RELEASE);
			lapic_write(v, APIC_REG_ICR_HI, to << 24);
			lapic_write(v, APIC_REG_ICR_LO, 0x40 + me);
			sent++;
		}
		int vector = enter_guest(v, intr_open(), ++now, &d);
		if (vector >= 0) {
			unsigned from = (unsigned)vector - 0x40;
			assert_int_equal(from, (me + THREADS - 1) % THREADS);
			__atomic_fetch_add(&delivered[me], 1, __ATOMIC_ACQ_REL);
			__atomic_store_n(&outstanding[from], 0, __ATOMIC_RELEASE);
			lapic_write(v, APIC_REG_EOI, 0);
		}
	}
	return NULL;
}

static void test_concurrent_ipis_exactly_once(void **state)
{
	pthread_t t[THREADS];
	(void)state;
	make_vm();
	for (int i = 0; i < THREADS; i++)
		lapic_enable(&vm.vcpu[i]);
	pthread_barrier_init(&start, NULL, THREADS);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, ipi_worker, &vm.vcpu[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(delivered[i], IPIS);
	assert_int_equal(vm.stats.coalesced, 0);
	assert_int_equal(vm.stats.inject_lapic, (uint64_t)THREADS * IPIS);
	assert_true(harness_kicks[0] >= IPIS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counted_inhibit_under_contention),
		cmocka_unit_test(test_concurrent_ipis_exactly_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
