/* mmio_emul: which instructions nestor carries out on MMIO, and the dispatch to them. */
#include "arch/x86/decode/emul_internal.h"

#include "lib/string.h"

enum emul_family { FAMILY_NONE, FAMILY_ALU, FAMILY_MOVE, FAMILY_BITS, FAMILY_STRING };

/*
 * The instructions Linux and small test kernels use on the xAPIC, IOAPIC and similar
 * registers (readl/writel are MOVs; a few read-modify-write ALU and bit operations;
 * memcpy_toio/fromio and memset_io are REP MOVS/STOS). SSE/AVX moves are not emulated:
 * nestor is built without SSE and Linux's MMIO accessors do not use them.
 */
static enum emul_family family_of(const struct x86_insn *insn)
{
	uint8_t op = insn->opcode;

	if (insn->map == X86_MAP_0F) {
		if (op == 0xb6 || op == 0xb7 || op == 0xbe || op == 0xbf || op == 0xc3)
			return FAMILY_MOVE;
		if (op == 0xa3 || op == 0xab || op == 0xb3 || op == 0xbb || op == 0xba)
			return FAMILY_BITS;
		return FAMILY_NONE;
	}
	if (insn->map != X86_MAP_ONEBYTE)
		return FAMILY_NONE;
	if (op < 0x40 && (op & 7) <= 3)
		return FAMILY_ALU;
	switch (op) {
	case 0x80 ... 0x85:
	case 0xf6:
	case 0xf7:
	case 0xfe:
	case 0xff:
		return FAMILY_ALU;
	case 0x63:
	case 0x86 ... 0x8b:
	case 0xa0 ... 0xa3:
	case 0xc6:
	case 0xc7:
		return FAMILY_MOVE;
	case 0xa4:
	case 0xa5:
	case 0xaa ... 0xad:
		return FAMILY_STRING;
	default:
		return FAMILY_NONE;
	}
}

static void describe(struct x86_emul_outcome *out, const struct x86_insn *insn)
{
	out->map = insn->map;
	out->opcode = insn->opcode;
	out->modrm_reg = insn->reg & 7;
	out->len = insn->len;
	memcpy(out->bytes, insn->bytes, sizeof(out->bytes));
}

enum x86_emul_status x86_emulate_mmio(struct x86_emul_cpu *cpu, const struct x86_insn *insn,
				      uint64_t fault_gpa, const struct x86_mmio_ops *mmio,
				      struct x86_emul_outcome *out)
{
	struct emul e = { cpu, insn, mmio, out, fault_gpa, 0, NULL, NULL };

	memset(out, 0, sizeof(*out));
	describe(out, insn);
	if (insn->len == 0)
		return emul_fail(&e, X86_EMUL_UD, "no decoded instruction");
	if (insn->encoding != X86_ENC_LEGACY)
		return emul_fail(&e, X86_EMUL_UNSUPPORTED, "VEX/EVEX/XOP instruction on MMIO");
	switch (family_of(insn)) {
	case FAMILY_ALU:
		return emul_alu(&e);
	case FAMILY_MOVE:
		return emul_move(&e);
	case FAMILY_BITS:
		return emul_bits(&e);
	case FAMILY_STRING:
		return emul_string(&e);
	default:
		return emul_fail(&e, X86_EMUL_UNSUPPORTED, "instruction not emulated on MMIO");
	}
}

const char *x86_emul_status_name(enum x86_emul_status status)
{
	switch (status) {
	case X86_EMUL_OK: return "ok";
	case X86_EMUL_UNSUPPORTED: return "unsupported instruction";
	case X86_EMUL_UD: return "#UD";
	case X86_EMUL_GP: return "#GP";
	case X86_EMUL_PAGE_FAULT: return "#PF";
	case X86_EMUL_BAD_ACCESS: return "bad access";
	}
	return "?";
}
