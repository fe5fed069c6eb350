/* percpu: each physical CPU's own descriptor tables, stacks and identity. */
#include "arch/x86/percpu.h"

#include "arch/x86/cpu.h"
#include "lib/page_alloc.h"
#include "lib/string.h"

#define MSR_GS_BASE 0xc0000101

struct percpu *percpu_all[PERCPU_MAX];
unsigned percpu_count;
/* Until the boot CPU loads its area, GS belongs to the firmware and must not be read. */
static bool percpu_ready;

/* Implemented in arch/x86/entry.asm: LGDT, reload CS by far return, reload DS/ES/SS/FS/GS. */
void gdt_load_and_reload(const void *gdtr, uint16_t code_sel, uint16_t data_sel);

struct gdtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/*
 * Long-mode code and data descriptors (SDM Vol. 3A 3.4.5): base and limit are ignored
 * in 64-bit mode; code needs L=1, D=0, P=1, S=1, type execute/read; data P=1, S=1, RW.
 */
#define GDT_CODE64 0x00209a0000000000ull
#define GDT_DATA 0x0000920000000000ull

static void percpu_fill_tss_descriptor(struct percpu *cpu)
{
	uint64_t base = (uint64_t)(uintptr_t)&cpu->tss;
	uint64_t limit = sizeof(cpu->tss) - 1;
	/* 64-bit available TSS, type 9, present (SDM Vol. 3A 8.2.3, Figure 8-4). */
	cpu->gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		      (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	cpu->gdt[4] = base >> 32;
}

struct percpu *percpu_create(unsigned index, uint32_t apic_id)
{
	if (index >= PERCPU_MAX)
		return 0;
	struct percpu *cpu = (struct percpu *)page_alloc(&nestor_pages, 1, 1);
	uintptr_t stack = page_alloc(&nestor_pages, PERCPU_STACK_PAGES, 1);
	if (!cpu || !stack)
		return 0;
	cpu->self = cpu;
	cpu->index = index;
	cpu->apic_id = apic_id;
	cpu->stack_base = stack;
	cpu->stack_top = stack + PERCPU_STACK_PAGES * PAGE_SIZE;
	cpu->gdt[1] = GDT_CODE64;
	cpu->gdt[2] = GDT_DATA;
	percpu_fill_tss_descriptor(cpu);
	/*
	 * IST stacks (SDM Vol. 3A 7.14.5): #DF, NMI and #MC switch to a known-good stack,
	 * so a stack overflow or an NMI at any point still gets a register dump.
	 */
	for (int i = 0; i < 3; i++) {
		uintptr_t ist = page_alloc(&nestor_pages, PERCPU_IST_PAGES, 1);
		if (!ist)
			return 0;
		cpu->tss.ist[i] = ist + PERCPU_IST_PAGES * PAGE_SIZE;
	}
	cpu->tss.iomap_base = sizeof(cpu->tss);	/* no I/O bitmap */
	percpu_all[index] = cpu;
	if (index >= percpu_count)
		percpu_count = index + 1;
	return cpu;
}

void percpu_load(struct percpu *cpu)
{
	struct gdtr gdtr = { sizeof(cpu->gdt) - 1, (uint64_t)(uintptr_t)cpu->gdt };
	gdt_load_and_reload(&gdtr, GDT_SEL_CODE64, GDT_SEL_DATA);
	__asm__ volatile("ltr %w0" ::"r"((uint16_t)GDT_SEL_TSS));
	/* After the selector reload, so the base written here is the one that sticks. */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)cpu);
	percpu_ready = true;
}

struct percpu *percpu_this(void)
{
	struct percpu *cpu;
	if (!percpu_ready)
		return 0;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(cpu));
	return cpu;
}

bool percpu_on_stack(uintptr_t addr, uintptr_t len)
{
	struct percpu *cpu = percpu_this();
	return cpu && addr >= cpu->stack_base && addr + len <= cpu->stack_top &&
	       addr + len >= addr;
}
