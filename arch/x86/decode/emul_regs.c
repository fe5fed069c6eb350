/* emul_regs: guest GPRs by size, address registers, and finishing an emulated instruction. */
#include "arch/x86/decode/emul_internal.h"

#define RFLAGS_RF (1ull << 16)

uint64_t emul_size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

uint64_t emul_sign_extend(uint64_t value, unsigned size)
{
	unsigned shift = 64 - size * 8;

	if (size >= 8)
		return value;
	return (uint64_t)((int64_t)(value << shift) >> shift);
}

/* Without any REX prefix, byte registers 4-7 are AH, CH, DH, BH (SDM Vol. 2, 3.1.1.1). */
static bool is_high_byte(const struct emul *e, unsigned reg, unsigned size)
{
	return size == 1 && !e->insn->rex && reg >= 4 && reg < 8;
}

uint64_t emul_gpr_read(const struct emul *e, unsigned reg, unsigned size)
{
	const struct x86_gprs *g = e->cpu->gprs;

	if (is_high_byte(e, reg, size))
		return (g->r[reg - 4] >> 8) & 0xff;
	return g->r[reg & 15] & emul_size_mask(size);
}

/*
 * 8- and 16-bit writes keep the rest of the register; a 32-bit write zero-extends into
 * bits 63:32 (SDM Vol. 1, 3.4.1.1).
 */
void emul_gpr_write(struct emul *e, unsigned reg, unsigned size, uint64_t value)
{
	struct x86_gprs *g = e->cpu->gprs;
	uint64_t *r;

	if (is_high_byte(e, reg, size)) {
		r = &g->r[reg - 4];
		*r = (*r & ~0xff00ull) | ((value & 0xff) << 8);
		return;
	}
	r = &g->r[reg & 15];
	if (size >= 4)
		*r = size == 4 ? (uint32_t)value : value;
	else
		*r = (*r & ~emul_size_mask(size)) | (value & emul_size_mask(size));
}

/* String instructions use rSI/rDI/rCX at the address size (SDM Vol. 1, 3.6). */
uint64_t emul_addr_reg_read(const struct emul *e, unsigned reg)
{
	return e->cpu->gprs->r[reg] & emul_size_mask(e->insn->addrsize);
}

void emul_addr_reg_write(struct emul *e, unsigned reg, uint64_t value)
{
	emul_gpr_write(e, reg, e->insn->addrsize, value);
}

/*
 * The instruction completed: RIP moves past it (wrapping at the code-segment size
 * outside 64-bit mode) and RF is cleared, as after any completed instruction
 * (SDM Vol. 3, 18.3.1.1). A pending single-step (TF) trap is the caller's to deliver.
 */
enum x86_emul_status emul_done(struct emul *e)
{
	struct x86_emul_cpu *cpu = e->cpu;
	uint64_t next = cpu->rip + e->insn->len;

	if (cpu->mode == X86_MODE_32)
		next &= 0xffffffffull;
	else if (cpu->mode == X86_MODE_16)
		next &= 0xffffull;
	cpu->rip = next;
	cpu->rflags &= ~RFLAGS_RF;
	e->out->status = X86_EMUL_OK;
	e->out->why = "emulated";
	return X86_EMUL_OK;
}

enum x86_emul_status emul_fail(struct emul *e, enum x86_emul_status status, const char *why)
{
	e->out->status = status;
	e->out->why = why;
	return status;
}
