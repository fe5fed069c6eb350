/* percpu: per-CPU storage and the GS base that points at it. */
#include "percpu.h"
#include "x86.h"

struct percpu percpu[MAX_CPUS];

void percpu_init(unsigned index)
{
	struct percpu *p = &percpu[index];

	p->self = p;
	p->index = index;
	p->fault_vector = -1;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)p);
}
