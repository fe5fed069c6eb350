/* bench_apic: workloads for `make bench-apic`: interrupt round trips and the IRQ-window inhibit. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/apic/harness.h"

#define ROUNDS 10000
#define EDGE_PIN 4
#define LEVEL_PIN 10

static struct apic_vm vm;

static void make_vm(unsigned nr_vcpus, bool apicv)
{
	struct apic_vm_config cfg = harness_config(nr_vcpus);
	cfg.apicv = apicv;
	if (!apic_vm_init(&vm, &cfg))
		exit(2);
}

/* One device interrupt as the backend sees it: assert, decide, ack, guest EOI. */
__attribute__((noinline)) void bench_edge_rounds(struct vlapic *v, unsigned rounds)
{
	struct apic_decision d;
	for (unsigned i = 0; i < rounds; i++) {
		vioapic_set_pin(&vm.ioapic, EDGE_PIN, true);
		vioapic_set_pin(&vm.ioapic, EDGE_PIN, false);
		apic_decide(v, intr_open(), i, &d);
		if (!d.inject || apic_ack(v, &d) != 0x34)
			abort();
		lapic_write(v, APIC_REG_EOI, 0);
	}
}

/* The level variant: the device drops its line in the handler, the EOI reaches the I/O APIC. */
__attribute__((noinline)) void bench_level_rounds(struct vlapic *v, unsigned rounds)
{
	struct apic_decision d;
	for (unsigned i = 0; i < rounds; i++) {
		vioapic_set_pin(&vm.ioapic, LEVEL_PIN, true);
		apic_decide(v, intr_open(), i, &d);
		if (!d.inject || apic_ack(v, &d) != 0x3a)
			abort();
		vioapic_set_pin(&vm.ioapic, LEVEL_PIN, false);
		lapic_write(v, APIC_REG_EOI, 0);
	}
}

static int round_trips(const char *which)
{
	struct vlapic *v;
	make_vm(1, false);
	v = &vm.vcpu[0];
	lapic_enable(v);
	ioapic_write_rte(&vm, EDGE_PIN, rte_fixed(0x34, 0, false));
	ioapic_write_rte(&vm, LEVEL_PIN, rte_fixed(0x3a, 0, true));
	if (!strcmp(which, "edge"))
		bench_edge_rounds(v, ROUNDS);
	else
		bench_level_rounds(v, ROUNDS);
	printf("rounds=%d\n", ROUNDS);
	return 0;
}

/*
 * The inhibit load: 8 vCPUs each alternate between waiting for an ExtINT window and
 * being served. "sim" interleaves them deterministically from a fixed seed; "threads"
 * runs them as real threads. The same binary is built with the counted scheme and
 * with the seed's old set/clear scheme (APIC_SEED001_OLD_BEHAVIOUR).
 */
#define VCPUS 8
#define WAITS 40000

static int inhibit_sim(void)
{
	uint64_t rng = 0x2545f4914f6cdd1dull;
	unsigned waits = 0;
	bool waiting[VCPUS] = { false };
	make_vm(VCPUS, true);
	while (waits < WAITS) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		unsigned cpu = (unsigned)(rng % VCPUS);
		if (!waiting[cpu]) {
			apic_irq_window_inhibit_get(&vm.vcpu[cpu]);
			waiting[cpu] = true;
			waits++;
		} else if ((rng >> 32) % 4 == 0) {	/* the window opens a while later */
			apic_irq_window_inhibit_put(&vm.vcpu[cpu]);
			waiting[cpu] = false;
		}
	}
	for (unsigned cpu = 0; cpu < VCPUS; cpu++)	/* everybody is served in the end */
		if (waiting[cpu])
			apic_irq_window_inhibit_put(&vm.vcpu[cpu]);
	printf("waits=%u toggles=%llu\n", waits, (unsigned long long)vm.stats.irqwin_inhibit_toggles);
	return 0;
}

static void *inhibit_thread(void *arg)
{
	struct vlapic *v = arg;
	for (int i = 0; i < WAITS / VCPUS; i++) {
		apic_irq_window_inhibit_get(v);
		for (volatile int spin = 0; spin < 200 + (i & 255); spin++)
			;
		if ((i & 7) == 0)
			sched_yield();
		apic_irq_window_inhibit_put(v);
	}
	return NULL;
}

static int inhibit_threads(void)
{
	pthread_t t[VCPUS];
	make_vm(VCPUS, true);
	for (int i = 0; i < VCPUS; i++)
		pthread_create(&t[i], NULL, inhibit_thread, &vm.vcpu[i]);
	for (int i = 0; i < VCPUS; i++)
		pthread_join(t[i], NULL);
	printf("waits=%d toggles=%llu\n", WAITS, (unsigned long long)vm.stats.irqwin_inhibit_toggles);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "edge") || !strcmp(argv[1], "level")))
		return round_trips(argv[1]);
	if (argc == 2 && !strcmp(argv[1], "inhibit-sim"))
		return inhibit_sim();
	if (argc == 2 && !strcmp(argv[1], "inhibit-threads"))
		return inhibit_threads();
	fprintf(stderr, "usage: bench_apic edge|level|inhibit-sim|inhibit-threads\n");
	return 1;
}
