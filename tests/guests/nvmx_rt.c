/* nvmx_rt: an L1 test kernel for the nested runtime: L2 exits, what L1 reads about them, its state after. */
#include "guest.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "lib/string.h"
#include "tests/guests/nvmx_l1.h"

/*
 * Small L2 programs (nvmx_rt_entry.S) under the valid vmcs12 of tests/nvmx with one control
 * changed each: the exit L1 gets (reason, qualification, interruption and IDT-vectoring
 * information, instruction length, guest-physical address), L2's registers and L1's host
 * state after it (SDM 27.2-27.5), exits L1 did not ask for (nestor's, invisible to L1),
 * L1's own interrupt while L2 runs (external-interrupt exiting, acknowledge on exit), and
 * the VMX instructions' failures. It runs on Bochs alone (the CPU's VMX) and as nestor's
 * L1 (nestor's nested VMX): both must pass, which is the point.
 */
const char guest_name[] = "nvmx_rt";

extern int nvmx_rt_run(int resume);
extern char nvmx_rt_exit[], rt_l2_cpuid[], rt_l2_io[], rt_l2_rdmsr[], rt_l2_hlt[], rt_l2_ud[],
	rt_l2_store[], rt_l2_spin[], rt_l2_cr8[], rt_l2_cr0[], rt_l2_vmcall[], rt_l2_db[],
	rt_l2_db_handler[];
uint64_t nvmx_rt_gpr[16];

#define R_RAX 0
#define R_RCX 1
#define R_RDX 2
#define R_RDI 7
#define R_R8 8
#define R_R9 9
#define R_R10 10
#define DR6_BS (1ull << 14)

#define EXIT_EXCEPTION 0u
#define EXIT_EXTINT 1u
#define EXIT_CPUID 10u
#define EXIT_HLT 12u
#define EXIT_VMCALL 18u
#define EXIT_CR 28u
#define EXIT_IO 30u
#define EXIT_RDMSR 31u
#define EXIT_TPR_BELOW 43u
#define EXIT_EPT_VIOLATION 48u

static struct nvmx_case kase = { &nk.v, &nk.caps, &nk.lay, &nk.env };
static volatile unsigned l1_irqs;

static void l1_irq(struct irq_frame *f)
{
	(void)f;
	l1_irqs++;
	lapic_eoi();
}

/* L1's LAPIC timer, one-shot: an interrupt for L1 shortly after L2 starts. */
static void l1_timer(unsigned vector)
{
	lapic_write(APIC_TIMER_DIVIDE, 0xb);		/* divide by 1 */
	lapic_write(APIC_LVT_TIMER, vector);
	lapic_write(APIC_TIMER_INIT, 20000);
}

/* A fresh valid vmcs12 whose L2 starts at `rip`. */
static void fresh(void *rip)
{
	nvmx_valid_vmcs12(&kase);
	nk.v.host_fs_base = rdmsr(MSR_FS_BASE);
	nk.v.host_gs_base = rdmsr(MSR_GS_BASE);
	nk.v.guest_rip = (uint64_t)(uintptr_t)rip;
	nk.v.entry_msr_load_count = 0;
	memset(nvmx_rt_gpr, 0, sizeof(nvmx_rt_gpr));
}

static uint32_t reason(void)
{
	return (uint32_t)vmcs_read(VMCS_EXIT_REASON);
}

/* Launches the vmcs12 as built; the exit reason, or ~0 after a VMfail. */
static uint32_t launch(void)
{
	nvmx_l1_load_vmcs();
	return nvmx_rt_run(0) ? ~0u : reason();
}

static uint32_t resume_after(void)
{
	vmcs_write(VMCS_GUEST_RIP, vmcs_read(VMCS_GUEST_RIP) + vmcs_read(VMCS_EXIT_INSTRUCTION_LEN));
	return nvmx_rt_run(1) ? ~0u : reason();
}

