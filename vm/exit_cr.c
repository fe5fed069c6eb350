/* exit_cr: guest writes to CR0, CR4 and CR8, checked as the CPU checks MOV to CR, then loaded. */
#include "vm/vcpu_exit.h"

#include "vm/vcpu_arch.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

#define X86_CR0_MP (1ull << 1)
#define X86_CR0_EM (1ull << 2)
#define X86_CR0_TS (1ull << 3)
#define X86_CR0_AM (1ull << 18)
/* The CR0 bits that exist (SDM Vol. 3A 2.5); the others read as 0 and writes to them
 * are dropped, as KVM does too. */
#define CR0_DEFINED (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | \
		     X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)
#define X86_CR4_PCIDE (1ull << 17)
#define X86_CR4_CET (1ull << 23)

/* Where CPUID says a CR4 bit's feature exists (SDM Vol. 3A 2.5, Vol. 2A CPUID). */
struct cr4_feature {
	uint8_t bit;
	uint32_t leaf;
	uint8_t subleaf;
	uint8_t reg;	/* 0 EAX, 1 EBX, 2 ECX, 3 EDX */
	uint8_t cpuid_bit;
};

static const struct cr4_feature cr4_features[] = {
	{ 0, 1, 0, 3, 1 },	/* VME: VME */
	{ 1, 1, 0, 3, 1 },	/* PVI: VME */
	{ 2, 1, 0, 3, 4 },	/* TSD: TSC */
	{ 3, 1, 0, 3, 2 },	/* DE: DE */
	{ 4, 1, 0, 3, 3 },	/* PSE: PSE */
	{ 5, 1, 0, 3, 6 },	/* PAE: PAE */
	{ 6, 1, 0, 3, 7 },	/* MCE: MCE */
	{ 7, 1, 0, 3, 13 },	/* PGE: PGE */
	{ 8, 1, 0, 3, 0 },	/* PCE: architectural since the P6 family (tied to FPU) */
	{ 9, 1, 0, 3, 24 },	/* OSFXSR: FXSR */
	{ 10, 1, 0, 3, 25 },	/* OSXMMEXCPT: SSE */
	{ 11, 7, 0, 2, 2 },	/* UMIP */
	{ 12, 7, 0, 2, 16 },	/* LA57 */
	{ 13, 1, 0, 2, 5 },	/* VMXE: VMX */
	{ 14, 1, 0, 2, 6 },	/* SMXE: SMX */
	{ 16, 7, 0, 1, 0 },	/* FSGSBASE */
	{ 17, 1, 0, 2, 17 },	/* PCIDE: PCID */
	{ 18, 1, 0, 2, 26 },	/* OSXSAVE: XSAVE */
	{ 19, 7, 0, 2, 23 },	/* KL: Key Locker */
	{ 20, 7, 0, 1, 7 },	/* SMEP */
	{ 21, 7, 0, 1, 20 },	/* SMAP */
	{ 22, 7, 0, 2, 3 },	/* PKE: PKU */
	{ 23, 7, 0, 2, 7 },	/* CET: CET_SS (IBT below) */
	{ 23, 7, 0, 3, 20 },	/* CET: CET_IBT */
	{ 24, 7, 0, 2, 31 },	/* PKS */
	{ 25, 7, 0, 3, 5 },	/* UINTR */
	{ 28, 7, 1, 0, 26 },	/* LAM_SUP: LAM */
};

/* The CR4 bits this guest may set: those whose feature its CPUID offers. */
static uint64_t cr4_allowed(struct vcpu *v, uint64_t cr4)
{
	uint64_t ok = 0;
	for (unsigned i = 0; i < sizeof(cr4_features) / sizeof(cr4_features[0]); i++) {
		const struct cr4_feature *f = &cr4_features[i];
		struct cpuid_regs r;
		vcpu_cpuid(v, cr4, f->leaf, f->subleaf, &r);
		uint32_t word = f->reg == 0 ? r.eax : f->reg == 1 ? r.ebx : f->reg == 2 ? r.ecx : r.edx;
		if (word & (1u << f->cpuid_bit))
			ok |= 1ull << f->bit;
	}
	return ok;
}

