/* panic: nestor's own fatal errors: report everything, then end the run as crashed. */
#include "arch/x86/panic.h"

#include <stdarg.h>

#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "drivers/run_end.h"
#include "lib/log.h"

static int panic_owner;

bool panic_begin(void)
{
	cpu_irq_disable();
	int expected = 0;
	return __atomic_compare_exchange_n(&panic_owner, &expected, 1, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

/* The caller's registers as they are inside panic(): enough to read the backtrace. */
static __attribute__((noinline)) void panic_capture(struct trap_frame *f)
{
	__asm__ volatile("mov %%rax, %0\n\tmov %%rbx, %1\n\tmov %%rcx, %2\n\tmov %%rdx, %3"
			 : "=m"(f->rax), "=m"(f->rbx), "=m"(f->rcx), "=m"(f->rdx));
	__asm__ volatile("mov %%rsi, %0\n\tmov %%rdi, %1\n\tmov %%r8, %2\n\tmov %%r9, %3"
			 : "=m"(f->rsi), "=m"(f->rdi), "=m"(f->r8), "=m"(f->r9));
	__asm__ volatile("mov %%r10, %0\n\tmov %%r11, %1\n\tmov %%r12, %2\n\tmov %%r13, %3"
			 : "=m"(f->r10), "=m"(f->r11), "=m"(f->r12), "=m"(f->r13));
	__asm__ volatile("mov %%r14, %0\n\tmov %%r15, %1" : "=m"(f->r14), "=m"(f->r15));
	/* A 64-bit register destination zero-extends the selector; a memory one would
	 * write only 16 bits. */
	__asm__ volatile("mov %%cs, %0\n\tmov %%ss, %1" : "=r"(f->cs), "=r"(f->ss));
	f->rflags = read_rflags();
}

void panic(const char *fmt, ...)
{
	if (!panic_begin())
		cpu_halt_forever();
	struct percpu *cpu = percpu_this();
	va_list ap;
	va_start(ap, fmt);
	log_error("PANIC on cpu %u:", cpu ? cpu->index : 0);
	log_vmsg(LOG_ERROR, fmt, ap);
	va_end(ap);

	struct trap_frame f = { 0 };
	panic_capture(&f);
	/* Frame #0 is the call site in panic's caller; the walk continues from the
	 * caller's own frame (the rbp saved at panic's entry). */
	const uintptr_t *own = __builtin_frame_address(0);
	f.rsp = (uintptr_t)own;
	f.rbp = own[0];
	f.rip = (uintptr_t)__builtin_return_address(0);
	trap_dump_frame(&f);
	run_end(RUN_STATUS_CRASH);
}
