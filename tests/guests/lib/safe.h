/* safe: accessors whose exceptions are expected outcomes (an exception table, as in Linux). */
#ifndef GUEST_SAFE_H
#define GUEST_SAFE_H

#include <stdint.h>

#include "percpu.h"

/*
 * Each accessor records (faulting instruction, continuation) in .ex_table. When that
 * instruction raises an exception, isr_dispatch() stores the vector in
 * this_cpu()->fault_vector and resumes at the continuation. The accessors return that
 * vector, or -1 when the access completed without an exception.
 */
#define EX_TABLE_ENTRY(insn, fixup)				\
	".pushsection .ex_table, \"a\"\n\t"			\
	".balign 8\n\t"						\
	".quad " insn ", " fixup "\n\t"				\
	".popsection\n\t"

uint64_t ex_table_lookup(uint64_t rip);
/* "#GP", "#UD", ... for a vector an accessor returned; "no exception" for -1. */
const char *fault_name(int vector);

#define VEC_GP 13
#define VEC_PF 14
#define VEC_UD 6

static inline void fault_begin(void)
{
	this_cpu()->fault_vector = -1;
}

static inline int fault_end(void)
{
	return this_cpu()->fault_vector;
}

static inline int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	fault_begin();
	asm volatile("1: rdmsr\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = ((uint64_t)hi << 32) | lo;
	return fault_end();
}

static inline int wrmsr_safe(uint32_t msr, uint64_t val)
{
	fault_begin();
	asm volatile("1: wrmsr\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
	return fault_end();
}

static inline int read64_safe(uintptr_t addr, uint64_t *val)
{
	uint64_t v = ~0ull;

	fault_begin();
	asm volatile("1: movq (%1), %0\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : "+r"(v) : "r"(addr) : "memory");
	*val = v;
	return fault_end();
}

static inline int read32_safe(uintptr_t addr, uint32_t *val)
{
	uint32_t v = ~0u;

	fault_begin();
	asm volatile("1: movl (%1), %0\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : "+r"(v) : "r"(addr) : "memory");
	*val = v;
	return fault_end();
}

static inline int read8_safe(uintptr_t addr, uint8_t *val)
{
	uint8_t v = 0xff;

	fault_begin();
	asm volatile("1: movb (%1), %0\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : "+q"(v) : "r"(addr) : "memory");
	*val = v;
	return fault_end();
}

static inline int write64_safe(uintptr_t addr, uint64_t val)
{
	fault_begin();
	asm volatile("1: movq %1, (%0)\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : : "r"(addr), "r"(val) : "memory");
	return fault_end();
}

static inline int write32_safe(uintptr_t addr, uint32_t val)
{
	fault_begin();
	asm volatile("1: movl %1, (%0)\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : : "r"(addr), "r"(val) : "memory");
	return fault_end();
}

static inline int write8_safe(uintptr_t addr, uint8_t val)
{
	fault_begin();
	asm volatile("1: movb %1, (%0)\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     : : "r"(addr), "q"(val) : "memory");
	return fault_end();
}

#endif
