/* x86: the test guests' CPU primitives: nestor's own (arch/x86/cpu.h) plus CR8 and windows. */
#ifndef GUEST_X86_H
#define GUEST_X86_H

#include <stdint.h>

/* Port I/O, MSRs, CPUID, RDTSC, CR0/CR4, RFLAGS: the same wrappers nestor itself uses. */
#include "arch/x86/cpu.h"

/* CR8 is the architectural alias of TPR[7:4] in 64-bit mode (SDM Vol. 3A, 10.8.6.1). */
static inline uint64_t read_cr8(void)
{
	uint64_t v;
	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static inline void write_cr8(uint64_t v) { asm volatile("mov %0, %%cr8" : : "r"(v) : "memory"); }

/* Inline asm: set RFLAGS.TF with POPF, so the instruction after it single-steps (SDM 18.3.1.4). */
#define ASM_SET_TF "pushfq; orq $0x100, (%%rsp); popfq\n\t"

static inline void irq_enable(void) { asm volatile("sti" : : : "memory"); }
static inline void irq_disable(void) { asm volatile("cli" : : : "memory"); }
static inline void cpu_relax(void) { asm volatile("pause" : : : "memory"); }
static inline void barrier(void) { asm volatile("" : : : "memory"); }

/*
 * Opens an interrupt window of a few instructions: STI blocks interrupts for one more
 * instruction (SDM Vol. 3A, 6.8.3), so the NOPs give every pending, deliverable
 * interrupt its chance before CLI closes the window again.
 */
static inline void irq_window(void)
{
	asm volatile("sti; nop; nop; nop; nop; cli" : : : "memory");
}

static inline void mmio_write32(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint32_t mmio_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }

#define MSR_TSC			0x10
#define MSR_APIC_BASE		0x1b
#define MSR_TSC_DEADLINE	0x6e0
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

#define EFER_LME		(1u << 8)
#define EFER_LMA		(1u << 10)

#endif
