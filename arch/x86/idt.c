/* idt: the interrupt descriptor table shared by all of nestor's CPUs. */
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"

#define IDT_ENTRIES 256
#define IDT_STUB_SIZE 16	/* each stub in entry.asm is aligned to this */

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));

/* First of the 256 fixed-size stubs in entry.asm (a label, not a function). */
extern const char trap_stubs[];

void idt_init(void)
{
	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		uint64_t addr = (uint64_t)(uintptr_t)(trap_stubs + v * IDT_STUB_SIZE);
		struct idt_gate *g = &idt[v];
		g->offset_lo = (uint16_t)addr;
		g->offset_mid = (uint16_t)(addr >> 16);
		g->offset_hi = (uint32_t)(addr >> 32);
		g->selector = GDT_SEL_CODE64;
		/* Interrupt gate (type 0xE), present, DPL 0: IF is cleared on entry. */
		g->type_attr = 0x8e;
		g->ist = v == 8 ? IST_DOUBLE_FAULT : v == 2 ? IST_NMI : v == 18 ? IST_MACHINE_CHECK : 0;
	}
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}
