/* test_nvmx_exit: L2 exits: which are L1's, vmcs02 from vmcs12, reflection into vmcs12, L1's EPT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_ept.h"
#include "nested/vmx/nvmx_exit.h"
#include "nested/vmx/nvmx_merge.h"
#include "nested/vmx/nvmx_offer.h"
#include "tests/nvmx/nvmx_fixture.h"
#include "tests/nvmx/nvmx_hosts.h"

static struct nvmx_fixture fx;
static uint64_t gpr[16];

/* The valid vmcs12 on what nestor offers L1 on Bochs ivy bridge (hyperv). */
static void fresh(void)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	char why[128];

	nvmx_fixture_init(&fx);
	assert_true(nvmx_offer(&h, NVMX_FLAVOR_HYPERV, NULL, &fx.caps, why, sizeof(why)));
	nvmx_fixture_valid(&fx);
	memset(gpr, 0, sizeof(gpr));
}

static uint8_t *mem(uint64_t gpa)
{
	return fx.layout.ptr(fx.layout.ctx, gpa, 1);
}

static enum nvmx_route route(uint32_t reason, uint64_t qual)
{
	struct nvmx_exit e = { .reason = reason, .qual = qual };
	return nvmx_exit_route(&fx.v, &e, gpr, &fx.env);
}

static void test_route_controls(void **state)
{
	(void)state;
	fresh();
	/* Unconditional ones. */
	assert_int_equal(route(NVMX_EXIT_CPUID, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_TRIPLE_FAULT, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_VMREAD, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_XSETBV, 0), NVMX_TO_L1);
	/* nestor's own. */
	assert_int_equal(route(NVMX_EXIT_EXTINT, 0), NVMX_TO_L0);
	assert_int_equal(route(NVMX_EXIT_PREEMPTION_TIMER, 0), NVMX_TO_L0);
	/* By control: HLT exiting is on in the valid case, INVLPG off. */
	assert_int_equal(route(NVMX_EXIT_HLT, 0), NVMX_TO_L1);
	fx.v.proc_controls &= ~PROC_HLT_EXITING;
	assert_int_equal(route(NVMX_EXIT_HLT, 0), NVMX_TO_L0);
	assert_int_equal(route(NVMX_EXIT_INVLPG, 0), NVMX_TO_L0);
	fx.v.proc_controls |= PROC_INVLPG_EXITING;
	assert_int_equal(route(NVMX_EXIT_INVLPG, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_IRQ_WINDOW, 0), NVMX_TO_L0);
	fx.v.proc_controls |= PROC_IRQ_WINDOW_EXITING;
	assert_int_equal(route(NVMX_EXIT_IRQ_WINDOW, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_MWAIT, 0), NVMX_TO_L0);
	assert_int_equal(route(NVMX_EXIT_TPR_BELOW_THRESHOLD, 0), NVMX_TO_L1);
	/* EPT exits: walked with L1's EPT, nestor's without. */
	assert_int_equal(route(NVMX_EXIT_EPT_VIOLATION, 0), NVMX_EPT_WALK);
	fx.v.proc2_controls &= ~PROC2_EPT;
	assert_int_equal(route(NVMX_EXIT_EPT_VIOLATION, 0), NVMX_TO_L0);
	/* Secondary controls count only with "activate secondary controls". */
	fx.v.proc2_controls |= PROC2_WBINVD_EXITING;
	assert_int_equal(route(NVMX_EXIT_WBINVD, 0), NVMX_TO_L1);
	fx.v.proc_controls &= ~PROC_SECONDARY;
	assert_int_equal(route(NVMX_EXIT_WBINVD, 0), NVMX_TO_L0);
}

static uint64_t io_qual(unsigned port, unsigned size)
{
	return ((uint64_t)port << 16) | (size - 1);
}

