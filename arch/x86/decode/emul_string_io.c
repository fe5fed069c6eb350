/* emul_string_io: INS and OUTS, with or without REP (SDM Vol. 2, INS/INSB/INSW/INSD, OUTS). */
#include "arch/x86/decode/emul_internal.h"

#include "lib/string.h"

#define OP_INSB 0x6c
#define OP_OUTSB 0x6e

/* INS: the port is read only once the destination is known to be writable, so a
 * faulting element never consumes a byte of device data. */
static bool one_input(struct emul *e, unsigned size, bool first)
{
	struct emul_element dst = { 0 };
	uint32_t value;

	(void)first;
	dst.linear = emul_string_linear(e, X86_SEG_ES, GPR_RDI);
	if (!emul_string_locate(e, &dst, size, true))
		return false;
	value = e->io->in(e->io->ctx, e->port_access->port, size);
	emul_element_write(e, &dst, size, value);
	emul_string_advance(e, GPR_RDI, size);
	return true;
}

/* OUTS: DS:rSI, or the segment an override prefix names. */
static bool one_output(struct emul *e, unsigned size, bool first)
{
	enum x86_seg seg = e->insn->seg == X86_SEG_NONE ? X86_SEG_DS : e->insn->seg;
	struct emul_element src = { 0 };
	uint64_t value;

	(void)first;
	src.linear = emul_string_linear(e, seg, GPR_RSI);
	if (!emul_string_locate(e, &src, size, false))
		return false;
	value = emul_element_read(e, &src, size);
	e->io->out(e->io->ctx, e->port_access->port, size, (uint32_t)value);
	emul_string_advance(e, GPR_RSI, size);
	return true;
}

/* 6D/6F move a word or doubleword: REX.W does not make them 64-bit (SDM Vol. 2, INS). */
static unsigned element_size(const struct x86_insn *insn)
{
	if (!(insn->opcode & 1))
		return 1;
	return insn->opsize == 2 ? 2 : 4;
}

enum x86_emul_status x86_emulate_string_io(struct x86_emul_cpu *cpu, const struct x86_insn *insn,
					   const struct x86_port_access *access,
					   const struct x86_port_ops *io,
					   const struct x86_mmio_ops *mmio,
					   struct x86_emul_outcome *out)
{
	struct emul e = { cpu, insn, mmio, out, 0, 0, io, access };
	uint8_t op = insn->opcode & 0xfe;
	unsigned size;

	memset(out, 0, sizeof(*out));
	out->map = insn->map;
	out->opcode = insn->opcode;
	out->len = insn->len;
	memcpy(out->bytes, insn->bytes, sizeof(out->bytes));
	if (insn->len == 0 || insn->encoding != X86_ENC_LEGACY || insn->map != X86_MAP_ONEBYTE ||
	    (op != OP_INSB && op != OP_OUTSB))
		return emul_fail(&e, X86_EMUL_BAD_ACCESS, "the instruction at RIP is not INS/OUTS");
	if ((op == OP_INSB) != access->in)
		return emul_fail(&e, X86_EMUL_BAD_ACCESS,
				 "INS/OUTS at RIP does not match the exit's direction");
	size = element_size(insn);
	if (size != access->size || (uint16_t)cpu->gprs->r[GPR_RDX] != access->port)
		return emul_fail(&e, X86_EMUL_BAD_ACCESS,
				 "INS/OUTS at RIP does not match the exit's port or size");
	if (!cpu->mem)
		return emul_fail(&e, X86_EMUL_BAD_ACCESS, "string instruction without guest memory");
	return emul_string_repeat(&e, size, op == OP_INSB ? one_input : one_output);
}

enum x86_emul_status x86_emulate_string_io_at_rip(struct x86_emul_cpu *cpu, unsigned decode_flags,
						  const struct x86_port_access *access,
						  const struct x86_port_ops *io,
						  const struct x86_mmio_ops *mmio,
						  struct x86_emul_outcome *out)
{
	struct x86_insn insn;
	enum x86_emul_status st = x86_fetch_decode(cpu, decode_flags, &insn, out);

	if (st != X86_EMUL_OK)
		return st;
	return x86_emulate_string_io(cpu, &insn, access, io, mmio, out);
}
