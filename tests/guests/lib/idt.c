/* idt: the IDT, the dispatcher isr.S calls, and the delivery record tests assert on. */
#include "idt.h"

#include "delay.h"
#include "layout.h"
#include "percpu.h"
#include "report.h"
#include "safe.h"
#include "x86.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

#define GATE_INTERRUPT 0x8e	/* present, DPL 0, 64-bit interrupt gate: IF cleared on entry */
#define ISR_STUB_SIZE 16

extern const char isr_stubs[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler_fn handlers[256];
static struct irq_event irq_log[IRQ_LOG_SIZE];
static volatile unsigned irq_log_next;

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t addr = (uint64_t)(uintptr_t)(isr_stubs + v * ISR_STUB_SIZE);

		idt[v].offset_low = addr & 0xffff;
		idt[v].selector = GDT_CODE64;
		idt[v].ist = 0;
		idt[v].type_attr = GATE_INTERRUPT;
		idt[v].offset_mid = (addr >> 16) & 0xffff;
		idt[v].offset_high = addr >> 32;
		idt[v].reserved = 0;
	}
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	asm volatile("lidt %0" : : "m"(desc));
}

void idt_set_handler(unsigned vector, irq_handler_fn fn)
{
	handlers[vector & 0xff] = fn;
}

void idt_set_gate_dpl(unsigned vector, unsigned dpl)
{
	idt[vector & 0xff].type_attr = (uint8_t)((GATE_INTERRUPT & ~0x60) | ((dpl & 3) << 5));
}

void irq_log_reset(void)
{
	__atomic_store_n(&irq_log_next, 0, __ATOMIC_SEQ_CST);
}

unsigned irq_log_length(void)
{
	unsigned n = __atomic_load_n(&irq_log_next, __ATOMIC_SEQ_CST);
	return n < IRQ_LOG_SIZE ? n : IRQ_LOG_SIZE;
}

struct irq_event irq_log_at(unsigned i)
{
	return irq_log[i % IRQ_LOG_SIZE];
}

static void irq_record(struct percpu *cpu, unsigned vector)
{
	unsigned slot = __atomic_fetch_add(&irq_log_next, 1, __ATOMIC_SEQ_CST);

	if (slot < IRQ_LOG_SIZE) {
		irq_log[slot].cpu = cpu->index;
		irq_log[slot].vector = vector;
	}
	cpu->irq_count[vector]++;
}

static bool is_exception(unsigned vector)
{
	return vector < 32 && vector != 2;	/* vector 2 is the NMI, an interrupt */
}

void isr_dispatch(struct irq_frame *frame);
void isr_dispatch(struct irq_frame *frame)
{
	struct percpu *cpu = this_cpu();
	unsigned vector = frame->vector & 0xff;

	/* An exception at an instruction with a fixup is an expected outcome, not a crash. */
	if (is_exception(vector)) {
		uint64_t fixup = ex_table_lookup(frame->rip);
		if (fixup) {
			cpu->fault_vector = vector;
			cpu->fault_error = frame->error;
			frame->rip = fixup;
			return;
		}
	}
	irq_record(cpu, vector);
	if (handlers[vector])
		handlers[vector](frame);
	else if (is_exception(vector))
		report_abort("unexpected exception %u (error %#lx) at rip %#lx on cpu %u",
			     vector, (unsigned long)frame->error, (unsigned long)frame->rip, cpu->index);
}

bool irq_wait(unsigned cpu, unsigned vector, unsigned count, uint64_t timeout_us)
{
	volatile uint32_t *seen = &percpu[cpu].irq_count[vector & 0xff];
	uint64_t deadline = timeout_after_us(timeout_us);
	bool done;

	irq_enable();
	while (!(done = *seen >= count) && !timeout_expired(deadline))
		cpu_relax();
	irq_disable();
	return done || *seen >= count;
}

void irq_settle(void)
{
	irq_enable();
	delay_us(100);
	irq_disable();
}
