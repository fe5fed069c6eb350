/* intr_shadow: the STI shadow ends with the instruction it covers, even one the hypervisor emulates. */
#include "guest.h"
#include "ioapic.h"

const char guest_name[] = "intr_shadow";

/*
 * After STI, interrupts stay blocked for exactly one instruction (SDM Vol. 3A 6.8.3,
 * APM Vol. 2 8.2). When that instruction exits to the hypervisor (HLT, OUT, CPUID, RDMSR,
 * an MMIO read), the hypervisor completes it; if it leaves the shadow standing, an
 * interrupt already pending is held off for one more instruction, the CLI that follows,
 * and then not taken at all. So after `sti; INSN; cli` a pending interrupt must have been
 * taken: its handler ran before the CLI.
 */

#define VEC_SELF	0x70
#define VEC_TIMER	0x71
#define VEC_LEVEL	0x72
#define LINE_LEVEL	15	/* pc-testdev drives ISA lines; line 15 arrives at pin 15 */
#define LOOP_US		2000000

static volatile unsigned taken[256];

static void count_handler(struct irq_frame *frame)
{
	taken[frame->vector]++;
	lapic_eoi();
}

static void self_ipi(unsigned vector)
{
	lapic_write(APIC_ICR_HIGH, 0);
	lapic_write(APIC_ICR_LOW, ICR_SELF | ICR_ASSERT | ICR_DM_FIXED | vector);
}

/* Each runs with IF=0 and an interrupt pending, and returns with IF=0. */
static void sti_out_cli(void)
{
	asm volatile("sti; outb %%al, $0x80; cli" ::"a"(0) : "memory");
}

static void sti_cpuid_cli(void)
{
	uint32_t a = 0, b, c = 0, d;
	asm volatile("sti; cpuid; cli" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)::"memory");
}

static void sti_rdmsr_cli(void)
{
	uint32_t lo, hi;
	asm volatile("sti; rdmsr; cli" : "=a"(lo), "=d"(hi) : "c"(0x1b) : "memory");
}

static void sti_mmio_cli(void)
{
	uint32_t v;
	asm volatile("sti; movl (%1), %0; cli"
		     : "=r"(v) : "r"(LAPIC_BASE + APIC_VERSION) : "memory");
}

static void sti_hlt_cli(void)
{
	asm volatile("sti; hlt; cli" ::: "memory");
}

static const struct {
	const char *name;
	void (*run)(void);
} shadowed[] = {
	{ "out", sti_out_cli },
	{ "cpuid", sti_cpuid_cli },
	{ "rdmsr", sti_rdmsr_cli },
	{ "mmio-read", sti_mmio_cli },
	{ "hlt", sti_hlt_cli },
};

static void check_pending_taken_before_cli(void)
{
	struct multi_check m;
	multi_begin(&m, "pending-irq-taken-after-shadowed-insn");
	for (unsigned i = 0; i < sizeof(shadowed) / sizeof(shadowed[0]); i++) {
		unsigned before = taken[VEC_SELF];
		self_ipi(VEC_SELF);	/* pending from here on, held off by IF=0 */
		shadowed[i].run();
		unsigned after = taken[VEC_SELF];
		irq_settle();		/* the late delivery of the buggy case, so it doesn't leak */
		multi_case(&m, after == before + 1, "sti; %s; cli: the interrupt was %s before the "
			   "CLI", shadowed[i].name, after == before ? "not taken" : "taken twice");
	}
	multi_end(&m);
}

/* HLT woken by an interrupt that arrives during the halt (a one-shot LAPIC timer). */
static void check_hlt_woken_by_timer(void)
{
	lapic_write(APIC_TIMER_DIVIDE, 0xb);	/* divide by 1 */
	lapic_write(APIC_LVT_TIMER, VEC_TIMER);
	lapic_write(APIC_TIMER_INIT, 100000);
	unsigned before = taken[VEC_TIMER];
	sti_hlt_cli();
	unsigned after = taken[VEC_TIMER];
	irq_settle();
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	report_check(after == before + 1, "hlt-wake-taken-before-cli",
		     "the timer interrupt that ended HLT was %s before the CLI",
		     after == before ? "not taken" : "taken more than once");
}

/*
 * A level-triggered interrupt whose line is still high at EOI is delivered again (82093AA:
 * Remote IRR clears at EOI and the asserted line raises it anew). The guest waits in a
 * `sti; hlt; cli` loop, as standard test kernels do; the handler lowers the line only on
 * the second delivery. A watchdog timer keeps HLT from waiting forever.
 */
static volatile unsigned level_taken;

static void level_handler(struct irq_frame *frame)
{
	(void)frame;
	if (++level_taken >= 2)
		testdev_set_irq_line(LINE_LEVEL, 0);
	lapic_eoi();
}

static void check_level_redelivered_to_hlt_loop(void)
{
	idt_set_handler(VEC_LEVEL, level_handler);
	ioapic_redir_write(LINE_LEVEL, REDIR_DEST(percpu[0].apic_id) | REDIR_LEVEL | VEC_LEVEL);
	lapic_write(APIC_TIMER_DIVIDE, 0xb);
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_TIMER);
	lapic_write(APIC_TIMER_INIT, 1000000);
	level_taken = 0;
	testdev_set_irq_line(LINE_LEVEL, 1);
	uint64_t deadline = timeout_after_us(LOOP_US);
	while (level_taken < 2 && !timeout_expired(deadline))
		sti_hlt_cli();
	lapic_write(APIC_LVT_TIMER, LVT_MASKED);
	testdev_set_irq_line(LINE_LEVEL, 0);
	ioapic_redir_write(LINE_LEVEL, REDIR_MASKED);
	report_check(level_taken == 2, "level-redelivered-to-hlt-loop",
		     "%u deliveries of a level interrupt whose line stayed high at the first EOI "
		     "(want 2)", level_taken);
}

void guest_main(void)
{
	idt_set_handler(VEC_SELF, count_handler);
	idt_set_handler(VEC_TIMER, count_handler);
	check_pending_taken_before_cli();
	check_hlt_woken_by_timer();
	check_level_redelivered_to_hlt_loop();
}