static void test_route_io(void **state)
{
	(void)state;
	fresh();
	/* Bitmaps all clear in the valid case. */
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x3f8, 1)), NVMX_TO_L0);
	mem(fx.v.io_bitmap_a)[0x3f8 / 8] |= 1u << (0x3f8 % 8);
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x3f8, 1)), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x3f6, 4)), NVMX_TO_L1);	/* covers 3F8 */
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x3f4, 4)), NVMX_TO_L0);
	/* 7FFF..8000 spans both bitmaps; B's bit 0 is port 8000. */
	mem(fx.v.io_bitmap_b)[0] |= 1;
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x7fff, 2)), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x7ffe, 1)), NVMX_TO_L0);
	/* Wrapping past FFFF exits. */
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0xffff, 2)), NVMX_TO_L1);
	/* Without bitmaps: unconditional I/O exiting decides. */
	fx.v.proc_controls &= ~PROC_IO_BITMAPS;
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x80, 1)), NVMX_TO_L0);
	fx.v.proc_controls |= PROC_UNCOND_IO_EXITING;
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x80, 1)), NVMX_TO_L1);
	/* A bitmap outside L1 RAM reads as all ones. */
	fx.v.proc_controls |= PROC_IO_BITMAPS;
	fx.v.io_bitmap_a = fx.layout.not_ram;
	assert_int_equal(route(NVMX_EXIT_IO, io_qual(0x80, 1)), NVMX_TO_L1);
}

static void test_route_msr(void **state)
{
	(void)state;
	fresh();
	gpr[1] = 0x10;				/* TSC */
	assert_int_equal(route(NVMX_EXIT_RDMSR, 0), NVMX_TO_L0);
	mem(fx.v.msr_bitmap)[0x10 / 8] |= 1u << (0x10 % 8);
	assert_int_equal(route(NVMX_EXIT_RDMSR, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_WRMSR, 0), NVMX_TO_L0);
	gpr[1] = 0xffffffff00000000ull | 0xc0000080;	/* ECX only; EFER's write bit */
	mem(fx.v.msr_bitmap)[3072 + 0x80 / 8] |= 1u << (0x80 % 8);
	assert_int_equal(route(NVMX_EXIT_WRMSR, 0), NVMX_TO_L1);
	assert_int_equal(route(NVMX_EXIT_RDMSR, 0), NVMX_TO_L0);
	gpr[1] = 0x40000000;			/* outside both ranges */
	assert_int_equal(route(NVMX_EXIT_RDMSR, 0), NVMX_TO_L1);
	fx.v.proc_controls &= ~PROC_MSR_BITMAPS;
	gpr[1] = 0x20;
	assert_int_equal(route(NVMX_EXIT_RDMSR, 0), NVMX_TO_L1);
}

static uint64_t mov_to_cr(unsigned cr, unsigned reg)
{
	return cr | (reg << 8);
}

static void test_route_cr(void **state)
{
	(void)state;
	fresh();
	fx.v.cr0_mask = 0x80000021;		/* PG NE PE owned by L1 */
	fx.v.cr0_shadow = 0x80000031;
	gpr[3] = 0x80000031 | 0x8;		/* sets TS: not owned */
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, mov_to_cr(0, 3)), NVMX_TO_L0);
	gpr[3] = 0x00000031;			/* clears PG: owned and differs */
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, mov_to_cr(0, 3)), NVMX_TO_L1);
	/* CR3: load exiting with a target list. */
	fx.v.proc_controls |= PROC_CR3_LOAD_EXITING;
	fx.v.cr3_target_count = 2;
	fx.v.cr3_target1 = 0x5000;
	gpr[2] = 0x5000;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, mov_to_cr(3, 2)), NVMX_TO_L0);
	gpr[2] = 0x6000;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, mov_to_cr(3, 2)), NVMX_TO_L1);
	/* MOV from CR3 / CR8 (type 1). */
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, 3 | (1 << 4)), NVMX_TO_L0);
	fx.v.proc_controls |= PROC_CR8_STORE_EXITING;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, 8 | (1 << 4)), NVMX_TO_L1);
	/* CLTS: TS owned and set in the shadow. */
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, 2 << 4), NVMX_TO_L0);
	fx.v.cr0_mask |= 8;
	fx.v.cr0_shadow |= 8;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, 2 << 4), NVMX_TO_L1);
	/* LMSW: PE only set; MP/EM/TS changed where owned. */
	fx.v.cr0_mask = 1;
	fx.v.cr0_shadow = 0;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, (3 << 4) | (1ull << 16)), NVMX_TO_L1);
	fx.v.cr0_shadow = 1;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, (3 << 4) | (0ull << 16)), NVMX_TO_L0);
	fx.v.cr0_mask = 4;
	assert_int_equal(route(NVMX_EXIT_CR_ACCESS, (3 << 4) | (4ull << 16)), NVMX_TO_L1);
}

