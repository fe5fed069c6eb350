/* fetch_decode: the instruction at the guest's CS:RIP, for exits that come without its bytes. */
#include "arch/x86/decode/emul_internal.h"

#include "lib/string.h"

/* Why the bytes the decoder needed could not be fetched. */
static enum x86_emul_status fetch_failure(const struct guest_fetch *f, enum guest_walk_status st,
					  struct x86_emul_outcome *out)
{
	switch (st) {
	case GUEST_WALK_PAGE_FAULT:
		out->pf_error = f->fault.pf_error;
		out->fault_linear = f->fault_linear;
		out->why = "instruction fetch page fault";
		return X86_EMUL_PAGE_FAULT;
	case GUEST_WALK_NONCANONICAL:
		out->why = "instruction fetch at a non-canonical address";
		return X86_EMUL_GP;
	case GUEST_WALK_BAD_TABLE:
		out->why = "instruction fetch: guest paging structure outside guest RAM";
		return X86_EMUL_BAD_ACCESS;
	default:
		out->why = "instruction fetch outside guest RAM";
		return X86_EMUL_BAD_ACCESS;
	}
}

enum x86_emul_status x86_fetch_decode(const struct x86_emul_cpu *cpu, unsigned decode_flags,
				      struct x86_insn *insn, struct x86_emul_outcome *out)
{
	struct guest_fetch f;
	enum guest_walk_status fetched;
	enum x86_decode_status decoded;

	memset(out, 0, sizeof(*out));
	if (!cpu->mem) {
		memset(insn, 0, sizeof(*insn));
		out->why = "no guest memory to fetch from";
		return out->status = X86_EMUL_BAD_ACCESS;
	}
	fetched = guest_fetch_insn(cpu->mem, &cpu->paging, cpu->mode, cpu->seg_base[X86_SEG_CS],
				   cpu->rip, cpu->cpl, &f);
	decoded = x86_decode(f.bytes, f.len, cpu->mode, decode_flags, insn);
	memcpy(out->bytes, f.bytes, sizeof(out->bytes));
	out->len = insn->len;
	out->map = insn->map;
	out->opcode = insn->opcode;
	out->modrm_reg = insn->reg & 7;
	switch (decoded) {
	case X86_DECODE_OK:
		out->why = "decoded";
		return out->status = X86_EMUL_OK;
	case X86_DECODE_INVALID:
		out->why = "invalid opcode";
		return out->status = X86_EMUL_UD;
	case X86_DECODE_TOO_LONG:
		out->why = "instruction longer than 15 bytes";
		return out->status = X86_EMUL_GP;
	default: /* truncated: the fetch stopped before the instruction ended */
		return out->status = fetch_failure(&f, fetched, out);
	}
}

enum x86_emul_status x86_emulate_mmio_at_rip(struct x86_emul_cpu *cpu, unsigned decode_flags,
					     uint64_t fault_gpa, const struct x86_mmio_ops *mmio,
					     struct x86_emul_outcome *out)
{
	struct x86_insn insn;
	enum x86_emul_status st = x86_fetch_decode(cpu, decode_flags, &insn, out);

	if (st != X86_EMUL_OK)
		return st;
	return x86_emulate_mmio(cpu, &insn, fault_gpa, mmio, out);
}
