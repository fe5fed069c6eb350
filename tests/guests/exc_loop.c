/* exc_loop: #AC and #DB delivered as the CPU does, and a #DB delivery loop that must not wedge the CPU. */
#include "guest.h"
#include "arch/x86/tss.h"
#include "smp.h"
#include "user.h"

const char guest_name[] = "exc_loop";

/*
 * Part 1, on the BSP: each exception once, as the architecture delivers it.
 * - #AC (SDM Vol. 3A 6.15, Interrupt 17): a misaligned load at CPL 3 with CR0.AM and
 *   RFLAGS.AC set; error code 0, the saved RIP is the load's (a fault).
 * - #DB (SDM Vol. 3B 18.2, 18.3.1): a data breakpoint (trap: RIP after the write, DR6.B0),
 *   an instruction breakpoint (fault: RIP of the instruction, DR6.B1; the handler sets RF
 *   to go on), a single step (trap, DR6.BS) and general detect (fault on MOV DR with
 *   DR7.GD: DR6.BD, and GD is clear when the handler runs, 18.2.4).
 * A hypervisor that intercepts #AC and #DB gives each back exactly once, with these bits.
 *
 * Part 2: the AP makes #DB delivery raise #DB forever (CVE-2015-8104): #DB goes through an
 * IST stack (always the same addresses) with a data breakpoint on its top slot, so every
 * delivery writes the breakpoint and raises #DB again before the handler's first
 * instruction. A benign exception during its own delivery is delivered again (SDM Vol. 3A
 * 6.15, Tables 6-4/6-5), with no instruction boundary for an interrupt: a hypervisor that
 * does not intercept #DB loses that physical CPU. The BSP then shows it still runs (its
 * LAPIC timer ticks) and ends the run; the harness checks nestor's report counted the
 * AP's exception exits.
 */

#define CR0_AM (1ull << 18)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_RF (1ull << 16)
#define RFLAGS_AC (1ull << 18)
#define DR6_CLEAN 0xffff0ff0ull
#define DR6_BD (1ull << 13)
#define DR6_BS (1ull << 14)
#define DR7_BASE 0x400ull
#define DR7_GD (1ull << 13)
#define VEC_TICK 0x40
#define TICK_COUNT 100000u

#define READ_DR(n, v) asm volatile("mov %%dr" #n ", %0" : "=r"(v))
#define WRITE_DR(n, v) asm volatile("mov %0, %%dr" #n ::"r"((uint64_t)(v)) : "memory")

static struct {
	unsigned n;
	uint64_t rip, cs, rflags, error, dr6, dr7;
	bool set_rf, clear_tf;
} exc;

static uint64_t expect_rip;
static volatile uint32_t watched;
static uint8_t misaligned_buf[16] __attribute__((aligned(16)));

static void record(struct irq_frame *f)
{
	exc.n++;
	exc.rip = f->rip;
	exc.cs = f->cs;
	exc.rflags = f->rflags;
	exc.error = f->error;
}

/* #AC: recorded; RFLAGS.AC off in the frame, so the load runs again without faulting. */
static void ac_handler(struct irq_frame *f)
{
	record(f);
	f->rflags &= ~RFLAGS_AC;
}

/* #DB: DR6 and DR7 first (with GD still set, reading them would fault again). */
static void db_handler(struct irq_frame *f)
{
	uint64_t dr6, dr7;
	READ_DR(6, dr6);
	READ_DR(7, dr7);
	record(f);
	exc.dr6 = dr6;
	exc.dr7 = dr7;
	WRITE_DR(6, DR6_CLEAN);
	if (exc.set_rf)
		f->rflags |= RFLAGS_RF;
	if (exc.clear_tf)
		f->rflags &= ~RFLAGS_TF;
}

static void reset(void)
{
	exc = (typeof(exc)){ 0 };
	WRITE_DR(6, DR6_CLEAN);
}

/* At CPL 3 with RFLAGS.AC: a 4-byte load from an odd address. */
static void ac_user(void)
{
	uint32_t v;
	asm volatile("lea 1f(%%rip), %%rsi; mov %%rsi, %1\n\t1: movl (%2), %0"
		     : "=r"(v), "=m"(expect_rip) : "r"(misaligned_buf + 1) : "rsi", "memory");
}

