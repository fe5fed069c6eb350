/* vm_fixture: a struct vm for host tests of vm/: a personality, a recorded CPU, the vLAPICs. */
#ifndef NESTOR_TESTS_UNIT_VM_FIXTURE_H
#define NESTOR_TESTS_UNIT_VM_FIXTURE_H

#include <stdbool.h>
#include <string.h>

#include "apic/apic_vm.h"
#include "tests/unit/capture.h"
#include "tests/unit/cpuid_recorded.h"
#include "vm/personality.h"
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

#define FIXTURE_ROWS(a) (a), sizeof(a) / sizeof((a)[0])

static struct recorded_cpu fixture_amd = { "qemu max", FIXTURE_ROWS(qemu_max_rows), 0x7 };
static struct recorded_cpu fixture_intel = { "bochs skylake-x", FIXTURE_ROWS(skylake_x_rows),
					     0xe7 };
static struct vm fixture_vm;

static void fixture_kick(void *ctx, unsigned vcpu_id)
{
	(void)ctx;
	(void)vcpu_id;
}

/* nvcpus vCPUs with the personality p on the recorded CPU c; returns vCPU 0. */
static inline struct vcpu *fixture_vm_start(enum personality_id p, struct recorded_cpu *c,
					    unsigned nvcpus)
{
	struct vm *vm = &fixture_vm;
	struct apic_vm_config cfg = {
		.nr_vcpus = nvcpus, .ioapic_eoi_register = true, .x2apic = true,
		.maxphyaddr = 39, .kick = fixture_kick,
	};
	capture_reset();
	memset(vm, 0, sizeof(*vm));
	vm->nvcpus = nvcpus;
	vm->personality = personality_get(p);
	vm->cpuid_host = recorded_host(c);
	if (!apic_vm_init(&vm->apic, &cfg))
		return NULL;
	for (unsigned i = 0; i < nvcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vcpu_msrs_reset(&vm->vcpus[i]);
	}
	return &vm->vcpus[0];
}

#endif
