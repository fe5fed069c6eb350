/* vm_build: creating the one VM of a run from the boot options, running it, ending it. */
#ifndef NESTOR_CORE_VM_BUILD_H
#define NESTOR_CORE_VM_BUILD_H

#include <stdbool.h>

#include "arch/x86/guest_entry.h"

struct boot_info;
struct host_acpi;
struct virt_ops;
struct vm;

/*
 * Guest RAM, buses, interrupt controllers, devices, firmware tables and the payload,
 * then the backend's per-VM and per-vCPU state. False (logged) when anything is missing.
 */
bool vm_create(struct vm *vm, const struct boot_info *bi, const struct virt_ops *ops,
	       unsigned ncpus, const struct host_acpi *host);
/* Runs vCPU i on CPU i until the VM stops, prints the report and ends the run. */
__attribute__((noreturn)) void vm_run(struct vm *vm, const struct virt_ops *ops);

/* core/payload.c: firmware tables and the payload in guest RAM; the boot vCPU's entry. */
bool payload_load(struct vm *vm, const struct boot_info *bi, struct guest_entry *entry);

#endif
