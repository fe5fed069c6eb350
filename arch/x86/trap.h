/* trap: nestor's own exceptions and interrupts (IDT, frame layout, dispatch). */
#ifndef NESTOR_ARCH_X86_TRAP_H
#define NESTOR_ARCH_X86_TRAP_H

#include <stdint.h>

/* Layout built by arch/x86/entry.asm: GPRs pushed by the stub, then what the CPU pushed. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* A handler for an external interrupt vector (>= 32); it must EOI the LAPIC itself. */
typedef void (*trap_irq_handler)(struct trap_frame *f);

void idt_init(void);
void trap_set_irq_handler(unsigned vector, trap_irq_handler handler);
void idt_load(void);
void trap_dispatch(struct trap_frame *f);
const char *trap_vector_name(unsigned vector);
/* Logs every register of the frame, the control registers and a backtrace. */
void trap_dump_frame(const struct trap_frame *f);

#endif