static void test_cpuid(void)
{
	uint32_t r;
	fresh(rt_l2_cpuid);
	r = launch();
	report_check(r == EXIT_CPUID && vmcs_read(VMCS_EXIT_INSTRUCTION_LEN) == 2 &&
		     vmcs_read(VMCS_GUEST_RIP) == (uint64_t)(uintptr_t)rt_l2_cpuid + 9 &&
		     nvmx_rt_gpr[R_R8] == 0x1234,
		     "cpuid-exit", "reason %u len %llu rip %#llx r8 %#llx", r,
		     (unsigned long long)vmcs_read(VMCS_EXIT_INSTRUCTION_LEN),
		     (unsigned long long)vmcs_read(VMCS_GUEST_RIP),
		     (unsigned long long)nvmx_rt_gpr[R_R8]);
	r = resume_after();
	report_check(r == EXIT_VMCALL, "resume-to-vmcall", "reason %u", r);
	/* 27.5: L1's RSP/RIP from the host area; the VMCS is launched now. */
	report_check(vmcs_read(VMCS_GUEST_RSP) == nk.lay.guest_rsp, "guest-rsp-saved",
		     "%#llx", (unsigned long long)vmcs_read(VMCS_GUEST_RSP));
}

static void test_io(void)
{
	uint32_t r;
	/* Port 0x80 clear in bitmap A: no exit to L1 (nestor or the CPU handles it). */
	fresh(rt_l2_io);
	r = launch();
	report_check(r == EXIT_VMCALL, "io-not-intercepted", "reason %u", r);
	fresh(rt_l2_io);
	((uint8_t *)(uintptr_t)nk.lay.io_a)[0x80 / 8] |= 1u << (0x80 % 8);
	r = launch();
	report_check(r == EXIT_IO && vmcs_read(VMCS_EXIT_QUALIFICATION) == (0x80ull << 16 | 0x40) &&
		     vmcs_read(VMCS_EXIT_INSTRUCTION_LEN) == 2,
		     "io-exit", "reason %u qual %#llx", r,
		     (unsigned long long)vmcs_read(VMCS_EXIT_QUALIFICATION));
	((uint8_t *)(uintptr_t)nk.lay.io_a)[0x80 / 8] = 0;
}

static void test_msr(void)
{
	uint32_t r;
	uint8_t *bm = (uint8_t *)(uintptr_t)nk.lay.msr_bitmap;
	fresh(rt_l2_rdmsr);
	r = launch();
	report_check(r == EXIT_VMCALL && nvmx_rt_gpr[R_RAX] == (uint32_t)nk.v.guest_pat,
		     "rdmsr-not-intercepted", "reason %u eax %#llx", r,
		     (unsigned long long)nvmx_rt_gpr[R_RAX]);
	fresh(rt_l2_rdmsr);
	bm[0x277 / 8] |= 1u << (0x277 % 8);
	r = launch();
	report_check(r == EXIT_RDMSR && (uint32_t)nvmx_rt_gpr[R_RCX] == 0x277, "rdmsr-exit",
		     "reason %u ecx %#llx", r, (unsigned long long)nvmx_rt_gpr[R_RCX]);
	bm[0x277 / 8] = 0;
}

static void test_hlt_and_exception(void)
{
	uint32_t r, info;
	fresh(rt_l2_hlt);
	r = launch();
	report_check(r == EXIT_HLT && vmcs_read(VMCS_EXIT_INSTRUCTION_LEN) == 1, "hlt-exit",
		     "reason %u", r);
	fresh(rt_l2_ud);
	nk.v.exception_bitmap = 1u << 6;
	r = launch();
	info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	report_check(r == EXIT_EXCEPTION && info == (INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | 6) &&
		     !(vmcs_read(VMCS_IDT_VECTORING_INFO) & INTR_INFO_VALID),
		     "ud-exit", "reason %u info %#x", r, info);
}

/* 27.2.1: an EPT violation names the access (write), the entry's rights (R, X), the
 * guest-physical address and a valid linear address of the access itself. */
static void test_ept_violation(void)
{
	uint32_t r;
	uint64_t q, target = nk.lay.guest_tss + 0x100;
	if (!(VMX_CTL_MAY1(nk.caps.msrs.proc2) & PROC2_EPT)) {
		report_skip("ept-violation", "EPT not offered (nested-paging=off)");
		return;
	}
	fresh(rt_l2_store);
	nvmx_rt_gpr[R_RDI] = target;
	r = launch();
	q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	report_check(r == EXIT_EPT_VIOLATION && (q & 0x3f) == (0x2 | (5 << 3)) &&
		     (q & 0x180) == 0x180 && vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS) == target &&
		     vmcs_read(VMCS_GUEST_LINEAR_ADDRESS) == target,
		     "ept-violation", "reason %u qual %#llx gpa %#llx", r, (unsigned long long)q,
		     (unsigned long long)vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS));
}

