/* ac_loop: an AP in 32-bit protected mode makes #AC delivery raise #AC forever (CVE-2015-5307); the BSP runs on. */
#include "guest.h"
#include "ac_loop.h"
#include "layout.h"
#include "lib/format.h"
#include "lib/string.h"
#include "smp.h"

const char guest_name[] = "ac_loop";

/*
 * CPU 1 starts straight into legacy 32-bit protected mode (ac_loop32.S), takes one #AC
 * at CPL 3 as a probe, then sets up the XSA-156 case: #AC's IDT gate leads to CPL-3 code
 * and CPL-3 code faults with a misaligned ESP, so every delivery of #AC raises #AC again
 * on its first push. The CPU would stay in that loop for good (there is no instruction
 * boundary in between, and XSA-156 found that neither an NMI nor an interrupt ends it): a
 * hypervisor that does not intercept #AC loses the physical CPU. The BSP shows it still runs (its LAPIC timer ticks) and ends the run;
 * the harness checks that nestor's report counted the AP's exception exits.
 *
 * It cannot be done in 64-bit mode, where every delivery aligns RSP to 16 bytes first
 * (SDM Vol. 3A 6.14.2); exc_loop.c has the 64-bit #AC and the #DB loop (CVE-2015-8104).
 */

#define VEC_TICK 0x40
#define TICK_COUNT 100000u

/* Built here, used by ac_loop32.S in legacy mode. */
uint64_t ac32_gdt[AC32_GDT_ENTRIES] __attribute__((aligned(16)));
uint64_t ac32_idt[AC32_IDT_ENTRIES] __attribute__((aligned(16)));
uint64_t ac32_loop_gate;
struct {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed)) ac32_idt_desc;

/* The 32-bit TSS (SDM Vol. 3A 8.2.1, Figure 8-2): only SS0:ESP0 is used (the probe's
 * way from CPL 3 to CPL 0); no I/O bitmap. */
struct tss32 {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss32) == 104, "32-bit TSS is 104 bytes");
struct tss32 ac32_tss __attribute__((aligned(16)));

/* The misaligned operand: ac32_buf + 1. */
uint8_t ac32_buf[16] __attribute__((aligned(16)));

/* Written by the AP in 32-bit mode, read by the BSP. */
volatile uint32_t ac32_in_legacy, ac32_cr0, ac32_efer;
volatile uint32_t ac32_probe_done, ac32_probe_count, ac32_probe_error, ac32_probe_eip,
	ac32_probe_cs;
volatile uint32_t ac32_looping, ac32_no_fault, ac32_handler_ran;
volatile uint32_t ac32_unexpected, ac32_unexpected_frame[3];

/* In ac_loop32.S. */
extern const char ac32_trampoline[], ac32_trampoline_end[];
extern const char ac32_probe_load[], ac32_probe_handler[], ac32_next[], ac32_landing[];
extern const char ac32_unexpected_stubs[], ac32_kstack_top[];

/* A 32-bit interrupt gate (SDM Vol. 3A 6.11, Figure 6-2): P, DPL, type 1110b. */
static uint64_t gate32(const void *handler, uint16_t selector, unsigned dpl)
{
	uint64_t off = (uintptr_t)handler;
	return (off & 0xffff) | ((uint64_t)selector << 16) | ((uint64_t)(0x8e | (dpl << 5)) << 40) |
	       ((off >> 16) << 48);
}

static void build_tables(void)
{
	uint64_t base = (uintptr_t)&ac32_tss, limit = sizeof(ac32_tss) - 1;

	ac32_gdt[0] = 0;
	ac32_gdt[AC32_CS0 / 8] = 0x00cf9a000000ffffull;	/* G, D = 1, P, DPL 0, code r/x */
	ac32_gdt[AC32_DS0 / 8] = 0x00cf92000000ffffull;	/* G, B = 1, P, DPL 0, data r/w */
	ac32_gdt[AC32_CS3 / 8] = 0x00cffa000000ffffull;	/* the same, DPL 3 */
	ac32_gdt[AC32_DS3 / 8] = 0x00cff2000000ffffull;
	/* Type 9: an available 32-bit TSS (8.2.2); LTR marks it busy. */
	ac32_gdt[AC32_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
				 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);

	for (unsigned v = 0; v < AC32_IDT_ENTRIES; v++)
		ac32_idt[v] = gate32(ac32_unexpected_stubs + 16 * v, AC32_CS0, 0);
	ac32_idt[AC_VECTOR] = gate32(ac32_probe_handler, AC32_CS0, 0);
	/* INT n from CPL 3 needs a gate DPL of 3 (6.12.1.1). */
	ac32_idt[AC32_VEC_NEXT] = gate32(ac32_next, AC32_CS0, 3);
	/* The loop's #AC gate: the DPL-3 code segment. Exceptions ignore the gate's DPL. */
	ac32_loop_gate = gate32(ac32_landing, AC32_CS3, 0);
	ac32_idt_desc.limit = sizeof(ac32_idt) - 1;
	ac32_idt_desc.base = (uint32_t)(uintptr_t)ac32_idt;

	ac32_tss = (struct tss32){ .esp0 = (uint32_t)(uintptr_t)ac32_kstack_top,
				   .ss0 = AC32_DS0, .iomap_base = sizeof(ac32_tss) };
}

