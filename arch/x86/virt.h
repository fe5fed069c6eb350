/* virt: the hardware-virtualization backend (VMX or SVM) as generic code sees it. */
#ifndef NESTOR_ARCH_X86_VIRT_H
#define NESTOR_ARCH_X86_VIRT_H

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

/* The backend for this CPU's vendor, or NULL (with the reason in why). */
const struct virt_ops *virt_select(const struct cpu_caps *caps, char *why, size_t len);

#endif