/* L1's own interrupt while L2 runs: an exit (25.2), with the vector when acknowledged. */
static void test_l1_interrupt(void)
{
	uint32_t r, info;
	unsigned before;

	idt_set_handler(0x55, l1_irq);
	fresh(rt_l2_spin);
	l1_timer(0x55);			/* fires while L2 spins; L1 runs with IF = 0 */
	r = launch();
	info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	report_check(r == EXIT_EXTINT && info == (INTR_INFO_VALID | 0x55), "extint-acked",
		     "reason %u info %#x", r, info);
	lapic_eoi();			/* acknowledged into ISR by the exit */
	fresh(rt_l2_spin);
	nk.v.exit_controls &= ~EXIT_ACK_INTR_ON_EXIT;
	l1_timer(0x55);
	before = l1_irqs;
	r = launch();
	info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	irq_settle();			/* still pending: L1 takes it with IF = 1 */
	report_check(r == EXIT_EXTINT && !(info & INTR_INFO_VALID) && l1_irqs == before + 1,
		     "extint-not-acked", "reason %u info %#x handler ran %u", r, info,
		     l1_irqs - before);
}

/* TPR shadow: L2 lowers VTPR below the threshold: exit 43 after the MOV (29.1.2). */
static void test_tpr_below_threshold(void)
{
	uint32_t r;
	fresh(rt_l2_cr8);
	r = launch();
	report_check(r == EXIT_TPR_BELOW && *(volatile uint8_t *)(uintptr_t)(nk.lay.vapic + 0x80) == 0x10,
		     "tpr-below-threshold", "reason %u vtpr %#x", r,
		     *(volatile uint8_t *)(uintptr_t)(nk.lay.vapic + 0x80));
}

/* CR0 owned bits (25.1.3): TS in the mask, shadow different from the value written. */
static void test_cr0(void)
{
	uint32_t r;
	uint64_t q;
	fresh(rt_l2_cr0);
	nk.v.cr0_mask = 0x8;
	r = launch();
	q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	report_check(r == EXIT_CR && (q & 0xf) == 0 && ((q >> 4) & 3) == 0 && ((q >> 8) & 15) == 0,
		     "cr0-exit", "reason %u qual %#llx", r, (unsigned long long)q);
	fresh(rt_l2_cr0);
	nk.v.cr0_mask = 0;
	r = launch();
	report_check(r == EXIT_VMCALL, "cr0-not-owned", "reason %u", r);
}

/*
 * L2's own #DB (a single step), which nestor intercepts in vmcs02 whatever L1 asks
 * (CVE-2015-8104): with #DB clear in L1's exception bitmap it reaches L2's handler once,
 * DR6.BS set, and L1 sees only the VMCALL after it; with the bit set it is L1's exit
 * (reason 0, hardware exception 1, qualification BS: 27.2.1). L2 gets a GDT and an IDT
 * gate of its own, and a writable stack under L1's EPT for the frame.
 */