/*
 * MOV to CR0 (SDM Vol. 2B MOV to/from Control Registers, #GP(0) list; Vol. 3A 2.5 and
 * 10.8.5; APM Vol. 2 3.1.1 and 14.6): bits 63:32 set, PG without PE, NW without CD, PG
 * with LME but without PAE or from 64-bit code, PG cleared in 64-bit code or with
 * CR4.PCIDE, WP cleared with CR4.CET. Setting PG with EFER.LME activates long mode and
 * clearing it leaves long mode (EFER.LMA follows), which nestor does here because the CPU
 * did not run the instruction.
 */
static bool cr_write_cr0(struct vcpu *v, uint64_t value)
{
	const struct vcpu_arch_ops *ops = v->ops;
	uint64_t old = ops->get_reg(v, VCPU_CR0), cr4 = ops->get_reg(v, VCPU_CR4);
	uint64_t efer = ops->get_reg(v, VCPU_EFER);

	if (value >> 32)
		return false;
	value = (value & CR0_DEFINED) | X86_CR0_ET;	/* ET is hard-wired to 1 */
	if (((value & X86_CR0_PG) && !(value & X86_CR0_PE)) ||
	    ((value & X86_CR0_NW) && !(value & X86_CR0_CD)))
		return false;
	bool pg_on = !(old & X86_CR0_PG) && (value & X86_CR0_PG);
	bool pg_off = (old & X86_CR0_PG) && !(value & X86_CR0_PG);
	if (pg_on && (efer & X86_EFER_LME)) {
		if (!(cr4 & X86_CR4_PAE) || ops->long_mode_code(v))
			return false;
		efer |= X86_EFER_LMA;
	}
	if (pg_off && (ops->long_mode_code(v) || (cr4 & X86_CR4_PCIDE)))
		return false;
	if (pg_off)
		efer &= ~X86_EFER_LMA;
	if ((cr4 & X86_CR4_CET) && !(value & X86_CR0_WP))
		return false;
	/* EFER first: the VMX backend loads PAE PDPTEs with CR0 and needs the mode. */
	if (efer != ops->get_reg(v, VCPU_EFER) && !ops->set_reg(v, VCPU_EFER, efer))
		return false;
	return ops->set_reg(v, VCPU_CR0, value);
}

/*
 * MOV to CR4 (same #GP list): a bit whose feature this guest's CPUID does not offer
 * (VMXE and SMXE included while VMX and SMX are hidden); PAE cleared or LA57 changed in
 * IA-32e mode; PCIDE set outside IA-32e mode or with CR3[11:0] != 0; CET set with CR0.WP
 * clear.
 */
static bool cr_write_cr4(struct vcpu *v, uint64_t value)
{
	const struct vcpu_arch_ops *ops = v->ops;
	uint64_t old = ops->get_reg(v, VCPU_CR4);
	bool lma = ops->get_reg(v, VCPU_EFER) & X86_EFER_LMA;

	if (value & ~cr4_allowed(v, old))
		return false;
	if (lma && (!(value & X86_CR4_PAE) || ((value ^ old) & X86_CR4_LA57)))
		return false;
	if (!(old & X86_CR4_PCIDE) && (value & X86_CR4_PCIDE) &&
	    (!lma || (ops->get_reg(v, VCPU_CR3) & 0xfff)))
		return false;
	if ((value & X86_CR4_CET) && !(ops->get_reg(v, VCPU_CR0) & X86_CR0_WP))
		return false;
	return ops->set_reg(v, VCPU_CR4, value);
}

