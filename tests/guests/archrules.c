/* archrules: MOV to CR0/CR4/CR8, WRMSR to EFER and XSETBV fault exactly where the manuals say. */
#include "guest.h"

const char guest_name[] = "archrules";

/*
 * A hypervisor that loads a guest-written value into its VMCB/VMCS without checking it
 * turns the guest's #GP into its own failed VM entry (VMEXIT_INVALID, VM-entry failure)
 * or into a feature the guest's CPUID never offered. Each check writes a value the
 * architecture refuses and expects the fault; where a valid write is part of the rule,
 * it expects that to work too, and restores the register.
 */

#define CR0_TS		(1ull << 3)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR4_PCIDE	(1ull << 17)
#define CR4_OSXSAVE	(1ull << 18)
#define EFER_SVME	(1ull << 12)
#define EFER_FFXSR	(1ull << 14)


static int write_cr0_safe(uint64_t v)
{
	fault_begin();
	asm volatile("1: mov %0, %%cr0\n2:\n\t" EX_TABLE_ENTRY("1b", "2b") ::"r"(v) : "memory");
	return fault_end();
}

static int write_cr4_safe(uint64_t v)
{
	fault_begin();
	asm volatile("1: mov %0, %%cr4\n2:\n\t" EX_TABLE_ENTRY("1b", "2b") ::"r"(v) : "memory");
	return fault_end();
}

static int write_cr8_safe(uint64_t v)
{
	fault_begin();
	asm volatile("1: mov %0, %%cr8\n2:\n\t" EX_TABLE_ENTRY("1b", "2b") ::"r"(v) : "memory");
	return fault_end();
}

