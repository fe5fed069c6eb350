/* nsvm_fixture: the features, RAM and sample layout the nested-SVM host tests share. */
#ifndef TESTS_UNIT_NSVM_FIXTURE_H
#define TESTS_UNIT_NSVM_FIXTURE_H

#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_sample.h"

/* L1 RAM: 0-640 KiB and 1 MiB-256 MiB (a PC's first hole left out). */
static const struct nsvm_range fixture_ranges[] = {
	{ 0, 0xa0000 },
	{ 0x100000, 0x10000000 - 0x100000 },
};
static const struct nsvm_ram fixture_ram = { fixture_ranges, 2 };

/* What QEMU 7.2 TCG -cpu max shows plus NRIPS: NPT, VGIF, 16 ASIDs, 40-bit addresses. */
static inline struct nsvm_features fixture_features(void)
{
	struct nsvm_features f = {
		.npt = true, .nrips = true, .vgif = true, .nasid = 16, .maxphyaddr = 40,
		.cpuid = {
			.f1_ecx = NSVM_F1_ECX_XSAVE,
			.f7_ebx = NSVM_F7_EBX_FSGSBASE | NSVM_F7_EBX_SMEP | NSVM_F7_EBX_SMAP,
			.f7_ecx = NSVM_F7_ECX_UMIP,
			.e1_ecx = 1u << 2,
			.e1_edx = NSVM_E1_EDX_NX | NSVM_E1_EDX_LM | NSVM_E1_EDX_FFXSR,
		},
	};
	return f;
}

static inline struct nsvm_sample fixture_sample(void)
{
	struct nsvm_sample s = {
		.vmcb_pa = 0x200000, .iopm_pa = 0x201000, .msrpm_pa = 0x204000,
		.ncr3 = 0x206000, .cr3 = 0x300000, .rip = 0x400000, .rsp = 0x500000,
		.rax = 0x1234, .gdt_base = 0x110000, .gdt_limit = 0x1f,
		.idt_base = 0x111000, .idt_limit = 0xfff, .cs_sel = 0x18, .ds_sel = 0x10,
		.pat = 0x0007040600070406ull, .outside_ram_pa = 0x40000000,
	};
	return s;
}

#endif