static void check_ac(void)
{
	reset();
	write_cr0(read_cr0() | CR0_AM);
	user_run(ac_user, RFLAGS_AC);
	write_cr0(read_cr0() & ~CR0_AM);
	report_check(exc.n == 1 && exc.error == 0 && exc.rip == expect_rip && (exc.cs & 3) == 3,
		     "ac-delivered-once", "%u #AC, error %#lx, rip %#lx (want %#lx), cs %#lx",
		     exc.n, (unsigned long)exc.error, (unsigned long)exc.rip,
		     (unsigned long)expect_rip, (unsigned long)exc.cs);
}

static void check_data_breakpoint(void)
{
	reset();
	WRITE_DR(0, (uintptr_t)&watched);
	/* L0, R/W0 = 01 (writes), LEN0 = 11 (4 bytes): SDM 18.2.4. */
	WRITE_DR(7, DR7_BASE | 1 | (1ull << 16) | (3ull << 18));
	asm volatile("lea 1f(%%rip), %%rsi; mov %%rsi, %0\n\tmovl $1, %1\n\t1: nop"
		     : "=m"(expect_rip), "=m"(watched)::"rsi", "memory");
	WRITE_DR(7, DR7_BASE);
	report_check(exc.n == 1 && exc.rip == expect_rip && (exc.dr6 & 0xf) == 1 &&
		     !(exc.dr6 & (DR6_BS | DR6_BD)), "db-data-breakpoint",
		     "%u #DB, rip %#lx (want %#lx), dr6 %#lx", exc.n, (unsigned long)exc.rip,
		     (unsigned long)expect_rip, (unsigned long)exc.dr6);
}

static void check_insn_breakpoint(void)
{
	reset();
	exc.set_rf = true;
	/* DR1 on the NOP; L1, R/W1 = 00 (execution), LEN1 = 00. */
	asm volatile("lea 1f(%%rip), %%rax; mov %%rax, %%dr1; mov %%rax, %0\n\t"
		     "mov $0x404, %%rax; mov %%rax, %%dr7\n\t1: nop\n\t"
		     "mov $0x400, %%rax; mov %%rax, %%dr7"
		     : "=m"(expect_rip)::"rax", "memory");
	report_check(exc.n == 1 && exc.rip == expect_rip && (exc.dr6 & 0xf) == 2 &&
		     !(exc.dr6 & (DR6_BS | DR6_BD)), "db-instruction-breakpoint",
		     "%u #DB, rip %#lx (want %#lx), dr6 %#lx", exc.n, (unsigned long)exc.rip,
		     (unsigned long)expect_rip, (unsigned long)exc.dr6);
}

static void check_single_step(void)
{
	reset();
	exc.clear_tf = true;
	asm volatile("lea 1f(%%rip), %%rsi; mov %%rsi, %0\n\t"
		     ASM_SET_TF "nop\n\t1: nop"
		     : "=m"(expect_rip)::"rsi", "memory");
	report_check(exc.n == 1 && exc.rip == expect_rip && (exc.dr6 & DR6_BS) &&
		     !(exc.dr6 & 0xf), "db-single-step", "%u #DB, rip %#lx (want %#lx), dr6 %#lx",
		     exc.n, (unsigned long)exc.rip, (unsigned long)expect_rip,
		     (unsigned long)exc.dr6);
}

static void check_general_detect(void)
{
	reset();
	uint64_t dr7_after;
	asm volatile("lea 1f(%%rip), %%rsi; mov %%rsi, %0\n\t"
		     "mov $0x2400, %%rax; mov %%rax, %%dr7\n\t1: mov %%dr0, %%rax"
		     : "=m"(expect_rip)::"rsi", "rax", "memory");
	READ_DR(7, dr7_after);
	WRITE_DR(7, DR7_BASE);
	report_check(exc.n == 1 && exc.rip == expect_rip && (exc.dr6 & DR6_BD) &&
		     !(exc.dr7 & DR7_GD) && !(dr7_after & DR7_GD), "db-general-detect",
		     "%u #DB, rip %#lx (want %#lx), dr6 %#lx, dr7 in the handler %#lx", exc.n,
		     (unsigned long)exc.rip, (unsigned long)expect_rip, (unsigned long)exc.dr6,
		     (unsigned long)exc.dr7);
}

