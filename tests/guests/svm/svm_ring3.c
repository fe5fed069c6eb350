/* svm_ring3: what VMRUN at CPL 3 needs: user segments, a TSS for the way back, user pages. */
#include "guest.h"
#include "layout.h"
#include "svm_guest.h"
#include "svm_layout.h"

#include "lib/string.h"

#define PTE_U 0x004
#define GATE_DPL3 0x60

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2, reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

extern uint64_t gdt[];			/* boot.S: the boot selectors */
extern uint64_t svm_ring0_rsp;
extern char svm_ring0_resume[];
extern char __bss_end[];

static uint64_t gdt64[SVM_GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ring0_stack[16384] __attribute__((aligned(16)));
static uint8_t ring3_stack[4096] __attribute__((aligned(16)));

static void tss_descriptor(uint64_t *d, uint64_t base, uint32_t limit)
{
	d[0] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
	       (uint64_t)(limit >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
	d[1] = base >> 32;
}

/* Back from CPL 3: resume in svm_vmrun_ring3 on the kernel stack it saved. */
static void back_to_ring0(struct irq_frame *f)
{
	f->rip = (uint64_t)(uintptr_t)svm_ring0_resume;
	f->cs = GDT_CODE64;
	f->ss = GDT_DATA;
	f->rsp = svm_ring0_rsp;
	f->rflags = 0x2;
}

/* The identity map's first GiB becomes user-accessible (no SMEP/SMAP: CR4 has neither). */
static void user_pages(void)
{
	uint64_t *pml4 = (uint64_t *)(uintptr_t)(read_cr3() & ~0xfffull);
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4[0] & 0x000ffffffffff000ull);
	uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[0] & 0x000ffffffffff000ull);
	uint64_t end = ((uint64_t)(uintptr_t)__bss_end + 0x1fffff) >> 21;
	pml4[0] |= PTE_U;
	pdpt[0] |= PTE_U;
	for (uint64_t i = 0; i < end; i++)
		pd[i] |= PTE_U;
	write_cr3(read_cr3());
}

void svm_ring3_init(void)
{
	memcpy(gdt64, gdt, GDT_ENTRIES * sizeof(uint64_t));
	gdt64[SVM_USER_DS >> 3] = 0x00cff2000000ffffull;	/* data, DPL 3 */
	gdt64[SVM_USER_CS >> 3] = 0x00affa000000ffffull;	/* 64-bit code, DPL 3 */
	tss.rsp0 = (uint64_t)(uintptr_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap_base = sizeof(tss);
	tss_descriptor(&gdt64[SVM_TSS_SEL >> 3], (uint64_t)(uintptr_t)&tss, sizeof(tss) - 1);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt64) - 1, (uint64_t)(uintptr_t)gdt64 }, idtr;
	asm volatile("lgdt %0" : : "m"(gdtr) : "memory");
	asm volatile("ltr %w0" : : "r"(SVM_TSS_SEL) : "memory");

	/* INT SVM_RING0_VECTOR must be allowed from CPL 3: give its gate DPL 3. */
	asm volatile("sidt %0" : "=m"(idtr));
	uint8_t *gate = (uint8_t *)(uintptr_t)(idtr.base + 16 * SVM_RING0_VECTOR);
	gate[5] |= GATE_DPL3;
	idt_set_handler(SVM_RING0_VECTOR, back_to_ring0);
	user_pages();
}

uint64_t svm_ring3_stack_top(void)
{
	return (uint64_t)(uintptr_t)(ring3_stack + sizeof(ring3_stack));
}
