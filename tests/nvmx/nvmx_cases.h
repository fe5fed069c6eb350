/* nvmx_cases: a valid vmcs12 for a 64-bit L2 and one mutation per check-table row (tests, fuzz, kernel). */
#ifndef NESTOR_TESTS_NVMX_CASES_H
#define NESTOR_TESTS_NVMX_CASES_H

#include "nested/vmx/nvmx_checks.h"

/*
 * Where the valid vmcs12's structures live in L1 memory and what the host state is.
 * Host tests fill it with a fake RAM; the differential kernel with its own pages and
 * registers. Every address below is 4 KiB aligned and RAM unless it says otherwise.
 */
struct nvmx_layout {
	uint64_t vmcs12;		/* the current VMCS (its first 4 bytes: the revision) */
	uint64_t vapic, apic_access, io_a, io_b, msr_bitmap, posted_desc, pml, eptp_list;
	uint64_t vmread_bitmap, vmwrite_bitmap, ve_info;
	uint64_t msr_load;		/* 3 pages: room for 512 + 1 entries */
	uint64_t msr_store;		/* exit MSR-store / -load areas (count 0 in the valid case) */
	uint64_t shadow;		/* a page holding a valid revision id (link-pointer cases) */
	uint64_t pdpt;			/* 32 bytes of valid PDPTEs (PAE cases without EPT) */
	uint64_t not_ram;		/* page-aligned, below MAXPHYADDR, not L1 RAM */
	uint64_t ept_root;		/* EPT PML4 for the guest */
	uint64_t guest_cr3, guest_rip, guest_rsp;
	uint64_t guest_gdt, guest_idt, guest_tss;
	uint64_t host_cr0, host_cr3, host_cr4, host_efer, host_pat;
	uint64_t host_rip, host_rsp, host_gdt, host_idt, host_tr_base;
	uint16_t host_cs, host_ds, host_tr;
	/* Writable view of L1 memory for mutations (VTPR, MSR entries, revision ids). */
	void *(*ptr)(void *ctx, uint64_t gpa, unsigned len);
	void *ctx;
};

/* What a mutation may change: the vmcs12, L1 memory (through the layout) and L1 state. */
struct nvmx_case {
	struct vmcs12 *v;
	const struct nvmx_caps *caps;
	const struct nvmx_layout *l;
	struct nvmx_env *env;
};

/* Builds the valid vmcs12 and the memory it names (VTPR, MSR-load entries, revision ids). */
void nvmx_valid_vmcs12(const struct nvmx_case *c);

struct nvmx_mutation {
	const char *check;		/* the table row it breaks, alone */
	void (*apply)(const struct nvmx_case *c);
};

extern const struct nvmx_mutation nvmx_mutations[];
extern const unsigned nvmx_mutation_count;

const struct nvmx_mutation *nvmx_mutation_find(const char *check);

/* The valid case's MSR-load list: two elements (so a failure can name element 2). */
#define NVMX_VALID_MSR_LOADS 2u

#endif