/*
 * INIT-SIPI-SIPI to the other CPUs (SDM Vol. 3A 8.4.4.1, as lib/smp.c does), with
 * ac_loop32.S's trampoline instead of the library's: the AP never enters long mode.
 */
static void start_ap_in_protected_mode(void)
{
	memcpy((void *)TRAMPOLINE_BASE, ac32_trampoline, ac32_trampoline_end - ac32_trampoline);
	lapic_send_ipi(0, ICR_ALL_EXCLUDING_SELF | ICR_ASSERT | ICR_DM_INIT);
	delay_us(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(0, ICR_ALL_EXCLUDING_SELF | ICR_DM_STARTUP | (TRAMPOLINE_BASE >> 12));
		delay_us(200);
	}
}

static bool wait_for(volatile uint32_t *flag, uint64_t us)
{
	uint64_t deadline = timeout_after_us(us);
	while (!*flag && !ac32_unexpected && !timeout_expired(deadline))
		cpu_relax();
	return *flag;
}

static const char *unexpected(void)
{
	static char why[96];
	if (!ac32_unexpected)
		return "";
	fmt_snprintf(why, sizeof(why), "; unexpected exception %u in 32-bit mode, frame %#x %#x %#x",
		     ac32_unexpected & 0xff, ac32_unexpected_frame[0], ac32_unexpected_frame[1],
		     ac32_unexpected_frame[2]);
	return why;
}

void guest_main(void)
{
	unsigned expected = smp_expected_cpus();
	if (!report_check(expected >= 2, "two-cpus", "%u CPUs: the loop needs an AP", expected))
		return;
	build_tables();
	start_ap_in_protected_mode();

	bool legacy = wait_for(&ac32_in_legacy, 5000000);
	report_check(legacy && (ac32_cr0 & CR0_PE) && !(ac32_cr0 & CR0_PG) &&
		     (ac32_cr0 & AC32_CR0_AM) && !(ac32_efer & (AC32_EFER_LME | AC32_EFER_LMA)),
		     "ap-in-legacy-mode", "reached: %d, CR0 %#x, EFER %#x%s", legacy, ac32_cr0,
		     ac32_efer, unexpected());

	/* The probe: one #AC at CPL 3 in legacy mode, error code 0, EIP of the load (6.15). */
	bool probed = wait_for(&ac32_probe_done, 2000000);
	report_check(probed && ac32_probe_count == 1 && ac32_probe_error == 0 &&
		     ac32_probe_eip == (uint32_t)(uintptr_t)ac32_probe_load &&
		     ac32_probe_cs == AC32_CS3, "ac-at-cpl3-in-legacy-mode",
		     "probe done: %d, %u #AC, error %#x, eip %#x (want %#x), cs %#x%s", probed,
		     ac32_probe_count, ac32_probe_error, ac32_probe_eip,
		     (uint32_t)(uintptr_t)ac32_probe_load, ac32_probe_cs, unexpected());

	/* The loop: the AP stays in #AC delivery while the BSP's timer ticks. */
	wait_for(&ac32_looping, 1000000);
	delay_us(100000);
	idt_set_handler(VEC_TICK, lapic_eoi_handler);
	lapic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_TICK);
	lapic_write(APIC_TIMER_INIT, TICK_COUNT);
	bool ticked = irq_wait(0, VEC_TICK, 5, 2000000);
	lapic_write(APIC_TIMER_INIT, 0);
	report_check(ac32_looping && ticked, "bsp-runs-during-ac-loop",
		     "AP in its loop: %u, %u timer ticks on the BSP", ac32_looping,
		     this_cpu()->irq_count[VEC_TICK]);
	report_check(ac32_looping && !ac32_no_fault && !ac32_handler_ran && !ac32_unexpected,
		     "ac-loop-held", "%s%s",
		     ac32_no_fault ? "the misaligned load at CPL 3 raised no #AC"
		     : ac32_handler_ran ? "the AP's CPL-3 #AC handler ran: a delivery completed"
		     : !ac32_looping ? "the AP never reached its loop" : "",
		     unexpected());
}