static void test_route_exceptions(void **state)
{
	struct nvmx_exit e = { .reason = 0 };

	(void)state;
	fresh();
	e.intr_info = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | 6;	/* #UD */
	assert_int_equal(nvmx_exit_route(&fx.v, &e, gpr, &fx.env), NVMX_TO_L0);
	fx.v.exception_bitmap = 1u << 6;
	assert_int_equal(nvmx_exit_route(&fx.v, &e, gpr, &fx.env), NVMX_TO_L1);
	/* #PF: bit 14 with the error-code mask/match, both polarities (25.2). */
	e.intr_info = INTR_INFO_VALID | INTR_TYPE_HW_EXCEPTION | INTR_INFO_ERROR_VALID | 14;
	e.intr_error = 0x2;
	fx.v.exception_bitmap = 1u << 14;
	fx.v.pf_error_mask = 0x2;
	fx.v.pf_error_match = 0x2;
	assert_int_equal(nvmx_exit_route(&fx.v, &e, gpr, &fx.env), NVMX_TO_L1);
	e.intr_error = 0x0;
	assert_int_equal(nvmx_exit_route(&fx.v, &e, gpr, &fx.env), NVMX_TO_L0);
	fx.v.exception_bitmap = 0;
	assert_int_equal(nvmx_exit_route(&fx.v, &e, gpr, &fx.env), NVMX_TO_L1);
	/* A physical NMI is nestor's. */
	e.intr_info = INTR_INFO_VALID | INTR_TYPE_NMI | 2;
	fx.v.exception_bitmap = ~0u;
	assert_int_equal(nvmx_exit_route(&fx.v, &e, gpr, &fx.env), NVMX_TO_L0);
}

/* nestor's side for vmcs02 on ivy bridge; L1 RAM at host 0 (the fixture's addresses). */
static struct nvmx_l0 l0_ivy(void)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	struct nvmx_l0 l0 = {
		.pin_must1 = VMX_CTL_MUST1(h.msrs.true_pin),
		.proc_must1 = VMX_CTL_MUST1(h.msrs.true_proc),
		.proc2_must1 = VMX_CTL_MUST1(h.msrs.proc2),
		.exit_must1 = VMX_CTL_MUST1(h.msrs.true_exit),
		.entry_must1 = VMX_CTL_MUST1(h.msrs.true_entry),
		.vpid = true, .vpid02 = 0x101,
		.eptp = 0x7000000 | 0x1e, .msr_bitmap = 0x7100000,
		.io_bitmap_a = 0x7101000, .io_bitmap_b = 0x7102000,
		.tsc_offset = 1000, .ram_hpa = 0, .ram_size = 1ull << 30,
		.l1_efer = 0xd01, .l1_pat = 0x0007040600070406ull,
	};
	return l0;
}

static void test_merge(void **state)
{
	struct nvmx_l0 l0 = l0_ivy();
	struct vmcs12 v02;
	const char *why = NULL;

	(void)state;
	fresh();
	fx.v.proc_controls |= PROC_TSC_OFFSETTING;
	fx.v.tsc_offset = 5;
	assert_true(nvmx_merge(&fx.v, &l0, &v02, &why));
	/* nestor's: physical interrupts, NMIs, every port, MSRs, MONITOR/MWAIT/RDPMC. */
	assert_true(v02.pin_controls & PIN_EXTINT_EXITING);
	assert_true(v02.pin_controls & PIN_NMI_EXITING);
	assert_true(v02.proc_controls & (PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_MWAIT_EXITING));
	assert_int_equal(v02.io_bitmap_a, l0.io_bitmap_a);
	assert_int_equal(v02.msr_bitmap, l0.msr_bitmap);
	/* L1's: HLT, TPR shadow with its page, threshold, exceptions, CR masks. */
	assert_true(v02.proc_controls & PROC_HLT_EXITING);
	assert_true(v02.proc_controls & PROC_TPR_SHADOW);
	assert_int_equal(v02.virtual_apic_page, fx.v.virtual_apic_page);
	assert_int_equal(v02.tpr_threshold, fx.v.tpr_threshold);
	assert_int_equal(v02.cr4_mask, fx.v.cr4_mask);
	/* #DB and #AC always besides L1's exceptions; #PF's filter stays L1's. */
	assert_int_equal(v02.exception_bitmap, fx.v.exception_bitmap | (1u << 1) | (1u << 17));
	assert_int_equal(v02.pf_error_mask, fx.v.pf_error_mask);
	assert_false(v02.exit_controls & EXIT_ACK_INTR_ON_EXIT);
	assert_int_equal(v02.tsc_offset, 1005);
	assert_int_equal(v02.ept_pointer, l0.eptp);
	assert_int_equal(v02.vpid, 0x101);
	assert_int_equal(v02.guest_rip, fx.v.guest_rip);
	assert_int_equal(v02.link_pointer, ~0ull);
	assert_int_equal(v02.entry_msr_load_count, 0);
	/* No TPR shadow: CR8 accesses must not reach the physical TPR. */
	fx.v.proc_controls &= ~PROC_TPR_SHADOW;
	assert_true(nvmx_merge(&fx.v, &l0, &v02, &why));
	assert_true(v02.proc_controls & PROC_CR8_LOAD_EXITING);
	assert_true(v02.proc_controls & PROC_CR8_STORE_EXITING);
	/* EFER and PAT not loaded: L1's, LMA/LME from IA-32e mode guest. */
	fx.v.entry_controls &= ~(ENTRY_LOAD_EFER | ENTRY_LOAD_PAT);
	assert_true(nvmx_merge(&fx.v, &l0, &v02, &why));
	assert_int_equal(v02.guest_efer, 0xd01);
	assert_int_equal(v02.guest_pat, l0.l1_pat);
	fx.v.entry_controls &= ~ENTRY_IA32E_GUEST;
	assert_true(nvmx_merge(&fx.v, &l0, &v02, &why));
	assert_int_equal(v02.guest_efer, 0x801);	/* SCE, NXE stay L1's */
	/* Without EPT in vmcs12 the PDPTEs are nestor's (read from CR3). */
	fx.v.proc2_controls &= ~PROC2_EPT;
	l0.pdpte[2] = 0x1234001;
	assert_true(nvmx_merge(&fx.v, &l0, &v02, &why));
	assert_int_equal(v02.guest_pdpte2, 0x1234001);
	/* A virtual-APIC page beyond L1 RAM is refused. */
	fx.v.proc_controls |= PROC_TPR_SHADOW;
	fx.v.virtual_apic_page = 1ull << 31;
	assert_false(nvmx_merge(&fx.v, &l0, &v02, &why));
	assert_non_null(why);
}

