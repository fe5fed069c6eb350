/* tss: the 64-bit task-state segment, for nestor's CPUs and the test kernels' CPL-3 runs. */
#ifndef NESTOR_ARCH_X86_TSS_H
#define NESTOR_ARCH_X86_TSS_H

#include <stdint.h>

/* 64-bit TSS (SDM Vol. 3A 8.7, Figure 8-11): only RSP0 and the IST pointers matter. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

#endif
