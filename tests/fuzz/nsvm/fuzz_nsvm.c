/* fuzz_nsvm: libFuzzer target over the VMRUN check table, the merge and the exit path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_exit.h"
#include "nested/svm/nsvm_merge.h"
#include "nested/svm/nsvm_permmap.h"
#include "nested/svm/nsvm_sample.h"

/*
 * The input is a few bytes of features followed by edits of the valid sample (so inputs
 * that still pass the table are common). Properties, each an abort() when broken:
 *  - the table answers the same in one pass and in two (without, then with vmcb12);
 *  - an APM-only run never fails earlier than the full run;
 *  - for a vmcb12 that passes: vmcb02 passes the table on nestor's side (hardware
 *    features, nestor's memory), keeps both sides' intercepts, and honours no feature
 *    L1 was not offered; a reflected exit clears EVENTINJ and keeps L1's int_ctl bits.
 */
struct cursor {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct cursor *c)
{
	if (!c->n)
		return 0;
	c->n--;
	return *c->p++;
}

static uint64_t take64(struct cursor *c)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)take8(c) << (8 * i);
	return v;
}

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "property broken: %s (line %d)\n", \
					#cond, __LINE__); abort(); } } while (0)

static const struct nsvm_range l1_ranges[] = { { 0, 0xa0000 }, { 0x100000, 0xff00000 } };
static const struct nsvm_ram l1_ram = { l1_ranges, 2 };
static const struct nsvm_range host_ranges[] = { { 0x80000000, 0x10000000 } };
static const struct nsvm_ram host_ram = { host_ranges, 1 };

static void features(struct cursor *c, struct nsvm_features *f)
{
	uint32_t b = (uint32_t)take8(c) | (uint32_t)take8(c) << 8 | (uint32_t)take8(c) << 16;
	f->npt = b & 1;
	f->nrips = b & 2;
	f->vgif = b & 4;
	f->flushbyasid = b & 8;
	f->vmcb_clean = b & 16;
	f->lbr_virt = b & 32;
	f->v_vmsave_vmload = b & 64;
	f->maxphyaddr = (uint8_t)(32 + take8(c) % 21);
	f->nasid = 2 + take8(c);
	f->cpuid.f1_ecx = (b & (1u << 7) ? NSVM_F1_ECX_PCID : 0) |
			  (b & (1u << 8) ? NSVM_F1_ECX_XSAVE : 0);
	f->cpuid.f7_ebx = (b & (1u << 9) ? NSVM_F7_EBX_FSGSBASE : 0) |
			  (b & (1u << 10) ? NSVM_F7_EBX_SMEP | NSVM_F7_EBX_SMAP : 0);
	f->cpuid.f7_ecx = (b & (1u << 11) ? NSVM_F7_ECX_UMIP : 0) |
			  (b & (1u << 12) ? NSVM_F7_ECX_PKU : 0) |
			  (b & (1u << 13) ? NSVM_F7_ECX_CET_SS : 0) |
			  (b & (1u << 14) ? NSVM_F7_ECX_LA57 : 0);
	f->cpuid.e1_ecx = b & (1u << 15) ? NSVM_E1_ECX_TCE : 0;
	f->cpuid.e1_edx = (b & (1u << 16) ? 0 : NSVM_E1_EDX_LM) |
			  (b & (1u << 17) ? NSVM_E1_EDX_NX : 0) |
			  (b & (1u << 18) ? NSVM_E1_EDX_FFXSR : 0);
}

/* Edits: flip a bit, set a byte, or set a naturally aligned qword of vmcb12 or L1's state. */
static void edit(struct cursor *c, struct vmcb *v, struct nsvm_vmrun *run)
{
	uint8_t op = take8(c);
	uint16_t off = (uint16_t)(take8(c) | take8(c) << 8) % sizeof(*v);
	uint8_t arg = take8(c);
	uint8_t *bytes = (uint8_t *)v;
	switch (op % 4) {
	case 0: bytes[off] ^= (uint8_t)(1u << (arg % 8)); break;
	case 1: bytes[off] = arg; break;
	case 2: { uint64_t x = take64(c); memcpy(bytes + (off & ~7u), &x, 8); break; }
	case 3: {
		uint64_t *fields[] = { &run->rax, &run->efer, &run->cr0, &run->rflags };
		if (off % 5 == 4)
			run->cpl = arg & 3;
		else
			*fields[off % 5] ^= 1ull << (arg % 64);
		break;
	}
	}
}

