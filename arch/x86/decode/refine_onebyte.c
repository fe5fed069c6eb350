/* refine_onebyte: one-byte opcodes whose shape depends on ModRM.reg (SDM Vol. 2, Table A-6). */
#include "arch/x86/decode/decode_internal.h"

static void refine_group3(const struct x86_insn *insn, struct opcode_shape *shape, uint8_t imm)
{
	unsigned reg = insn->reg & 7;

	/* /0 TEST (and its alias /1) take an immediate; NOT NEG MUL IMUL DIV IDIV do not. */
	shape->imm = reg <= 1 ? imm : IMM_NONE;
	if (reg == 2 || reg == 3)
		shape->flags |= OPF_LOCK;
}

/* Group 11: only /0 (MOV) is defined, plus XABORT/XBEGIN at ModRM F8 (SDM Vol. 2, RTM). */
static void refine_group11(const struct x86_insn *insn, struct opcode_shape *shape)
{
	if (insn->modrm == 0xf8) {
		shape->imm = insn->opcode == 0xc6 ? IMM_B : IMM_Z;
		return;
	}
	if ((insn->reg & 7) != 0)
		shape->flags |= OPF_UD;
}

static void refine_group5(const struct x86_insn *insn, struct opcode_shape *shape)
{
	switch (insn->reg & 7) {
	case 0: /* INC */
	case 1: /* DEC */
		shape->flags |= OPF_LOCK;
		break;
	case 3: /* CALLF Mp */
	case 5: /* JMPF Mp */
		shape->flags |= OPF_MEM;
		break;
	case 7:
		shape->flags |= OPF_UD;
		break;
	default: /* CALL, JMP, PUSH */
		break;
	}
}

void opcode_refine_onebyte(const struct x86_insn *insn, struct opcode_shape *shape)
{
	unsigned reg = insn->reg & 7;

	switch (insn->opcode) {
	case 0x80:
	case 0x81:
	case 0x82:
	case 0x83:
		if (reg == 7) /* CMP does not write its destination */
			shape->flags &= (uint16_t)~OPF_LOCK;
		break;
	case 0x8f: /* group 1A: /0 POP; other values select XOP, handled before this */
		if (reg != 0)
			shape->flags |= OPF_UD;
		break;
	case 0xc6:
	case 0xc7:
		refine_group11(insn, shape);
		break;
	case 0xf6:
		refine_group3(insn, shape, IMM_B);
		break;
	case 0xf7:
		refine_group3(insn, shape, IMM_Z);
		break;
	case 0xfe: /* group 4: INC/DEC Eb only */
		if (reg <= 1)
			shape->flags |= OPF_LOCK;
		else
			shape->flags |= OPF_UD;
		break;
	case 0xff:
		refine_group5(insn, shape);
		break;
	default: /* D8-DF */
		if (insn->mod == 3 && !opcode_x87_reg_form_defined(insn->opcode, insn->modrm))
			shape->flags |= OPF_UD;
		break;
	}
}
