/* virt: the interface a hardware-virtualization backend (VMX or SVM) implements. */
#ifndef NESTOR_VM_VIRT_H
#define NESTOR_VM_VIRT_H

#include <stdbool.h>
#include <stddef.h>

struct cpu_caps;
struct guest_entry;
struct percpu;
struct vcpu;
struct vm;

struct virt_ops {
	const char *name;
	bool apicv;		/* implements apicv=on (VMX APICv, SVM AVIC) */
	bool (*supported)(const struct cpu_caps *caps, char *why, size_t len);
	bool (*cpu_enable)(struct percpu *cpu);
	bool (*vm_init)(struct vm *vm);
	bool (*vcpu_init)(struct vcpu *v, const struct guest_entry *entry);
	void (*vcpu_run)(struct vcpu *v);
};

#endif
