/* guest_entry: the CPU state a payload loader asks the boot vCPU to start in. */
#ifndef NESTOR_ARCH_X86_GUEST_ENTRY_H
#define NESTOR_ARCH_X86_GUEST_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/regs.h"

/*
 * Two entry conventions cover every loader:
 * - 32-bit protected mode, paging off (multiboot v1, Linux PVH): CS is a flat 4 GiB
 *   execute/read code segment, DS/ES/FS/GS/SS flat read/write data, CR0 = PE|ET,
 *   EFLAGS = 0x2, interrupts off;
 * - 64-bit long mode (Linux 64-bit boot protocol): CR0 = PE|PG|ET, CR4.PAE, EFER.LME|LMA,
 *   CR3 = page tables the loader built in guest RAM identity-mapping at least the first
 *   4 GiB, a flat 64-bit CS and flat data segments.
 * The backends (VMX, SVM) turn this into VMCS/VMCB state; the GDT is the backend's
 * business (segment caches are loaded directly), so the loader never writes one.
 */
struct guest_entry {
	bool long_mode;
	uint64_t rip;
	uint64_t cr3;			/* long mode only */
	struct x86_gprs gprs;		/* initial general-purpose registers (RSP included) */
};

#endif