static int xsetbv_safe(uint32_t xcr, uint64_t v)
{
	fault_begin();
	asm volatile("1: xsetbv\n2:\n\t" EX_TABLE_ENTRY("1b", "2b")
		     ::"c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
	return fault_end();
}

static bool cpuid_bit(uint32_t leaf, uint32_t sub, unsigned reg, unsigned bit)
{
	struct cpuid_regs c = cpuid(leaf, sub);
	uint32_t r[4] = { c.eax, c.ebx, c.ecx, c.edx };
	return r[reg] & (1u << bit);
}

/* CR4 bits and the CPUID feature each needs (SDM Vol. 3A 2.5): reg 0..3 = EAX..EDX. */
static const struct {
	uint8_t bit;
	uint32_t leaf;
	uint8_t sub, reg, cpuid_bit;
	const char *name;
} cr4_features[] = {
	{ 11, 7, 0, 2, 2, "UMIP" }, { 12, 7, 0, 2, 16, "LA57" }, { 13, 1, 0, 2, 5, "VMXE" },
	{ 14, 1, 0, 2, 6, "SMXE" }, { 16, 7, 0, 1, 0, "FSGSBASE" }, { 17, 1, 0, 2, 17, "PCIDE" },
	{ 18, 1, 0, 2, 26, "OSXSAVE" }, { 19, 7, 0, 2, 23, "KL" }, { 20, 7, 0, 1, 7, "SMEP" },
	{ 21, 7, 0, 1, 20, "SMAP" }, { 22, 7, 0, 2, 3, "PKE" }, { 24, 7, 0, 2, 31, "PKS" },
	{ 25, 7, 0, 3, 5, "UINTR" },
};

/*
 * Reserved CR4 bits: one at a time (bit 15, bit 40), then all of CR4[31:0] at once.
 * (QEMU 7.2's TCG without a hypervisor loops forever on such a write instead of raising
 * #GP, and takes CR0 values the SDM refuses: this guest has no bare-QEMU reference run.)
 */
static void check_cr4_reserved(uint64_t cr4)
{
	int f = write_cr4_safe(cr4 | (1ull << 15));
	report_check(f == VEC_GP, "cr4-reserved-bit15-gp", "CR4 bit 15: %s", fault_name(f));
	f = write_cr4_safe(cr4 | (1ull << 40));
	report_check(f == VEC_GP, "cr4-bit40-gp", "CR4 bit 40: %s", fault_name(f));
	f = write_cr4_safe(0xffffffffull);
	report_check(f == VEC_GP, "cr4-all-ones-gp", "mov cr4, 0xffffffff: %s", fault_name(f));
}

static void check_cr4(void)
{
	uint64_t cr4 = read_cr4();
	int f;
	check_cr4_reserved(cr4);

	struct multi_check m;
	multi_begin(&m, "cr4-bits-follow-cpuid");
	for (unsigned i = 0; i < sizeof(cr4_features) / sizeof(cr4_features[0]); i++) {
		if (cpuid_bit(cr4_features[i].leaf, cr4_features[i].sub, cr4_features[i].reg,
			      cr4_features[i].cpuid_bit))
			continue;	/* offered: setting it is legal (and not tried here) */
		f = write_cr4_safe(cr4 | (1ull << cr4_features[i].bit));
		multi_case(&m, f == VEC_GP, "CR4.%s without its CPUID feature: %s",
			   cr4_features[i].name, fault_name(f));
		write_cr4_safe(cr4);
	}
	multi_end(&m);

	/* PCIDE: #GP without PCID; with it, settable in IA-32e mode when CR3[11:0] = 0. */
	bool pcid = cpuid_bit(1, 0, 2, 17);
	f = write_cr4_safe(cr4 | CR4_PCIDE);
	bool ok = pcid ? f == -1 && (read_cr4() & CR4_PCIDE) && (read_cr3() & 0xfff) == 0
		       : f == VEC_GP;
	write_cr4_safe(cr4);
	report_check(ok && read_cr4() == cr4, "cr4-pcide-follows-cpuid",
		     "CPUID %s PCID, setting CR4.PCIDE gave %s", pcid ? "offers" : "lacks",
		     fault_name(f));
}

static void check_cr0(void)
{
	uint64_t cr0 = read_cr0();
	int f = write_cr0_safe(cr0 | (1ull << 32));
	report_check(f == VEC_GP, "cr0-high-bits-gp", "CR0 bit 32: %s", fault_name(f));
	f = write_cr0_safe((cr0 | CR0_NW) & ~CR0_CD);
	report_check(f == VEC_GP, "cr0-nw-without-cd-gp", "NW=1 CD=0: %s", fault_name(f));
	f = write_cr0_safe(cr0 & ~1ull);	/* PE cleared with PG set */
	report_check(f == VEC_GP, "cr0-pg-without-pe-gp", "PG=1 PE=0: %s", fault_name(f));
	f = write_cr0_safe(cr0 & ~(1ull << 31));	/* paging off in 64-bit code */
	report_check(f == VEC_GP, "cr0-pg-off-in-64bit-gp", "PG=0 in 64-bit mode: %s", fault_name(f));
	f = write_cr0_safe(cr0 | CR0_TS);
	bool ts = read_cr0() & CR0_TS;
	asm volatile("clts");
	report_check(f == -1 && ts && !(read_cr0() & CR0_TS) && read_cr0() == cr0,
		     "cr0-ts-and-clts", "set TS: %s, TS then %d, after CLTS cr0 %#lx (was %#lx)",
		     fault_name(f), ts, (unsigned long)read_cr0(), (unsigned long)cr0);
}

static void check_cr8(void)
{
	int f = write_cr8_safe(0x10);
	report_check(f == VEC_GP, "cr8-reserved-bits-gp", "mov cr8, 0x10: %s", fault_name(f));
	write_cr8(0);
}

static void check_efer(void)
{
	uint64_t efer;
	rdmsr_safe(MSR_EFER, &efer);
	int f = wrmsr_safe(MSR_EFER, efer & ~EFER_LME);
	report_check(f == VEC_GP, "efer-lme-change-under-paging-gp", "clear LME with paging on: %s",
		     fault_name(f));
	f = wrmsr_safe(MSR_EFER, efer | (1ull << 63));
	report_check(f == VEC_GP, "efer-reserved-bit-gp", "EFER bit 63: %s", fault_name(f));
	bool svm = cpuid_bit(0x80000001, 0, 2, 2);
	f = wrmsr_safe(MSR_EFER, efer | EFER_SVME);
	wrmsr_safe(MSR_EFER, efer);
	report_check(svm ? f == -1 : f == VEC_GP, "efer-svme-follows-cpuid",
		     "CPUID %s SVM, setting EFER.SVME gave %s", svm ? "offers" : "lacks",
		     fault_name(f));
	bool ffxsr = cpuid_bit(0x80000001, 0, 3, 25);
	f = wrmsr_safe(MSR_EFER, efer | EFER_FFXSR);
	wrmsr_safe(MSR_EFER, efer);
	uint64_t after;
	rdmsr_safe(MSR_EFER, &after);
	report_check((ffxsr ? f == -1 : f == VEC_GP) && after == efer, "efer-ffxsr-follows-cpuid",
		     "CPUID %s FFXSR, setting EFER.FFXSR gave %s", ffxsr ? "offers" : "lacks",
		     fault_name(f));
}

/* XSETBV (SDM Vol. 1 13.3, Vol. 2C XSETBV): #UD without CR4.OSXSAVE; #GP for XCR1, for
 * clearing x87, AVX without SSE, and bits CPUID.(0Dh,0) does not enumerate. */
static void check_xsetbv(void)
{
	if (!cpuid_bit(1, 0, 2, 26)) {
		int f = write_cr4_safe(read_cr4() | CR4_OSXSAVE);
		report_check(f == VEC_GP, "xsetbv-rules", "no XSAVE: CR4.OSXSAVE gave %s",
			     fault_name(f));
		return;
	}
	uint64_t cr4 = read_cr4();
	write_cr4_safe(cr4 & ~CR4_OSXSAVE);
	int ud = xsetbv_safe(0, 3);
	write_cr4_safe(cr4 | CR4_OSXSAVE);
	struct cpuid_regs xs = cpuid(0xd, 0);
	uint64_t supported = ((uint64_t)xs.edx << 32) | xs.eax;
	struct multi_check m;
	multi_begin(&m, "xsetbv-rules");
	multi_case(&m, ud == VEC_UD, "without CR4.OSXSAVE: %s", fault_name(ud));
	int f = xsetbv_safe(0, 0);
	multi_case(&m, f == VEC_GP, "XCR0 = 0 (x87 off): %s", fault_name(f));
	f = xsetbv_safe(1, 3);
	multi_case(&m, f == VEC_GP, "XCR1: %s", fault_name(f));
	if (supported & 4) {
		f = xsetbv_safe(0, 1 | 4);
		multi_case(&m, f == VEC_GP, "AVX without SSE: %s", fault_name(f));
	}
	for (unsigned bit = 2; bit < 63; bit++) {
		if (supported & (1ull << bit))
			continue;
		f = xsetbv_safe(0, 3 | (1ull << bit));
		multi_case(&m, f == VEC_GP, "XCR0 bit %u not enumerated: %s", bit, fault_name(f));
	}
	f = xsetbv_safe(0, 3);
	multi_case(&m, f == -1, "x87|SSE: %s", fault_name(f));
	multi_end(&m);
	write_cr4_safe(cr4);
}

void guest_main(void)
{
	check_cr4();
	check_cr0();
	check_cr8();
	check_efer();
	check_xsetbv();
}
