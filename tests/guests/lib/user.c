/* user: a 64-bit TSS for the way back to CPL 0, and the DPL-3 gate user code returns through. */
#include "user.h"

#include "arch/x86/tss.h"
#include "idt.h"
#include "layout.h"

/* Only RSP0 of the TSS matters here: the stack an interrupt from CPL 3 switches to. No
 * I/O bitmap (iomap_base past the end): IOPL alone decides port access at CPL 3. */
extern uint64_t gdt[GDT_ENTRIES];
static struct tss64 tss;
static uint8_t kernel_stack[16384] __attribute__((aligned(16)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));
static int ready;

/* In user_entry.S. */
void user_enter(void (*fn)(void), uint64_t rflags, uint64_t user_rsp);
extern const char user_exit[];
extern uint64_t user_kernel_rsp;

/* The return gate: resume user_enter's caller at CPL 0 on its own stack. */
static void user_return(struct irq_frame *frame)
{
	frame->rip = (uint64_t)(uintptr_t)user_exit;
	frame->cs = GDT_CODE64;
	frame->ss = GDT_DATA;
	frame->rsp = user_kernel_rsp;
	frame->rflags = 0x2;
}

static void user_setup(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;
	tss.rsp[0] = (uint64_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack));
	tss.iomap_base = sizeof(tss);
	/* System-segment descriptor (SDM Vol. 3A 8.2.3): type 9 (available 64-bit TSS), P. */
	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" ::"r"(GDT_TSS));
	idt_set_handler(USER_RETURN_VECTOR, user_return);
	idt_set_gate_dpl(USER_RETURN_VECTOR, 3);
	ready = 1;
}

void user_run(void (*fn)(void), uint64_t rflags)
{
	if (!ready)
		user_setup();
	user_enter(fn, rflags | 0x2, (uint64_t)(uintptr_t)(user_stack + sizeof(user_stack)));
}