/* MOV to CR8 (SDM Vol. 3A 11.8.6.1): TPR[7:4] = CR8[3:0]; bits 63:4 are reserved. */
static bool cr_write_cr8(struct vcpu *v, uint64_t value)
{
	if (value & ~0xfull)
		return false;
	vlapic_set_tpr(apic_vm_vcpu(&v->vm->apic, v->id), (uint32_t)(value << 4));
	return true;
}

static bool write_cr(struct vcpu *v, unsigned cr, uint64_t value)
{
	/* VMX operation fixes CR0/CR4 bits (SDM 23.8): the nested extension says which. */
	if (v->nested && v->nested->cr_ok && !v->nested->cr_ok(v, cr, value))
		return false;
	switch (cr) {
	case 0: return cr_write_cr0(v, value);
	case 4: return cr_write_cr4(v, value);
	default: return cr_write_cr8(v, value);
	}
}

static bool finish_cr_write(struct vcpu *v, unsigned cr, uint64_t value)
{
	if (write_cr(v, cr, value))
		vcpu_skip_instruction(v);
	else
		vcpu_inject_gp(v);
	return true;
}

/* MOV to CRn from a general register: 64 bits in 64-bit code, else the low 32. */
bool vcpu_exit_mov_to_cr(struct vcpu *v, unsigned cr, unsigned gpr)
{
	v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
	if (cr != 0 && cr != 4 && cr != 8) {
		vm_stop_vcpu(v, "MOV to CR%u exit: nestor intercepts only CR0, CR4 and CR8", cr);
		return false;
	}
	uint64_t value = v->gprs.r[gpr & 15];
	if (!v->ops->long_mode_code(v))
		value = (uint32_t)value;
	return finish_cr_write(v, cr, value);
}

/* CLTS clears CR0.TS (SDM Vol. 2A CLTS). */
bool vcpu_exit_clts(struct vcpu *v)
{
	v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
	return finish_cr_write(v, 0, v->ops->get_reg(v, VCPU_CR0) & ~X86_CR0_TS);
}

/* LMSW loads CR0[3:0] from the source; it can set PE but never clear it (SDM Vol. 2A). */
bool vcpu_exit_lmsw(struct vcpu *v, uint16_t source)
{
	v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
	uint64_t cr0 = v->ops->get_reg(v, VCPU_CR0);
	return finish_cr_write(v, 0, (cr0 & ~(X86_CR0_MP | X86_CR0_EM | X86_CR0_TS)) | (source & 0xf));
}

/*
 * A CR write intercept without decode assists (SVM under QEMU TCG): the exit names the
 * register but not the instruction, which is MOV to CRn (0F 22 /r, the register in
 * ModRM.reg extended by REX.R, the source in ModRM.rm whatever ModRM.mod says), CLTS
 * (0F 06) or LMSW (0F 01 /6).
 */
bool vcpu_exit_cr_write_at_rip(struct vcpu *v)
{
	struct x86_insn insn;

	if (!vcpu_fetch_insn(v, "CR write exit", &insn)) {
		v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
		return !v->vm->stopping;
	}
	if (insn.map == X86_MAP_0F && insn.opcode == 0x22 && insn.has_modrm)
		return vcpu_exit_mov_to_cr(v, insn.reg, insn.rm);
	if (insn.map == X86_MAP_0F && insn.opcode == 0x06)
		return vcpu_exit_clts(v);
	if (insn.map == X86_MAP_0F && insn.opcode == 0x01 && insn.has_modrm && insn.reg == 6 &&
	    insn.mod == 3)
		return vcpu_exit_lmsw(v, (uint16_t)v->gprs.r[insn.rm]);
	v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
	vm_stop_vcpu(v, "CR write exit at rip %#llx: the instruction (map %u opcode %#x /%u) is "
		     "not MOV to CR, CLTS or LMSW from a register",
		     (unsigned long long)v->ops->get_reg(v, VCPU_RIP),
		     insn.map, insn.opcode, insn.reg);
	return false;
}
