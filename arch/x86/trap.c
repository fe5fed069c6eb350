/* trap: nestor's own exceptions and interrupts (IDT, frame layout, dispatch). */
#include "arch/x86/trap.h"

#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/panic.h"
#include "arch/x86/percpu.h"
#include "drivers/run_end.h"
#include "lib/log.h"

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization exception",
	"#CP control protection", "reserved 22", "reserved 23", "reserved 24",
	"reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security exception", "reserved 31",
};

const char *trap_vector_name(unsigned vector)
{
	return vector < 32 ? exception_names[vector] : "external interrupt";
}

void trap_dump_frame(const struct trap_frame *f)
{
	log_error("  rip 0x%016llx  cs 0x%04llx  rflags 0x%08llx", (unsigned long long)f->rip,
		  (unsigned long long)f->cs, (unsigned long long)f->rflags);
	log_error("  rsp 0x%016llx  ss 0x%04llx", (unsigned long long)f->rsp,
		  (unsigned long long)f->ss);
	log_error("  rax 0x%016llx  rbx 0x%016llx  rcx 0x%016llx", (unsigned long long)f->rax,
		  (unsigned long long)f->rbx, (unsigned long long)f->rcx);
	log_error("  rdx 0x%016llx  rsi 0x%016llx  rdi 0x%016llx", (unsigned long long)f->rdx,
		  (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	log_error("  rbp 0x%016llx  r8  0x%016llx  r9  0x%016llx", (unsigned long long)f->rbp,
		  (unsigned long long)f->r8, (unsigned long long)f->r9);
	log_error("  r10 0x%016llx  r11 0x%016llx  r12 0x%016llx", (unsigned long long)f->r10,
		  (unsigned long long)f->r11, (unsigned long long)f->r12);
	log_error("  r13 0x%016llx  r14 0x%016llx  r15 0x%016llx", (unsigned long long)f->r13,
		  (unsigned long long)f->r14, (unsigned long long)f->r15);
	log_error("  cr0 0x%016llx  cr2 0x%016llx  cr3 0x%016llx  cr4 0x%016llx",
		  (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		  (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	backtrace_log(f->rip, f->rbp);
}

static void trap_fatal(struct trap_frame *f)
{
	struct percpu *cpu = percpu_this();
	if (!panic_begin())
		cpu_halt_forever();
	log_error("CPU exception %s (vector %llu) error code %#llx on cpu %u",
		  trap_vector_name((unsigned)f->vector), (unsigned long long)f->vector,
		  (unsigned long long)f->error_code, cpu ? cpu->index : 0);
	if (f->vector == 14)
		log_error("  page fault address (cr2) %#llx: %s, %s, %s",
			  (unsigned long long)read_cr2(),
			  f->error_code & 1 ? "protection violation" : "page not present",
			  f->error_code & 2 ? "write" : "read",
			  f->error_code & 16 ? "instruction fetch" : "data access");
	trap_dump_frame(f);
	run_end(RUN_STATUS_CRASH);
}

static trap_irq_handler irq_handlers[256];

void trap_set_irq_handler(unsigned vector, trap_irq_handler handler)
{
	if (vector >= 32 && vector < 256)
		irq_handlers[vector] = handler;
}

/* svm_entry.asm: the host's first instruction once VMRUN returns (#VMEXIT). */
extern const char svm_vmexit_rip[];

/*
 * A #DB at the #VMEXIT return point is not nestor's: nestor sets no breakpoint and never
 * single-steps itself, and a #VMEXIT loads the host's state (APM Vol. 2 15.6), so a debug
 * trap the guest had pending is the guest's. Bochs 2.7's SVM delivers it in host context
 * there (docs/svm.md: a single-stepping guest ended nestor with status 0x7e). It is
 * dropped, DR6 cleared, and said once with a count: a guest must not end nestor.
 */
static bool trap_stray_vmexit_debug(const struct trap_frame *f)
{
	static uint64_t seen;
	if (f->vector != 1 || f->rip != (uint64_t)(uintptr_t)svm_vmexit_rip)
		return false;
	asm volatile("mov %0, %%dr6" ::"r"(0xffff0ff0ull));
	if (__atomic_fetch_add(&seen, 1, __ATOMIC_RELAXED) == 0)
		log_warn("a guest's debug trap was delivered to nestor right after #VMEXIT "
			 "(rflags %#llx); dropped (the emulated CPU's fault; said once)",
			 (unsigned long long)f->rflags);
	return true;
}

void trap_dispatch(struct trap_frame *f)
{
	if (trap_stray_vmexit_debug(f))
		return;
	if (f->vector < 32) {
		trap_fatal(f);
		return;
	}
	trap_irq_handler h = irq_handlers[f->vector & 0xff];
	if (h) {
		h(f);
		return;
	}
	/* No EOI: an unknown vector may be spurious (0xff must not be EOIed) or from a
	 * device nestor never programmed; say so once per vector and carry on. */
	static uint8_t reported[256 / 8];
	unsigned v = f->vector & 0xff;
	if (!(reported[v / 8] & (1u << (v % 8)))) {
		reported[v / 8] |= (uint8_t)(1u << (v % 8));
		log_warn("unexpected interrupt, vector %u at rip %#llx (reported once)", v,
			 (unsigned long long)f->rip);
	}
}
