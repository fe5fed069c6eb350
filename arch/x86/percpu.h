/* percpu: each physical CPU's own descriptor tables, stacks and identity. */
#ifndef NESTOR_ARCH_X86_PERCPU_H
#define NESTOR_ARCH_X86_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/tss.h"

struct vcpu;

#define PERCPU_MAX 64
#define PERCPU_STACK_PAGES 8		/* 32 KiB main stack */
#define PERCPU_IST_PAGES 2		/* 8 KiB each for #DF, NMI, #MC */

#define GDT_SEL_CODE64 0x08
#define GDT_SEL_DATA 0x10
#define GDT_SEL_TSS 0x18


struct percpu {
	struct percpu *self;		/* at GS:0, so percpu_this() is one load */
	unsigned index;			/* 0 = the boot CPU */
	uint32_t apic_id;
	uintptr_t stack_base, stack_top;
	uint64_t gdt[6];		/* null, code64, data, TSS (two slots), spare */
	struct tss64 tss;
	volatile bool online;		/* set by the CPU itself once it runs nestor code */
	void *virt;			/* the backend's per-CPU state (host save areas) */
	struct vcpu *vcpu;		/* the vCPU this CPU runs, if any */
	/* Work handed to an idle AP: it runs work(work_arg) once, then idles again. */
	void (*volatile work)(void *arg);
	void *volatile work_arg;
};

extern struct percpu *percpu_all[PERCPU_MAX];
extern unsigned percpu_count;

/* Allocates and fills CPU `index`'s area (stacks, GDT, TSS); NULL when out of pages. */
struct percpu *percpu_create(unsigned index, uint32_t apic_id);
/* Loads this CPU's GDT, segments, TSS and GS base; the IDT is shared (idt_load). */
void percpu_load(struct percpu *cpu);
struct percpu *percpu_this(void);
/* True when [addr, addr+len) lies inside the current CPU's main stack. */
bool percpu_on_stack(uintptr_t addr, uintptr_t len);

#endif
