/* svm: nestor's AMD SVM backend: what the generic code calls. */
#ifndef NESTOR_ARCH_X86_SVM_SVM_H
#define NESTOR_ARCH_X86_SVM_SVM_H

#include <stdbool.h>
#include <stddef.h>

struct cpu_caps;
struct guest_entry;
struct percpu;
struct vcpu;
struct vm;

/* Whether this CPU can run nestor's SVM backend; why not in `why` otherwise. */
bool svm_supported(const struct cpu_caps *caps, char *why, size_t len);
/* EFER.SVME and the host save area on the calling CPU (APM Vol. 2, 15.4 and 15.30.4). */
bool svm_cpu_enable(struct percpu *cpu);
/* Per-VM: nested page tables over guest RAM, I/O and MSR permission maps. */
bool svm_vm_init(struct vm *vm);
/* A VMCB for the vCPU; `entry` is the boot vCPU's start state, NULL for an AP
 * (which waits for INIT/SIPI). */
bool svm_vcpu_init(struct vcpu *v, const struct guest_entry *entry);

#endif
