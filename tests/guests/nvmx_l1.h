/* nvmx_l1: what the nested-VMX test kernels share as L1: caps, EPT, the vmcs12 layout, VMXON. */
#ifndef NESTOR_TESTS_GUESTS_NVMX_L1_H
#define NESTOR_TESTS_GUESTS_NVMX_L1_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/nvmx/nvmx_cases.h"

/* The capability model this kernel runs on, where its structures live, the vmcs12 built. */
struct nvmx_l1_kit {
	struct nvmx_caps caps;
	struct nvmx_layout lay;
	struct nvmx_env env;
	struct vmcs12 v;
	bool write_failed;		/* a VMWRITE refused since the last nvmx_l1_load_vmcs() */
};

extern struct nvmx_l1_kit nk;

/* The CPU's VMX capability MSRs and the CPUID facts the checks need. */
void nvmx_l1_read_caps(void);
/* EPT for L2: the low 4 GiB identity-mapped read/execute (2 MiB pages, WB). */
void nvmx_l1_build_ept(void);
/* The 2-MiB EPT mapping of `gpa`: read/write/execute, or back to read/execute. */
void nvmx_l1_ept_writable(uint64_t gpa, bool writable);
/* FEATURE_CONTROL, the VMX fixed bits in CR0/CR4, VMXON with the CPU's revision id. */
bool nvmx_l1_vmx_on(void);
/* The layout the valid vmcs12 uses: this kernel's pages, GDT/IDT, CR3, and where L2
 * starts and exits return to (after VMXON: the host CR0/CR4 carry the fixed bits). */
void nvmx_l1_build_layout(uint64_t guest_rip, uint64_t host_rip);
/* VMCLEAR + VMPTRLD of the vmcs12 page and every field the CPU has from nk.v. */
void nvmx_l1_load_vmcs(void);

#endif
