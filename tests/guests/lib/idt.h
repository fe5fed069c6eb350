/* idt: interrupt descriptor table, per-vector handlers and a record of every delivery. */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include <stdbool.h>
#include <stdint.h>

/* The stack as isr.S leaves it for isr_dispatch(). */
struct irq_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*irq_handler_fn)(struct irq_frame *frame);

/* One delivery, in the order deliveries happened across all CPUs. */
struct irq_event {
	uint16_t cpu;
	uint16_t vector;
};

#define IRQ_LOG_SIZE 4096

void idt_init(void);
void idt_load(void);
void idt_set_handler(unsigned vector, irq_handler_fn fn);
/* The privilege INT n needs to use the gate (SDM Vol. 3A 6.12.1.1); 0 by default. */
void idt_set_gate_dpl(unsigned vector, unsigned dpl);

/* Every delivery is counted in this_cpu()->irq_count[] and appended to the log. */
void irq_log_reset(void);
unsigned irq_log_length(void);
struct irq_event irq_log_at(unsigned i);

/*
 * Waits until `cpu` has taken `vector` at least `count` times. Interrupts are enabled on
 * the calling CPU while it waits and disabled when it returns. False on timeout.
 */
bool irq_wait(unsigned cpu, unsigned vector, unsigned count, uint64_t timeout_us);

/*
 * Enables interrupts for about 100 microseconds and disables them again: everything
 * deliverable has then been delivered, so a test can assert that something was NOT. A
 * test that asserts delivery at the next instruction boundary uses irq_window().
 */
void irq_settle(void);

#endif