static void test_msr_intercept02(void **state)
{
	(void)state;
	fresh();
	assert_true(nvmx_msr_intercept02(&fx.v, 0x10, true, false));
	assert_true(nvmx_msr_intercept02(&fx.v, 0x10, false, true));
	assert_false(nvmx_msr_intercept02(&fx.v, 0xc0000100, false, false));
	/* 808H with virtualize x2APIC mode: L1's choice alone. */
	assert_true(nvmx_msr_intercept02(&fx.v, 0x808, true, false));
	fx.v.proc2_controls |= PROC2_VIRT_X2APIC;
	assert_false(nvmx_msr_intercept02(&fx.v, 0x808, true, false));
	fx.v.proc_controls &= ~PROC_MSR_BITMAPS;
	assert_true(nvmx_msr_intercept02(&fx.v, 0xc0000100, false, false));
}

/* The merge's promise: a vmcs12 that passes L1's checks gives a vmcs02 the host takes. */
static void test_merge_passes_host_checks(void **state)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	struct nvmx_caps host = { .msrs = h.msrs, .maxphyaddr = 40, .linear_bits = 48,
				  .efer_valid = 0xd01 };
	struct nvmx_l0 l0 = l0_ivy();
	struct nvmx_env env;
	struct nvmx_result r;
	struct vmcs12 v02;
	const char *why;
	char line[512];

	(void)state;
	fresh();
	l0.eptp = fx.layout.ept_root | 0x1e;
	l0.msr_bitmap = fx.layout.msr_bitmap;
	l0.io_bitmap_a = fx.layout.io_a;
	l0.io_bitmap_b = fx.layout.io_b;
	fx.v.entry_msr_load_count = 0;
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	assert_null(r.check);
	assert_true(nvmx_merge(&fx.v, &l0, &v02, &why));
	/* nestor's host state goes in by the backend: take vmcs12's for the check. */
	for (unsigned i = 0; i < vmcs12_field_count; i++)
		if (VMCS_ENC_TYPE(vmcs12_fields[i].encoding) == 3)
			vmcs12_set(&v02, &vmcs12_fields[i], vmcs12_get(&fx.v, &vmcs12_fields[i]));
	env = fx.env;
	env.caps = &host;
	nvmx_check_vmentry(&v02, &env, NVMX_MODE_ALL, &r);
	nvmx_result_format(&r, &v02, &env, line, sizeof(line));
	if (r.check)
		print_error("vmcs02: %s\n", line);
	assert_null(r.check);
}

