/* vm_cpu_model: the CPU a VM's guest sees: its personality over this host's CPUID. */
#include "vm/vm_cpu_model.h"

#include "lib/log.h"
#include "vm/personality.h"
#include "vm/vm.h"

extern const struct cpuid_host cpuid_host_cpu;	/* vm/vcpu_cpuid_host.c */

/* Subleaves the model reads of each leaf (leaf 4: cache levels; 0Dh: up to AMX's 18). */
static unsigned subleaves_of(uint32_t leaf)
{
	switch (leaf) {
	case 0x4: return 8;
	case 0x7: return 2;
	case 0xb: case 0x1f: return 3;
	case 0xd: return 19;
	default: return 1;
	}
}

/*
 * log=debug: the host's raw answers for every leaf the model reads, one C initializer per
 * line: the format of the recorded CPUs the unit tests replay (tests/unit/cpuid_recorded.h).
 */
static void log_host_cpuid(const struct cpuid_host *h)
{
	struct cpuid_regs r;
	uint32_t ranges[2][2];

	h->query(h->ctx, 0, 0, &r);
	ranges[0][0] = 0, ranges[0][1] = r.eax < 0x20 ? r.eax : 0x1f;
	h->query(h->ctx, 0x80000000, 0, &r);
	ranges[1][0] = 0x80000000, ranges[1][1] = r.eax < 0x80000022 ? r.eax : 0x80000021;
	for (unsigned g = 0; g < 2; g++) {
		for (uint32_t leaf = ranges[g][0]; leaf <= ranges[g][1]; leaf++) {
			for (unsigned sub = 0; sub < subleaves_of(leaf); sub++) {
				h->query(h->ctx, leaf, sub, &r);
				log_debug("cpuid host { %#x, %u, { %#x, %#x, %#x, %#x } },", leaf, sub,
					  r.eax, r.ebx, r.ecx, r.edx);
			}
		}
	}
}

bool vm_cpu_model_init(struct vm *vm, enum personality_id id)
{
	vm->personality = personality_get(id);
	if (!vm->personality) {
		log_error("vm: personality %u does not exist", (unsigned)id);
		return false;
	}
	vm->cpuid_host = cpuid_host_cpu;
	log_info("vm: personality %s: %s", vm->personality->name, vm->personality->summary);
	if (log_level_enabled(LOG_DEBUG))
		log_host_cpuid(&vm->cpuid_host);
	return true;
}
