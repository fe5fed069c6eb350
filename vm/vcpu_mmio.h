/* vcpu_mmio: a vCPU's view of MMIO: its own LAPIC page first, then the VM's bus. */
#ifndef NESTOR_VM_VCPU_MMIO_H
#define NESTOR_VM_VCPU_MMIO_H

#include "arch/x86/decode/mmio_emul.h"

struct vcpu;

/*
 * The x86_mmio_ops the instruction emulator calls for this vCPU. Each vCPU sees its own
 * LAPIC at the address its IA32_APIC_BASE names (SDM Vol. 3A 11.4.5: relocatable, and
 * absent in x2APIC or disabled mode); every other address goes to the VM's MMIO bus.
 */
struct x86_mmio_ops vcpu_mmio_ops(struct vcpu *v);

#endif
