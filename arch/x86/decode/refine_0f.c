/* refine_0f: two-byte opcodes whose shape depends on a prefix or ModRM (SDM Vol. 2, A.4). */
#include "arch/x86/decode/decode_internal.h"

/* The prefix an SSE-style opcode takes as part of itself: the last F2/F3, else 66. */
static uint8_t mandatory_prefix(const struct x86_insn *insn)
{
	if (insn->last_rep)
		return insn->last_rep;
	return (insn->prefixes & X86_PFX_OPSIZE) ? 0x66 : 0;
}

/* Before ModRM: decides whether there is one. */
void opcode_prepare_0f(const struct decoder *d, struct opcode_shape *shape)
{
	const struct x86_insn *insn = d->insn;

	switch (insn->opcode) {
	case 0xb8: /* without F3 this is JMPE, which only IA-64 processors have */
		if (mandatory_prefix(insn) != 0xf3)
			shape->flags = OPF_UNDEF;
		break;
	case 0xff: /* UD0 has a ModRM on Intel, none on AMD (APM Vol. 3, UD0) */
		if (d->flags & X86_DECODE_AMD)
			shape->flags &= (uint16_t)~OPF_MODRM;
		break;
	default:
		break;
	}
}

/* Group 7 register forms (0F 01 C0-FF): one instruction per ModRM byte. */
static bool group7_reg_form_defined(const struct x86_insn *insn)
{
	uint8_t m = insn->modrm;

	switch ((m >> 3) & 7) {
	case 0: /* ENCLV VMCALL VMLAUNCH VMRESUME VMXOFF PCONFIG WRMSRNS */
		return m <= 0xc6;
	case 1: /* MONITOR MWAIT CLAC STAC ENCLS */
		return m <= 0xcb || m == 0xcf;
	case 2: /* XGETBV XSETBV VMFUNC XEND XTEST ENCLU */
		return m != 0xd2 && m != 0xd3;
	case 5: /* SERIALIZE, TSX suspend, CET, UINTR, RDPKRU, WRPKRU */
		return m != 0xeb;
	case 7: /* SWAPGS exists only in 64-bit mode; RDTSCP MONITORX MWAITX CLZERO ... */
		return m != 0xf8 || insn->mode == X86_MODE_64;
	default: /* 3: SVM instructions, 4: SMSW r, 6: LMSW r */
		return true;
	}
}

static bool group15_reg_form_defined(const struct x86_insn *insn)
{
	unsigned reg = insn->reg & 7;

	if (reg >= 5) /* LFENCE MFENCE SFENCE; INCSSP, UMONITOR/UMWAIT/TPAUSE */
		return true;
	if (mandatory_prefix(insn) != 0xf3)
		return false;
	/* F3: RDFSBASE RDGSBASE WRFSBASE WRGSBASE (64-bit only), PTWRITE (/4) */
	return reg == 4 || insn->mode == X86_MODE_64;
}

/* Group 9: CMPXCHG8B/16B, XRSTORS, XSAVEC, XSAVES, VMX pointers; RDRAND, RDSEED/RDPID. */
static bool group9_defined(const struct x86_insn *insn)
{
	unsigned reg = insn->reg & 7;

	if (insn->mod == 3)
		return reg >= 6;
	return reg != 0 && reg != 2;
}

/*
 * VIA PadLock: one instruction per ModRM byte, all register forms (VIA PadLock
 * Programming Guide): 0F A6 C0/C8/D0 MONTMUL XSHA1 XSHA256, 0F A7 C0-E8 XSTORE and the
 * XCRYPT modes. The REP prefix they take is not checked.
 */
static bool padlock_defined(const struct x86_insn *insn)
{
	if (insn->opcode == 0xa6)
		return insn->modrm == 0xc0 || insn->modrm == 0xc8 || insn->modrm == 0xd0;
	return insn->modrm >= 0xc0 && insn->modrm <= 0xe8 && (insn->modrm & 7) == 0;
}

/* SSE4a EXTRQ/INSERTQ (AMD): register forms, and 0F 78 carries two imm8 (APM Vol. 4). */
static void refine_sse4a(const struct x86_insn *insn, struct opcode_shape *shape)
{
	uint8_t pfx = mandatory_prefix(insn);

	if (pfx == 0) /* VMREAD / VMWRITE */
		return;
	if (pfx == 0xf3) {
		shape->flags |= OPF_UD;
		return;
	}
	shape->flags |= OPF_REG_ONLY;
	if (insn->opcode == 0x78) {
		shape->imm = IMM_BB;
		if (pfx == 0x66 && (insn->reg & 7) != 0)
			shape->flags |= OPF_UD; /* EXTRQ xmm, imm8, imm8 is 66 0F 78 /0 */
	}
}

void opcode_refine_0f(const struct x86_insn *insn, struct opcode_shape *shape)
{
	unsigned reg = insn->reg & 7;
	bool defined = true;

	switch (insn->opcode) {
	case 0x00:
		defined = reg <= 5;
		break;
	case 0x01:
		if (insn->mod == 3)
			defined = group7_reg_form_defined(insn);
		break;
	case 0x71: /* PSRLW/PSRAW/PSLLW imm */
	case 0x72: /* PSRLD/PSRAD/PSLLD imm */
		defined = reg == 2 || reg == 4 || reg == 6;
		break;
	case 0x73: /* PSRLQ PSRLDQ PSLLQ PSLLDQ imm */
		defined = reg == 2 || reg == 3 || reg == 6 || reg == 7;
		break;
	case 0x78:
	case 0x79:
		refine_sse4a(insn, shape);
		break;
	case 0xa6:
	case 0xa7:
		defined = padlock_defined(insn);
		break;
	case 0xae:
		if (insn->mod == 3)
			defined = group15_reg_form_defined(insn);
		break;
	case 0xba:
		defined = reg >= 4;
		if (reg >= 5)
			shape->flags |= OPF_LOCK;
		break;
	case 0xc7:
		defined = group9_defined(insn);
		if (reg == 1)
			shape->flags |= OPF_LOCK;
		break;
	default: /* 0F FF: UD0 is already #UD */
		break;
	}
	if (!defined)
		shape->flags |= OPF_UD;
}
