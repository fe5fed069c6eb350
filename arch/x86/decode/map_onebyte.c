/* map_onebyte: shapes of the one-byte opcode map (SDM Vol. 2, Table A-2). */
#include "arch/x86/decode/decode_internal.h"

/*
 * Prefix bytes (26 2E 36 3E 64-67 F0 F2 F3, and 40-4F in 64-bit mode), the 0F escape and
 * the VEX/EVEX/XOP escapes are consumed before this table is consulted; their entries
 * describe the instruction the byte is when it is not a prefix (INC/DEC, LES, ...).
 */
const struct opcode_shape x86_onebyte_map[256] = {
	/* 00-3F: ADD OR ADC SBB AND SUB XOR CMP as Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,Ib rAX,Iz */
	[0x00] = { OPF_MODRM | OPF_LOCK }, [0x01] = { OPF_MODRM | OPF_LOCK },
	[0x02] = { OPF_MODRM }, [0x03] = { OPF_MODRM },
	[0x04] = { 0, IMM_B }, [0x05] = { 0, IMM_Z },
	[0x06] = { OPF_INV64 }, [0x07] = { OPF_INV64 }, /* PUSH/POP ES */
	[0x08] = { OPF_MODRM | OPF_LOCK }, [0x09] = { OPF_MODRM | OPF_LOCK },
	[0x0a] = { OPF_MODRM }, [0x0b] = { OPF_MODRM },
	[0x0c] = { 0, IMM_B }, [0x0d] = { 0, IMM_Z },
	[0x0e] = { OPF_INV64 }, /* PUSH CS; 0F is the two-byte escape */
	[0x10] = { OPF_MODRM | OPF_LOCK }, [0x11] = { OPF_MODRM | OPF_LOCK },
	[0x12] = { OPF_MODRM }, [0x13] = { OPF_MODRM },
	[0x14] = { 0, IMM_B }, [0x15] = { 0, IMM_Z },
	[0x16] = { OPF_INV64 }, [0x17] = { OPF_INV64 }, /* PUSH/POP SS */
	[0x18] = { OPF_MODRM | OPF_LOCK }, [0x19] = { OPF_MODRM | OPF_LOCK },
	[0x1a] = { OPF_MODRM }, [0x1b] = { OPF_MODRM },
	[0x1c] = { 0, IMM_B }, [0x1d] = { 0, IMM_Z },
	[0x1e] = { OPF_INV64 }, [0x1f] = { OPF_INV64 }, /* PUSH/POP DS */
	[0x20] = { OPF_MODRM | OPF_LOCK }, [0x21] = { OPF_MODRM | OPF_LOCK },
	[0x22] = { OPF_MODRM }, [0x23] = { OPF_MODRM },
	[0x24] = { 0, IMM_B }, [0x25] = { 0, IMM_Z },
	[0x27] = { OPF_INV64 }, /* DAA; 26 is ES: */
	[0x28] = { OPF_MODRM | OPF_LOCK }, [0x29] = { OPF_MODRM | OPF_LOCK },
	[0x2a] = { OPF_MODRM }, [0x2b] = { OPF_MODRM },
	[0x2c] = { 0, IMM_B }, [0x2d] = { 0, IMM_Z },
	[0x2f] = { OPF_INV64 }, /* DAS */
	[0x30] = { OPF_MODRM | OPF_LOCK }, [0x31] = { OPF_MODRM | OPF_LOCK },
	[0x32] = { OPF_MODRM }, [0x33] = { OPF_MODRM },
	[0x34] = { 0, IMM_B }, [0x35] = { 0, IMM_Z },
	[0x37] = { OPF_INV64 }, /* AAA */
	[0x38] = { OPF_MODRM }, [0x39] = { OPF_MODRM }, /* CMP never writes: no LOCK */
	[0x3a] = { OPF_MODRM }, [0x3b] = { OPF_MODRM },
	[0x3c] = { 0, IMM_B }, [0x3d] = { 0, IMM_Z },
	[0x3f] = { OPF_INV64 }, /* AAS */

	/* 40-4F INC/DEC r (REX in 64-bit mode), 50-5F PUSH/POP r: no operand bytes */
	[0x60] = { OPF_INV64 }, [0x61] = { OPF_INV64 },       /* PUSHA/POPA */
	[0x62] = { OPF_MODRM | OPF_MEM | OPF_INV64 },          /* BOUND Gv,Ma; EVEX when mod = 3 */
	[0x63] = { OPF_MODRM },                                /* ARPL Ew,Gw / MOVSXD Gv,Ed */
	[0x68] = { 0, IMM_Z },                                 /* PUSH Iz */
	[0x69] = { OPF_MODRM, IMM_Z },                         /* IMUL Gv,Ev,Iz */
	[0x6a] = { 0, IMM_B },                                 /* PUSH Ib */
	[0x6b] = { OPF_MODRM, IMM_B },                         /* IMUL Gv,Ev,Ib */
	/* 6C-6F INS/OUTS */
	[0x70 ... 0x7f] = { 0, IMM_B },                        /* Jcc rel8 */

	[0x80] = { OPF_MODRM | OPF_GROUP | OPF_LOCK, IMM_B },  /* group 1 Eb,Ib */
	[0x81] = { OPF_MODRM | OPF_GROUP | OPF_LOCK, IMM_Z },  /* group 1 Ev,Iz */
	[0x82] = { OPF_MODRM | OPF_GROUP | OPF_LOCK | OPF_INV64, IMM_B }, /* alias of 80 */
	[0x83] = { OPF_MODRM | OPF_GROUP | OPF_LOCK, IMM_B },  /* group 1 Ev,Ib */
	[0x84] = { OPF_MODRM }, [0x85] = { OPF_MODRM },        /* TEST */
	[0x86] = { OPF_MODRM | OPF_LOCK }, [0x87] = { OPF_MODRM | OPF_LOCK }, /* XCHG */
	[0x88 ... 0x8b] = { OPF_MODRM },                       /* MOV */
	[0x8c] = { OPF_MODRM },                                /* MOV Ev,Sw */
	[0x8d] = { OPF_MODRM | OPF_MEM },                      /* LEA */
	[0x8e] = { OPF_MODRM },                                /* MOV Sw,Ew */
	[0x8f] = { OPF_MODRM | OPF_GROUP },                    /* group 1A: POP Ev; XOP */
	/* 90-99: NOP/XCHG, CBW, CWD */
	[0x9a] = { OPF_INV64, IMM_FAR },                       /* CALLF Ap */
	/* 9B-9F: FWAIT, PUSHF, POPF, SAHF, LAHF */
	[0xa0 ... 0xa3] = { 0, IMM_MOFFS },                    /* MOV AL/rAX <-> moffs */
	/* A4-A7 MOVS/CMPS */
	[0xa8] = { 0, IMM_B }, [0xa9] = { 0, IMM_Z },          /* TEST AL/rAX */
	/* AA-AF STOS/LODS/SCAS */
	[0xb0 ... 0xb7] = { 0, IMM_B },                        /* MOV r8,Ib */
	[0xb8 ... 0xbf] = { 0, IMM_V },                        /* MOV r,Iv */

	[0xc0] = { OPF_MODRM, IMM_B }, [0xc1] = { OPF_MODRM, IMM_B }, /* group 2 shifts */
	[0xc2] = { 0, IMM_W },                                 /* RET Iw */
	[0xc4] = { OPF_MODRM | OPF_MEM | OPF_INV64 },          /* LES; VEX3 when mod = 3 */
	[0xc5] = { OPF_MODRM | OPF_MEM | OPF_INV64 },          /* LDS; VEX2 when mod = 3 */
	[0xc6] = { OPF_MODRM | OPF_GROUP, IMM_B },             /* group 11: MOV Eb,Ib; XABORT */
	[0xc7] = { OPF_MODRM | OPF_GROUP, IMM_Z },             /* group 11: MOV Ev,Iz; XBEGIN */
	[0xc8] = { 0, IMM_ENTER },                             /* ENTER Iw,Ib */
	[0xca] = { 0, IMM_W },                                 /* RETF Iw */
	[0xcd] = { 0, IMM_B },                                 /* INT Ib */
	[0xce] = { OPF_INV64 },                                /* INTO */
	[0xd0 ... 0xd3] = { OPF_MODRM },                       /* group 2 shifts */
	[0xd4] = { OPF_INV64, IMM_B }, [0xd5] = { OPF_INV64, IMM_B }, /* AAM, AAD */
	[0xd6] = { OPF_INV64 },                                /* SALC (undocumented, executes) */
	[0xd8 ... 0xdf] = { OPF_MODRM | OPF_GROUP },           /* x87 escapes */
	[0xe0 ... 0xe3] = { 0, IMM_B },                        /* LOOPcc, JrCXZ */
	[0xe4 ... 0xe7] = { 0, IMM_B },                        /* IN/OUT Ib */
	[0xe8] = { 0, IMM_JZ }, [0xe9] = { 0, IMM_JZ },        /* CALL/JMP rel */
	[0xea] = { OPF_INV64, IMM_FAR },                       /* JMPF Ap */
	[0xeb] = { 0, IMM_B },                                 /* JMP rel8 */
	/* EC-EF IN/OUT DX, F1 INT1, F4 HLT, F5 CMC */
	[0xf6] = { OPF_MODRM | OPF_GROUP },                    /* group 3 Eb */
	[0xf7] = { OPF_MODRM | OPF_GROUP },                    /* group 3 Ev */
	/* F8-FD CLC STC CLI STI CLD STD */
	[0xfe] = { OPF_MODRM | OPF_GROUP },                    /* group 4 */
	[0xff] = { OPF_MODRM | OPF_GROUP },                    /* group 5 */
};