static void test_save_exit(void **state)
{
	struct vmcs12 v02 = { 0 };
	struct nvmx_exit e = { .reason = NVMX_EXIT_CPUID, .qual = 0, .insn_len = 2,
			       .idt_info = INTR_INFO_VALID | 0x30 };

	(void)state;
	fresh();
	v02 = fx.v;
	v02.guest_rip = 0x4444;
	v02.guest_dr7 = 0x401;
	v02.guest_pat = 0x6;
	v02.guest_efer = 0x101;			/* LMA clear: left IA-32e mode */
	v02.guest_interruptibility = INTERRUPTIBILITY_STI;
	fx.v.entry_intr_info = INTR_INFO_VALID | 0x20;
	fx.v.exit_controls &= ~(EXIT_SAVE_DEBUG_CONTROLS | EXIT_SAVE_EFER);
	fx.v.exit_controls |= EXIT_SAVE_PAT;
	nvmx_save_exit(&fx.v, &v02, &e);
	assert_int_equal(fx.v.guest_rip, 0x4444);
	assert_int_equal(fx.v.guest_dr7, 0x400);	/* not saved */
	assert_int_equal(fx.v.guest_pat, 0x6);
	assert_int_equal(fx.v.guest_efer, 0x500);	/* not saved */
	assert_false(fx.v.entry_controls & ENTRY_IA32E_GUEST);
	assert_false(fx.v.entry_intr_info & INTR_INFO_VALID);
	assert_int_equal(fx.v.guest_interruptibility, INTERRUPTIBILITY_STI);
	assert_int_equal(fx.v.exit_reason, NVMX_EXIT_CPUID);
	assert_int_equal(fx.v.exit_instruction_len, 2);
	assert_int_equal(fx.v.idt_vectoring_info, INTR_INFO_VALID | 0x30);
	assert_int_equal(fx.v.link_pointer, ~0ull);
}

static void test_host_state(void **state)
{
	struct vmcs12 l2 = { 0 }, l1;

	(void)state;
	fresh();
	l2.guest_cr0 = 0x60000010;		/* CD NW ET as L2 left them, PE/PG clear (UG) */
	l2.guest_efer = 0x800;			/* NXE */
	l2.guest_pat = 0x77;
	fx.v.host_cr0 = 0x80050033;
	fx.v.exit_controls &= ~(EXIT_LOAD_EFER | EXIT_LOAD_PAT);
	fx.v.host_ds_sel = 0;
	nvmx_host_state(&fx.v, &l2, &fx.caps, false, &l1);
	/* CD, NW, ET from L2; PE, NE, PG fixed for L1. */
	assert_int_equal(l1.guest_cr0, 0xe0050033ull);
	assert_int_equal(l1.guest_efer, 0xd00);	/* LMA, LME from the host size, NXE kept */
	assert_int_equal(l1.guest_pat, 0x77);
	assert_true(l1.entry_controls & ENTRY_IA32E_GUEST);
	assert_int_equal(l1.guest_cs_ar, 0xa09b);
	assert_int_equal(l1.guest_cs_sel, fx.v.host_cs_sel);
	assert_true(l1.guest_ds_ar & AR_UNUSABLE);
	assert_false(l1.guest_ss_ar & AR_UNUSABLE);
	assert_int_equal(l1.guest_tr_ar, 0x8b);
	assert_int_equal(l1.guest_tr_base, fx.v.host_tr_base);
	assert_int_equal(l1.guest_gdtr_limit, 0xffff);
	assert_int_equal(l1.guest_rip, fx.v.host_rip);
	assert_int_equal(l1.guest_rsp, fx.v.host_rsp);
	assert_int_equal(l1.guest_rflags, 2);
	assert_int_equal(l1.guest_dr7, 0x400);
	assert_true(l1.guest_cr4 & (1ull << 13));	/* VMXE stays */
	nvmx_host_state(&fx.v, &l2, &fx.caps, true, &l1);
	assert_int_equal(l1.guest_interruptibility, INTERRUPTIBILITY_NMI);
}

/* A 4-level EPT in the fixture's RAM: PML4 at page 30, PDPT 31, PD 32, PT 33. */
#define PGA(n) (NVMX_FIX_RAM_BASE + 0x1000ull * (n))
static void put(uint64_t gpa, uint64_t v)
{
	memcpy(mem(gpa), &v, 8);
}

