/* paging: nestor's own identity-mapped page tables. */
#ifndef NESTOR_ARCH_X86_PAGING_H
#define NESTOR_ARCH_X86_PAGING_H

#include <stdint.h>

struct boot_info;

/*
 * Builds a 4-level identity map of [0, 4 GiB) and of every RAM range above it, and
 * returns the PML4's physical address for CR3 (0 when out of pages). Page 0 is left
 * unmapped so a NULL dereference in nestor faults instead of reading the IVT.
 */
uint64_t paging_build_identity(const struct boot_info *bi);

#endif
