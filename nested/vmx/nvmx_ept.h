/* nvmx_ept: walking L1's EPT for an L2 guest-physical address (SDM 28.2), for shadow EPT. */
#ifndef NESTOR_NESTED_VMX_NVMX_EPT_H
#define NESTOR_NESTED_VMX_NVMX_EPT_H

#include <stdbool.h>
#include <stdint.h>

#include "nested/vmx/nvmx_checks.h"

#define NVMX_EPT_R 1u
#define NVMX_EPT_W 2u
#define NVMX_EPT_X 4u

enum nvmx_ept_result {
	NVMX_EPT_OK,		/* translated with rights that allow the access */
	NVMX_EPT_VIOLATION,	/* not present, or the access needs a right it lacks */
	NVMX_EPT_MISCONFIG,	/* an entry L1's processor would refuse (28.2.3.1) */
	NVMX_EPT_BAD_TABLE,	/* a paging structure outside L1 RAM (nestor: reflected as a
				 * misconfiguration, logged) */
};

struct nvmx_ept_walk {
	uint64_t l1_gpa;	/* the translation of the address */
	uint64_t page_base;	/* L1 address of the leaf page, and its size (4K, 2M, 1G) */
	uint64_t page_size;
	uint8_t rights;		/* NVMX_EPT_*: the AND of bits 2:0 over the entries walked */
	uint8_t memtype;	/* the leaf's bits 5:3 */
	bool ipat;		/* the leaf's bit 6 */
	uint64_t table_gpa;	/* BAD_TABLE: the entry that could not be read */
};

/*
 * Translates `l2_gpa` through the EPT that `eptp` names, for an access needing `access`
 * (NVMX_EPT_*), with L1's capabilities (execute-only, 1 GiB leaves, MAXPHYADDR, walk
 * length). Reads L1 memory through env->read.
 */
enum nvmx_ept_result nvmx_ept_translate(uint64_t eptp, uint64_t l2_gpa, unsigned access,
					const struct nvmx_caps *caps,
					const struct nvmx_env *env, struct nvmx_ept_walk *w);

/*
 * The qualification of an EPT violation L1 gets (27.2.1 Table 27-7): the access bits, the
 * linear-address bits (7, 8) and NMI unblocking (12) as the CPU reported them for vmcs02,
 * bits 5:3 from L1's walk.
 */
uint64_t nvmx_ept_violation_qual(uint64_t hw_qual, const struct nvmx_ept_walk *w);

/* The access an EPT violation's qualification describes (bits 2:0 as NVMX_EPT_*). */
static inline unsigned nvmx_ept_access(uint64_t qual)
{
	return (unsigned)(qual & 7);
}

#endif
