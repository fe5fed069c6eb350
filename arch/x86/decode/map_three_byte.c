/* map_three_byte: the legacy 0F 38 and 0F 3A maps and 3DNow! (SDM Vol. 2, A.3.3, A.3.4). */
#include "arch/x86/decode/decode_internal.h"

/*
 * Every 0F 38 instruction has a ModRM and no immediate; every 0F 3A one has a ModRM
 * and an imm8. Only whether an opcode exists needs a list. Opcodes that exist only
 * VEX- or EVEX-encoded are #UD here.
 */
struct opcode_shape opcode_shape_0f38(uint8_t op)
{
	struct opcode_shape shape = { OPF_MODRM, IMM_NONE };

	switch (op) {
	case 0x00 ... 0x0b: /* SSSE3 PSHUFB ... PMULHRSW */
	case 0x10:          /* PBLENDVB */
	case 0x14 ... 0x15: /* BLENDVPS/PD */
	case 0x17:          /* PTEST */
	case 0x1c ... 0x1e: /* PABSB/W/D */
	case 0x20 ... 0x25: /* PMOVSX */
	case 0x28 ... 0x2b: /* PMULDQ PCMPEQQ MOVNTDQA PACKUSDW */
	case 0x30 ... 0x35: /* PMOVZX */
	case 0x37 ... 0x41: /* PCMPGTQ, PMIN/PMAX, PMULLD, PHMINPOSUW */
	case 0x80 ... 0x82: /* INVEPT INVVPID INVPCID */
	case 0xc8 ... 0xcd: /* SHA */
	case 0xcf:          /* GF2P8MULB */
	case 0xd8 ... 0xdf: /* Key Locker, AES-NI */
	case 0xf0 ... 0xf1: /* MOVBE, CRC32 */
	case 0xf5 ... 0xf6: /* WRUSS, WRSS, ADCX, ADOX */
	case 0xf8 ... 0xfc: /* MOVDIR64B/ENQCMD(S), MOVDIRI, ENCODEKEY, RAO-INT */
		break;
	default:
		shape.flags |= OPF_UD;
		break;
	}
	return shape;
}

struct opcode_shape opcode_shape_0f3a(uint8_t op)
{
	struct opcode_shape shape = { OPF_MODRM, IMM_B };

	switch (op) {
	case 0x08 ... 0x0f: /* ROUND*, BLEND*, PALIGNR */
	case 0x14 ... 0x17: /* PEXTRB/W/D/Q, EXTRACTPS */
	case 0x20 ... 0x22: /* PINSRB, INSERTPS, PINSRD/Q */
	case 0x40 ... 0x42: /* DPPS DPPD MPSADBW */
	case 0x44:          /* PCLMULQDQ */
	case 0x60 ... 0x63: /* PCMPESTRM/I, PCMPISTRM/I */
	case 0xcc:          /* SHA1RNDS4 */
	case 0xce ... 0xcf: /* GF2P8AFFINEQB, GF2P8AFFINEINVQB */
	case 0xdf:          /* AESKEYGENASSIST */
		break;
	default:
		shape.flags |= OPF_UD;
		break;
	}
	return shape;
}

/* 3DNow! and its extensions: 0F 0F ModRM [SIB] [disp] suffix (AMD 3DNow! manual, Table 11). */
bool opcode_3dnow_defined(uint8_t suffix)
{
	switch (suffix) {
	case 0x0c: case 0x0d: case 0x1c: case 0x1d: /* PI2FW PI2FD PF2IW PF2ID */
	case 0x8a: case 0x8e:                       /* PFNACC PFPNACC */
	case 0x90: case 0x94: case 0x96: case 0x97: /* PFCMPGE PFMIN PFRCP PFRSQRT */
	case 0x9a: case 0x9e:                       /* PFSUB PFADD */
	case 0xa0: case 0xa4: case 0xa6: case 0xa7: /* PFCMPGT PFMAX PFRCPIT1 PFRSQIT1 */
	case 0xaa: case 0xae:                       /* PFSUBR PFACC */
	case 0xb0: case 0xb4: case 0xb6: case 0xb7: /* PFCMPEQ PFMUL PFRCPIT2 PMULHRW */
	case 0xbb: case 0xbf:                       /* PSWAPD PAVGUSB */
		return true;
	default:
		return false;
	}
}
