/* msr_table: every MSR a guest has, and who answers it how (vm/vcpu_msr.c carries it out). */
#ifndef NESTOR_VM_MSR_TABLE_H
#define NESTOR_VM_MSR_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "vm/vcpu_cpuid.h"

enum msr_kind {
	MSR_KIND_SWITCHED,	/* guest state the CPU switches (VMCB, VMCS or the register) */
	MSR_KIND_EXIT_PATH,	/* EFER, PAT, TSC: the backends' exit path keeps them */
	MSR_KIND_CONST,		/* reads `value`; writes #GP (read-only) */
	MSR_KIND_CONST_WI,	/* reads `value`; writes are ignored */
	MSR_KIND_SINK,		/* reads 0; any write is taken and dropped (a PMU that never counts) */
	MSR_KIND_APIC,		/* the vLAPIC (apic/vlapic_msr.c) */
	MSR_KIND_MTRR,		/* kept and checked (vm/vcpu_msr_mtrr.c) */
	MSR_KIND_MISC_ENABLE,	/* the SDM's bits kept, the rest #GP (vm/vcpu_msr_misc.c) */
	MSR_KIND_FEATURE_CONTROL, /* the personality's value; locked: writes #GP */
	MSR_KIND_VM_CR,		/* nested SVM: the vCPU's; else the personality's, locked */
	MSR_KIND_STORED,	/* kept as written */
	MSR_KIND_ZERO,		/* reads 0; writing anything but 0 is #GP */
	MSR_KIND_VM_HSAVE_PA,	/* nested SVM's host save area address (APM 15.30.4) */
};

/* How the backends' MSR bitmaps treat a MSR_KIND_SWITCHED one, and its write rule. */
#define MSR_PASS_READ 0x1u	/* RDMSR does not exit */
#define MSR_PASS_WRITE 0x2u	/* WRMSR does not exit */
#define MSR_CANONICAL 0x4u	/* WRMSR of a non-canonical address: #GP */
#define MSR_CANONICAL_INTEL 0x8u	/* the same, on Intel only (AMD ignores bits 63:32) */

enum msr_vendor { MSR_ANY_VENDOR, MSR_INTEL, MSR_AMD };

struct msr_desc {
	uint32_t first, last;		/* a range of MSRs that behave alike */
	const char *name;
	uint8_t kind;			/* enum msr_kind */
	uint8_t flags;			/* MSR_PASS_*, MSR_CANONICAL* */
	uint8_t vendor;			/* enum msr_vendor: the MSR exists on that vendor's CPUs */
	struct cpuid_bit needs;		/* exists while this CPUID bit is offered (leaf 0: always) */
	uint64_t value;			/* MSR_KIND_CONST* */
	const char *doc;		/* docs/personalities.md */
};

extern const struct msr_desc msr_table[];
extern const unsigned msr_table_count;

/*
 * The backends' MSR bitmaps: allow(bitmap, msr, read, write) for every MSR the guest may
 * read and/or write without an exit. Everything else exits (the bitmaps start all ones).
 */
void msr_table_passthrough(void (*allow)(void *bitmap, uint32_t msr, bool read, bool write),
			   void *bitmap);

/* The row for `msr`, or NULL: an MSR nestor does not have (#GP). */
const struct msr_desc *msr_table_find(uint32_t msr);

#endif