/* The same table over the input, in one pass and in two. */
static const struct nsvm_check *check_consistently(const struct nsvm_check_input *in)
{
	struct nsvm_check_result all = nsvm_check_run(in, NSVM_ORIGINS_ALL);
	struct nsvm_check_input no_vmcb = *in;
	no_vmcb.vmcb = NULL;
	struct nsvm_check_result first = nsvm_check_run(&no_vmcb, NSVM_ORIGINS_ALL);
	CHECK(first.failed ? first.failed == all.failed : first.needs_vmcb);
	struct nsvm_check_result apm = nsvm_check_run(in, 1u << NSVM_ORIGIN_APM);
	if (apm.failed)
		CHECK(all.failed && all.failed <= apm.failed);
	else
		CHECK(!all.failed || all.failed->origin == NSVM_ORIGIN_NESTOR);
	char line[256];
	if (all.failed)
		CHECK(nsvm_check_describe(line, sizeof(line), all.failed, in) > 0);
	return all.failed;
}

static void check_vmcb02(const struct vmcb *v12, const struct vmcb *v02, const struct nsvm_l0 *l0,
			 const struct nsvm_features *f, const struct nsvm_features *hw)
{
	const struct vmcb_control *c12 = &v12->control, *c02 = &v02->control;
	struct nsvm_vmrun l0run = { .rax = 0x8ffff000, .efer = (1ull << 12) | (1ull << 8) | (1ull << 10),
				    .cr0 = 0x80000011, .rflags = 2, .cpl = 0 };
	struct nsvm_check_input in = { &l0run, v02, hw, &host_ram };
	struct nsvm_check_result r = nsvm_check_run(&in, NSVM_ORIGINS_ALL);
	if (r.failed) {
		char line[256];
		nsvm_check_describe(line, sizeof(line), r.failed, &in);
		fprintf(stderr, "vmcb02 breaks %s\n", line);
		abort();
	}
	CHECK((c02->intercept_misc1 & c12->intercept_misc1) == c12->intercept_misc1);
	CHECK((c02->intercept_misc1 & l0->intercept_misc1) == l0->intercept_misc1);
	CHECK((c02->intercept_exceptions & c12->intercept_exceptions) == c12->intercept_exceptions);
	CHECK((c02->intercept_cr & c12->intercept_cr) == c12->intercept_cr);
	CHECK(c02->intercept_misc2 & SVM_INTERCEPT_VMRUN);
	CHECK(c02->tsc_offset == c12->tsc_offset + l0->tsc_offset);
	CHECK(c02->vintr & SVM_V_INTR_MASKING);
	CHECK(f->vgif || !(c02->vintr & (SVM_V_GIF | SVM_V_GIF_ENABLE)));
	CHECK(f->lbr_virt || !(c02->virt_ext & SVM_VIRT_EXT_LBR_ENABLE));
	CHECK(f->v_vmsave_vmload || !(c02->virt_ext & SVM_VIRT_EXT_V_VMSAVE_VMLOAD));
	CHECK(f->nrips || c02->next_rip == 0);
	CHECK(c02->clean_bits == 0 && c02->asid == l0->asid);
	CHECK(c02->event_inj == c12->event_inj);
	CHECK(v02->save.cr0 == v12->save.cr0 && v02->save.rip == v12->save.rip &&
	      v02->save.efer == v12->save.efer);
}

