/* vmx: nestor's Intel VMX backend: what the generic code calls. */
#ifndef NESTOR_ARCH_X86_VMX_VMX_H
#define NESTOR_ARCH_X86_VMX_VMX_H

#include <stdbool.h>
#include <stddef.h>

struct cpu_caps;
struct guest_entry;
struct percpu;
struct vcpu;
struct vm;

/* Whether this CPU can run nestor's VMX backend; computes every VMCS control once. */
bool vmx_supported(const struct cpu_caps *caps, char *why, size_t len);
/* IA32_FEATURE_CONTROL, CR0/CR4 fixed bits and VMXON on the calling CPU (SDM 23.7, 23.8). */
bool vmx_cpu_enable(struct percpu *cpu);
/* Per-VM: EPT over guest RAM, the MSR bitmap and the I/O bitmaps. */
bool vmx_vm_init(struct vm *vm);
/* A VMCS and virtual-APIC page for the vCPU; `entry` is the boot vCPU's start state, NULL
 * for an AP (which waits for INIT/SIPI). The VMCS is filled on the vCPU's own CPU. */
bool vmx_vcpu_init(struct vcpu *v, const struct guest_entry *entry);

#endif
