/* vm_cpu_model: the CPU a VM's guest sees: its personality over this host's CPUID. */
#ifndef NESTOR_VM_VM_CPU_MODEL_H
#define NESTOR_VM_VM_CPU_MODEL_H

#include <stdbool.h>

#include "lib/options.h"

struct vm;

/* Sets vm->personality and the host CPUID source (log=debug also dumps the host's leaves). */
bool vm_cpu_model_init(struct vm *vm, enum personality_id id);

#endif
