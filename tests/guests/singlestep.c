/* singlestep: RFLAGS.TF traps after an instruction the hypervisor emulates, as after any other. */
#include "guest.h"
#include "user.h"

const char guest_name[] = "singlestep";

/*
 * With TF set, the CPU raises a single-step #DB trap after each instruction, DR6.BS set and
 * the saved RIP pointing at the next instruction (SDM Vol. 3A 18.3.1.4; APM Vol. 2 13.1.3.3).
 * An instruction that exits to the hypervisor (CPUID, port I/O, RDMSR/WRMSR, an MMIO
 * access, MOV to CR4) and is carried out there must end the same way, at CPL 0 and
 * CPL 3, and also when it sits in an STI shadow. POPF sets TF for the instruction after
 * it: the first trap comes after the instruction under test.
 *
 * Each snippet: set TF with POPF, run the instruction, then `ss_end` where the trap must
 * point; the #DB handler clears TF once it reaches ss_end, so nothing after is stepped.
 */

#define DR6_BS (1ull << 14)
#define MAX_TRAPS 8

static struct {
	unsigned n;
	uint64_t rip[MAX_TRAPS];
	uint64_t cs[MAX_TRAPS];
	uint64_t dr6[MAX_TRAPS];
	uint64_t end;	/* the address the last trap must report */
} traps;

static uint64_t read_dr6(void)
{
	uint64_t v;
	asm volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static void write_dr6(uint64_t v)
{
	asm volatile("mov %0, %%dr6" ::"r"(v));
}

static void db_handler(struct irq_frame *frame)
{
	if (traps.n < MAX_TRAPS) {
		traps.rip[traps.n] = frame->rip;
		traps.cs[traps.n] = frame->cs;
		traps.dr6[traps.n] = read_dr6();
	}
	traps.n++;
	write_dr6(0xffff0ff0);	/* the architectural value with no debug condition */
	if (frame->rip == traps.end || traps.n >= MAX_TRAPS)
		frame->rflags &= ~(1ull << 8);
}

/* Each snippet is a function whose `end` label the trap must name; SNIPPET stores it. */
/* Stores the address of local label 1 (the snippet's end) before TF is set. */
#define SET_END(n) "lea 1f(%%rip), %%rsi; mov %%rsi, %" #n "\n\t"

static void ss_cpuid(void)
{
	uint32_t a = 0, b, c = 0, d;
	asm volatile(SET_END(4) ASM_SET_TF "cpuid\n\t1: nop"
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d), "=m"(traps.end)::"rsi", "memory");
}

static void ss_out(void)
{
	asm volatile(SET_END(0) ASM_SET_TF "outb %%al, $0x80\n\t1: nop"
		     : "=m"(traps.end) : "a"(0) : "rsi", "memory");
}

static void ss_in(void)
{
	uint32_t a;
	asm volatile(SET_END(1) ASM_SET_TF "inb $0x80, %%al\n\t1: nop"
		     : "=a"(a), "=m"(traps.end)::"rsi", "memory");
}

static void ss_rdmsr(void)
{
	uint32_t lo, hi;
	asm volatile(SET_END(2) ASM_SET_TF "rdmsr\n\t1: nop"
		     : "=a"(lo), "=d"(hi), "=m"(traps.end) : "c"(MSR_APIC_BASE) : "rsi", "memory");
}

static void ss_wrmsr(void)
{
	uint32_t lo = 0x06, hi = 0;	/* MTRR default type: write back, MTRRs off */
	asm volatile(SET_END(0) ASM_SET_TF "wrmsr\n\t1: nop"
		     : "=m"(traps.end) : "a"(lo), "d"(hi), "c"(0x2ff) : "rsi", "memory");
}

static void ss_mmio(void)
{
	uint32_t v;
	asm volatile(SET_END(1) ASM_SET_TF "movl (%2), %0\n\t1: nop"
		     : "=r"(v), "=m"(traps.end) : "r"(LAPIC_BASE + APIC_VERSION) : "rsi", "memory");
}

static void ss_cr4(void)
{
	uint64_t cr4;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile(SET_END(0) ASM_SET_TF "mov %1, %%cr4\n\t1: nop"
		     : "=m"(traps.end) : "r"(cr4) : "rsi", "memory");
}

/* In the STI shadow: the trap after STI itself is the CPU's; the one after CPUID is the
 * hypervisor's. Interrupts are off and nothing is pending, so STI changes nothing else. */
static void ss_sti_cpuid(void)
{
	uint32_t a = 0, b, c = 0, d;
	asm volatile(SET_END(4) ASM_SET_TF "sti\n\tcpuid\n\t1: cli"
		     : "+a"(a), "=b"(b), "+c"(c), "=d"(d), "=m"(traps.end)::"rsi", "memory");
}

struct snippet {
	const char *name;
	void (*fn)(void);
	bool user;		/* also at CPL 3 (no privileged instruction in it) */
	/* single-step traps it must take: after STI the CPU's own trap is model-specific
	 * (QEMU's TCG drops it), so sti-cpuid takes 1 or 2; the last is always nestor's */
	unsigned traps_min, traps_max;
};

static const struct snippet snippets[] = {
	{ "cpuid", ss_cpuid, true, 1, 1 },
	{ "out", ss_out, true, 1, 1 },
	{ "in", ss_in, true, 1, 1 },
	{ "rdmsr", ss_rdmsr, false, 1, 1 },
	{ "wrmsr", ss_wrmsr, false, 1, 1 },
	{ "mmio-read", ss_mmio, true, 1, 1 },
	{ "mov-cr4", ss_cr4, false, 1, 1 },
	{ "sti-cpuid", ss_sti_cpuid, false, 1, 2 },	/* after STI (the CPU's), after CPUID */
};

/* Exactly the expected traps; the last at the snippet's end, with DR6.BS, at the
 * expected privilege (a trap the hypervisor lost, or delivered twice, fails). */
static bool judge(struct multi_check *m, const struct snippet *sn, bool user)
{
	const char *name = sn->name;
	if (traps.n == 0)
		return multi_case(m, false, "%s%s: no #DB after it", name, user ? " (CPL 3)" : "");
	unsigned last = (traps.n < MAX_TRAPS ? traps.n : MAX_TRAPS) - 1;
	bool ok = traps.n >= sn->traps_min && traps.n <= sn->traps_max && traps.rip[last] == traps.end &&
		  (traps.dr6[last] & DR6_BS) && (traps.cs[last] & 3) == (user ? 3u : 0u);
	return multi_case(m, ok, "%s%s: %u traps, last at rip %#lx (want %#lx), dr6 %#lx, cs %#lx",
			  name, user ? " (CPL 3)" : "", traps.n, (unsigned long)traps.rip[last],
			  (unsigned long)traps.end, (unsigned long)traps.dr6[last],
			  (unsigned long)traps.cs[last]);
}

static void run_all(bool user)
{
	struct multi_check m;
	multi_begin(&m, user ? "single-step-emulated-cpl3" : "single-step-emulated-cpl0");
	for (unsigned i = 0; i < sizeof(snippets) / sizeof(snippets[0]); i++) {
		if (user && !snippets[i].user)
			continue;
		traps.n = 0;
		traps.end = 0;
		if (user)
			user_run(snippets[i].fn, RFLAGS_IOPL3);
		else
			snippets[i].fn();
		judge(&m, &snippets[i], user);
	}
	multi_end(&m);
}

void guest_main(void)
{
	idt_set_handler(1, db_handler);
	run_all(false);
	run_all(true);
}