/* ---- part 2: the AP's #DB delivery loop ---- */

struct gate64 {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed));

extern uint64_t gdt[GDT_ENTRIES];
static uint64_t ap_gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct gate64 ap_idt[2] __attribute__((aligned(16)));
static struct tss64 ap_tss;
static uint8_t ap_ist[4096] __attribute__((aligned(4096)));
static volatile int ap_looping, ap_handler_ran;

/* Reached only when a delivery did not hit the breakpoint: the loop broke. */
void ap_db_landing(void);
asm(".text\n.globl ap_db_landing\nap_db_landing:\n"
    "movl $1, ap_handler_ran(%rip)\n1: cli; hlt; jmp 1b\n");

static void lgdt_lidt_ltr(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) g = { sizeof(ap_gdt) - 1, (uintptr_t)ap_gdt },
				  i = { sizeof(ap_idt) - 1, (uintptr_t)ap_idt };
	asm volatile("lgdt %0; lidt %1; ltr %w2" ::"m"(g), "m"(i), "r"(GDT_TSS) : "memory");
}

static void ap_db_loop(void *arg)
{
	(void)arg;
	asm volatile("cli");
	uint64_t top = (uintptr_t)(ap_ist + sizeof(ap_ist));
	uint64_t base = (uintptr_t)&ap_tss, limit = sizeof(ap_tss) - 1;
	uint64_t handler = (uintptr_t)ap_db_landing;
	for (unsigned i = 0; i < GDT_ENTRIES; i++)
		ap_gdt[i] = gdt[i];
	ap_gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
			      (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	ap_gdt[GDT_TSS / 8 + 1] = base >> 32;
	ap_tss.ist[0] = top;
	ap_tss.iomap_base = sizeof(ap_tss);
	ap_idt[1] = (struct gate64){ .offset_low = handler & 0xffff, .selector = GDT_CODE64,
				     .ist = 1, .type_attr = 0x8e,
				     .offset_mid = (handler >> 16) & 0xffff,
				     .offset_high = handler >> 32 };
	lgdt_lidt_ltr();
	/* The SS slot of every #DB frame (the first write of its delivery, SDM Vol. 3A
	 * 6.14.2): R/W0 = 01, LEN0 = 11 (4 bytes). */
	WRITE_DR(0, top - 8);
	WRITE_DR(7, DR7_BASE | 1 | (1ull << 16) | (3ull << 18));
	ap_looping = 1;
	*(volatile uint32_t *)(uintptr_t)(top - 8) = 0;	/* the first #DB */
	for (;;)
		asm volatile("cli; hlt");
}

static unsigned ticks(void)
{
	return this_cpu()->irq_count[VEC_TICK];
}

static void check_db_loop(void)
{
	unsigned expected = smp_expected_cpus();
	if (!report_check(expected >= 2 && smp_start_aps(expected) == expected, "two-cpus",
			  "%u CPUs online of %u expected", smp_online_cpus(), expected))
		return;
	smp_run_on(1, ap_db_loop, NULL);
	uint64_t deadline = timeout_after_us(1000000);
	while (!ap_looping && !timeout_expired(deadline))
		cpu_relax();
	delay_us(100000);	/* the AP loops meanwhile */
	idt_set_handler(VEC_TICK, lapic_eoi_handler);
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_TICK);
	lapic_write(APIC_TIMER_INIT, TICK_COUNT);
	bool ticked = irq_wait(0, VEC_TICK, 5, 2000000);
	lapic_write(APIC_TIMER_INIT, 0);
	report_check(ap_looping && ticked, "bsp-runs-during-db-loop",
		     "AP in its loop: %d, %u timer ticks on the BSP", ap_looping, ticks());
	report_check(ap_looping && !ap_handler_ran, "db-loop-held",
		     "the AP's #DB handler ran: a delivery did not hit the breakpoint");
}

void guest_main(void)
{
	idt_set_handler(1, db_handler);
	idt_set_handler(17, ac_handler);
	check_ac();
	check_data_breakpoint();
	check_insn_breakpoint();
	check_single_step();
	check_general_detect();
	check_db_loop();
}