static void check_reflection(struct cursor *c, const struct vmcb *v12, struct vmcb *v02,
			     const struct nsvm_features *f)
{
	static struct vmcb back;
	struct vmcb_save l1_cpu = { 0 };
	back = *v12;
	v02->control.exit_code = take64(c);
	v02->control.exit_info1 = take64(c);
	v02->control.vintr = take64(c);
	v02->control.next_rip = take64(c);
	nsvm_reflect_exit(&back, &l1_cpu, v02, f);
	CHECK(back.control.event_inj == 0);
	CHECK(back.control.exit_code == v02->control.exit_code);
	uint64_t mask = SVM_V_TPR_MASK | SVM_V_IRQ | (f->vgif ? SVM_V_GIF : 0);
	CHECK((back.control.vintr & ~mask) == (v12->control.vintr & ~mask));
	CHECK(f->nrips || back.control.next_rip == v12->control.next_rip);

	static uint8_t msrpm[SVM_MSRPM_SIZE], iopm[SVM_IOPM_SIZE];
	memset(msrpm, take8(c), sizeof(msrpm));
	memset(iopm, take8(c), sizeof(iopm));
	struct nsvm_exit_ctx x = { v12, msrpm, iopm, (uint32_t)take64(c), take8(c) & 1, f };
	uint64_t code = v02->control.exit_code % 0x420;
	enum nsvm_owner o = nsvm_exit_owner(&x, code, v02->control.exit_info1);
	if (code >= SVM_EXIT_INTR && code <= SVM_EXIT_INIT)
		CHECK(o == NSVM_OWNER_L0);
	if (code >= 0x40 && code <= 0x5f)
		CHECK((o == NSVM_OWNER_L1) == !!(v12->control.intercept_exceptions >> (code - 0x40) & 1));
}

/* How many inputs reached the merge: evidence the passing path is explored, not a result. */
static unsigned long inputs, merged;

static void report(void)
{
	fprintf(stderr, "fuzz_nsvm: %lu inputs, %lu passed the table and were merged and reflected\n",
		inputs, merged);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(report);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmcb v12, v02;
	struct cursor c = { data, size };
	struct nsvm_features f, hw;
	features(&c, &f);
	hw = f;			/* the hardware offers at least what L1 gets, and NPT */
	hw.npt = true;
	hw.maxphyaddr = 52;
	hw.nasid = 0x10000;
	hw.cpuid.f7_ecx |= NSVM_F7_ECX_LA57 | NSVM_F7_ECX_PKU | NSVM_F7_ECX_UMIP;

	struct nsvm_sample s = {
		.vmcb_pa = 0x200000, .iopm_pa = 0x201000, .msrpm_pa = 0x204000, .ncr3 = 0x206000,
		.cr3 = 0x300000, .rip = 0x400000, .rsp = 0x500000, .rax = 0x1234,
		.gdt_base = 0x110000, .gdt_limit = 0x1f, .idt_base = 0x111000, .idt_limit = 0xfff,
		.cs_sel = 0x18, .ds_sel = 0x10, .pat = 0x0007040600070406ull,
		.outside_ram_pa = 0x40000000,
	};
	struct nsvm_vmrun run;
	nsvm_sample_build(&v12, &run, &s, &f);
	unsigned edits = take8(&c) % 8;
	for (unsigned i = 0; i < edits; i++)
		edit(&c, &v12, &run);

	struct nsvm_check_input in = { &run, &v12, &f, &l1_ram };
	inputs++;
	if (check_consistently(&in))
		return 0;
	merged++;

	struct nsvm_l0 l0 = {
		.intercept_cr = (uint32_t)take64(&c), .intercept_exceptions = (uint32_t)take64(&c),
		.intercept_misc1 = (uint32_t)take64(&c), .intercept_misc2 = (uint32_t)take64(&c),
		.tsc_offset = take64(&c), .asid = 1 + take8(&c),
		.ncr3_l1 = 0x81000000, .ncr3_shadow = 0x82000000,
		.iopm_pa = 0x83000000, .msrpm_pa = 0x84000000,
	};
	struct vmcb_save l1_cpu = { 0 };
	l1_cpu.g_pat = 0x0007040600070406ull;	/* nestor's copy of L1's PAT is always valid */
	l1_cpu.fs.base = take64(&c);
	l1_cpu.star = take64(&c);
	struct nsvm_merge_info info;
	nsvm_merge(&v02, &v12, &l1_cpu, &l0, &f, &info);
	check_vmcb02(&v12, &v02, &l0, &f, &hw);
	check_reflection(&c, &v12, &v02, &f);
	return 0;
}