static void test_ept_walk(void **state)
{
	struct nvmx_ept_walk w;
	uint64_t eptp = PGA(30) | 0x1e;

	(void)state;
	fresh();
	put(PGA(30), PGA(31) | 7);
	put(PGA(31), PGA(32) | 7);
	put(PGA(32) + 8 * 1, PGA(33) | 7);		/* 2 MiB..4 MiB through a PT */
	put(PGA(33) + 8 * 5, 0x12345000 | (6 << 3) | 5);	/* R-X, WB */
	put(PGA(32) + 8 * 2, 0x40000000 | (1 << 7) | (6 << 3) | 7);	/* 2 MiB leaf */
	assert_int_equal(nvmx_ept_translate(eptp, 0x205123, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_OK);
	assert_int_equal(w.l1_gpa, 0x12345123);
	assert_int_equal(w.page_size, 4096);
	assert_int_equal(w.rights, 5);
	assert_int_equal(w.memtype, 6);
	assert_int_equal(nvmx_ept_translate(eptp, 0x205123, NVMX_EPT_W, &fx.caps, &fx.env, &w),
			 NVMX_EPT_VIOLATION);
	assert_int_equal(nvmx_ept_violation_qual(0x182 | (1ull << 12) | (1ull << 9), &w),
			 0x182 | (1ull << 12) | (5 << 3));
	assert_int_equal(nvmx_ept_translate(eptp, 0x400000 + 0x1234, NVMX_EPT_W, &fx.caps,
					    &fx.env, &w), NVMX_EPT_OK);
	assert_int_equal(w.l1_gpa, 0x40001234);
	assert_int_equal(w.page_size, 2ull << 20);
	/* Not present: violation with no rights. */
	assert_int_equal(nvmx_ept_translate(eptp, 0x206000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_VIOLATION);
	assert_int_equal(w.rights, 0);
	/* Misconfigurations: write-only, reserved bits, memory type 2, beyond MAXPHYADDR. */
	put(PGA(33) + 8 * 6, 0x5000 | (6 << 3) | 2);
	assert_int_equal(nvmx_ept_translate(eptp, 0x206000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
	put(PGA(33) + 8 * 6, 0x5000 | (2 << 3) | 7);
	assert_int_equal(nvmx_ept_translate(eptp, 0x206000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
	put(PGA(33) + 8 * 6, (1ull << 45) | (6 << 3) | 7);
	assert_int_equal(nvmx_ept_translate(eptp, 0x206000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
	put(PGA(32) + 8 * 3, 0x60000000 | (1 << 7) | (1 << 12) | (6 << 3) | 7);	/* 2M + bit 12 */
	assert_int_equal(nvmx_ept_translate(eptp, 0x600000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
	put(PGA(30) + 8, PGA(31) | 7 | 0x80);	/* PML4E bit 7 reserved */
	assert_int_equal(nvmx_ept_translate(eptp, 1ull << 39, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
	/* KVM's MMIO entries (write/execute without read) are misconfigurations. */
	put(PGA(33) + 8 * 7, 0x6);
	assert_int_equal(nvmx_ept_translate(eptp, 0x207000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
	/* A table outside L1 RAM. */
	put(PGA(32) + 8 * 4, fx.layout.not_ram | 7);
	assert_int_equal(nvmx_ept_translate(eptp, 0x800000, NVMX_EPT_R, &fx.caps, &fx.env, &w),
			 NVMX_EPT_BAD_TABLE);
	assert_int_equal(w.table_gpa, fx.layout.not_ram);
	/* 1 GiB leaves with the capability. */
	put(PGA(31) + 8 * 1, 0x80000000 | (1 << 7) | (6 << 3) | 7);
	assert_int_equal(nvmx_ept_translate(eptp, (1ull << 30) + 0x123456, NVMX_EPT_X, &fx.caps,
					    &fx.env, &w), NVMX_EPT_OK);
	assert_int_equal(w.l1_gpa, 0x80123456);
	fx.caps.msrs.ept_vpid &= ~(1ull << 17);
	assert_int_equal(nvmx_ept_translate(eptp, (1ull << 30), NVMX_EPT_X, &fx.caps, &fx.env, &w),
			 NVMX_EPT_MISCONFIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_controls),
		cmocka_unit_test(test_route_io),
		cmocka_unit_test(test_route_msr),
		cmocka_unit_test(test_route_cr),
		cmocka_unit_test(test_route_exceptions),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_msr_intercept02),
		cmocka_unit_test(test_merge_passes_host_checks),
		cmocka_unit_test(test_save_exit),
		cmocka_unit_test(test_host_state),
		cmocka_unit_test(test_ept_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