static void test_l2_db(void)
{
	uint64_t *gdt = (uint64_t *)(uintptr_t)nk.lay.guest_gdt;
	uint8_t *gate = (uint8_t *)(uintptr_t)nk.lay.guest_idt + 16;
	uint64_t h = (uint64_t)(uintptr_t)rt_l2_db_handler, q;
	bool ept = VMX_CTL_MAY1(nk.caps.msrs.proc2) & PROC2_EPT;
	uint32_t r, info;

	gdt[1] = 0x00af9b000000ffffull;		/* 08: 64-bit code, as vmcs12's CS */
	gdt[2] = 0x00cf93000000ffffull;		/* 10: data, as vmcs12's SS */
	memset(gate, 0, 16);
	*(uint16_t *)gate = (uint16_t)h;
	*(uint16_t *)(gate + 2) = 0x08;
	gate[5] = 0x8e;				/* present 64-bit interrupt gate */
	*(uint16_t *)(gate + 6) = (uint16_t)(h >> 16);
	*(uint32_t *)(gate + 8) = (uint32_t)(h >> 32);
	if (ept)
		nvmx_l1_ept_writable(nk.lay.guest_rsp, true);

	fresh(rt_l2_db);
	nk.v.exception_bitmap = 0;
	r = launch();
	report_check(r == EXIT_VMCALL && nvmx_rt_gpr[R_R10] == 1 && (nvmx_rt_gpr[R_R9] & DR6_BS) &&
		     !(nvmx_rt_gpr[R_R9] & 0xf), "l2-db-own",
		     "reason %u, L2 handler ran %llu times, DR6 %#llx", r,
		     (unsigned long long)nvmx_rt_gpr[R_R10], (unsigned long long)nvmx_rt_gpr[R_R9]);

	fresh(rt_l2_db);
	nk.v.exception_bitmap = 1u << 1;
	r = launch();
	info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	report_check(r == EXIT_EXCEPTION && info == (INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | 1) &&
		     (q & DR6_BS) && nvmx_rt_gpr[R_R10] == 0, "l2-db-to-l1",
		     "reason %u info %#x qual %#llx, L2 handler ran %llu times", r, info,
		     (unsigned long long)q, (unsigned long long)nvmx_rt_gpr[R_R10]);
	if (ept)
		nvmx_l1_ept_writable(nk.lay.guest_rsp, false);
}

/* The VMX instructions' own failures, through the current VMCS (30.4 errors). */
static void test_vmfails(void)
{
	uint64_t vmcs = nk.lay.vmcs12;
	int rc;

	fresh(rt_l2_vmcall);
	launch();
	rc = nvmx_rt_run(0);		/* VMLAUNCH of a launched VMCS */
	report_check(rc == 2 && vmcs_read(VMCS_INSTRUCTION_ERROR) == 4, "vmlaunch-launched",
		     "rc %d error %llu", rc, (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
	vmclear(vmcs);
	vmptrld(vmcs);
	rc = nvmx_rt_run(1);		/* VMRESUME of a clear one */
	report_check(rc == 2 && vmcs_read(VMCS_INSTRUCTION_ERROR) == 5, "vmresume-clear",
		     "rc %d error %llu", rc, (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
	/* An exit-information field: error 13, unless IA32_VMX_MISC[29] lets VMWRITE write it. */
	vmcs_write(VMCS_EXIT_REASON, 0x33);
	if (nk.caps.msrs.misc & VMX_MISC_VMWRITE_ANY)
		report_check(!nk.write_failed && vmcs_read(VMCS_EXIT_REASON) == 0x33,
			     "vmwrite-exit-information", "write failed %d, reads %#llx",
			     nk.write_failed, (unsigned long long)vmcs_read(VMCS_EXIT_REASON));
	else
		report_check(nk.write_failed && vmcs_read(VMCS_INSTRUCTION_ERROR) == 13,
			     "vmwrite-read-only", "error %llu",
			     (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
	nk.write_failed = false;
	report_check(vmclear(nk.lay.vmcs12 + 8) == VMX_FAIL_VALID &&
		     vmcs_read(VMCS_INSTRUCTION_ERROR) == 2, "vmclear-misaligned", "error %llu",
		     (unsigned long long)vmcs_read(VMCS_INSTRUCTION_ERROR));
	vmclear(vmcs);
	report_check(vmptrld(nk.lay.shadow + 4096) == VMX_FAIL_INVALID, "vmptrld-bad-revision",
		     "no current VMCS, so VMfailInvalid");
}

void guest_main(void)
{
	if (!(cpuid(1, 0).ecx & (1u << 5))) {
		report_skip("nvmx-rt", "no VMX (CPUID.1:ECX[5])");
		return;
	}
	nvmx_l1_read_caps();
	nvmx_l1_build_ept();
	if (!nvmx_l1_vmx_on()) {
		report_fail("nvmx-rt", "VMXON failed");
		return;
	}
	nvmx_l1_build_layout((uint64_t)(uintptr_t)rt_l2_vmcall, (uint64_t)(uintptr_t)nvmx_rt_exit);
	test_cpuid();
	test_io();
	test_msr();
	test_hlt_and_exception();
	test_ept_violation();
	test_l1_interrupt();
	test_tpr_below_threshold();
	test_cr0();
	test_l2_db();
	test_vmfails();
}
