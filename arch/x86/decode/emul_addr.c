/* emul_addr: effective and linear addresses of memory operands, checked against the fault. */
#include "arch/x86/decode/emul_internal.h"

/* In 64-bit mode ES, CS, SS and DS have base 0 whatever their descriptors say (SDM Vol. 3, 3.4.4). */
uint64_t emul_segment_base(const struct emul *e, enum x86_seg seg)
{
	if (e->cpu->mode == X86_MODE_64 && seg != X86_SEG_FS && seg != X86_SEG_GS)
		return 0;
	return e->cpu->seg_base[seg];
}

/* rBP- and rSP-based operands default to SS, the rest to DS (SDM Vol. 1, 3.7.4). */
static enum x86_seg default_segment(const struct x86_insn *insn)
{
	unsigned rm = insn->rm & 7;

	if (insn->addrsize == 2)
		return (rm == 2 || rm == 3 || (rm == 6 && insn->mod != 0)) ? X86_SEG_SS : X86_SEG_DS;
	if (insn->has_sib) {
		if (insn->base == 4 || (insn->base == 5 && insn->mod != 0))
			return X86_SEG_SS;
		return X86_SEG_DS;
	}
	return (insn->rm == 5 && insn->mod != 0) ? X86_SEG_SS : X86_SEG_DS;
}

/* 16-bit forms: BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP (disp16 alone when mod = 0), BX. */
static uint64_t effective_address16(const struct emul *e)
{
	static const int8_t base[8] = { GPR_RBX, GPR_RBX, GPR_RBP, GPR_RBP, -1, -1, GPR_RBP, GPR_RBX };
	static const int8_t index[8] = { GPR_RSI, GPR_RDI, GPR_RSI, GPR_RDI, GPR_RSI, GPR_RDI, -1, -1 };
	const struct x86_insn *insn = e->insn;
	const uint64_t *r = e->cpu->gprs->r;
	unsigned rm = insn->rm & 7;
	uint64_t ea = (uint64_t)(int64_t)insn->disp;

	if (!(insn->mod == 0 && rm == 6) && base[rm] >= 0)
		ea += r[base[rm]];
	if (index[rm] >= 0)
		ea += r[index[rm]];
	return ea & 0xffff;
}

static uint64_t effective_address(const struct emul *e)
{
	const struct x86_insn *insn = e->insn;
	const uint64_t *r = e->cpu->gprs->r;
	uint64_t ea = (uint64_t)(int64_t)insn->disp;

	if (insn->addrsize == 2)
		return effective_address16(e);
	if (insn->has_sib) {
		if (!(insn->mod == 0 && (insn->base & 7) == 5))
			ea += r[insn->base];
		if (insn->index != 4) /* index 4 without REX.X means none; r12 is a real index */
			ea += r[insn->index] * insn->scale;
	} else if (insn->mod == 0 && (insn->rm & 7) == 5) {
		/* 64-bit mode: RIP-relative to the next instruction; elsewhere disp32 alone */
		if (insn->mode == X86_MODE_64)
			ea += e->cpu->rip + insn->len;
	} else {
		ea += r[insn->rm];
	}
	return ea;
}

static bool is_moffs(const struct x86_insn *insn)
{
	return insn->map == X86_MAP_ONEBYTE && insn->opcode >= 0xa0 && insn->opcode <= 0xa3;
}

uint64_t emul_operand_linear(const struct emul *e, int64_t offset)
{
	const struct x86_insn *insn = e->insn;
	enum x86_seg seg = insn->seg;
	uint64_t ea = is_moffs(insn) ? insn->imm : effective_address(e);
	uint64_t linear;

	if (seg == X86_SEG_NONE)
		seg = is_moffs(insn) ? X86_SEG_DS : default_segment(insn);
	ea = (ea + (uint64_t)offset) & emul_size_mask(insn->addrsize);
	linear = emul_segment_base(e, seg) + ea;
	return e->cpu->mode == X86_MODE_64 ? linear : linear & 0xffffffffull;
}

/*
 * The fault names the guest-physical address of the access; the instruction's own
 * operand must sit at the same offset in its page. A mismatch means the bytes at RIP
 * are not the instruction that faulted (another vCPU rewrote them) or the access
 * spans two pages: both are refused rather than guessed at.
 */
bool emul_mmio_operand(struct emul *e, uint64_t linear, unsigned size)
{
	if (e->insn->has_modrm && e->insn->mod == 3) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "instruction has no memory operand");
		return false;
	}
	if ((linear & 0xfff) != (e->fault_gpa & 0xfff)) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "operand address does not match the faulting GPA");
		return false;
	}
	if ((linear & 0xfff) + size > 0x1000) {
		emul_fail(e, X86_EMUL_BAD_ACCESS, "MMIO access crosses a page boundary");
		return false;
	}
	e->gpa = e->fault_gpa;
	return true;
}

uint64_t emul_mmio_read(struct emul *e, uint64_t gpa, unsigned size)
{
	e->out->mmio_accesses++;
	return e->mmio->read(e->mmio->ctx, gpa, size) & emul_size_mask(size);
}

void emul_mmio_write(struct emul *e, uint64_t gpa, unsigned size, uint64_t value)
{
	e->out->mmio_accesses++;
	e->mmio->write(e->mmio->ctx, gpa, size, value & emul_size_mask(size));
}
