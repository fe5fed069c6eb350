/* map_0f: shapes of the two-byte opcode map 0F xx (SDM Vol. 2, Table A-3). */
#include "arch/x86/decode/decode_internal.h"

/*
 * SSE entries are not checked against their mandatory prefix (66/F2/F3): a form the
 * CPU rejects has the same length as its defined siblings, and an instruction that
 * reached a VM exit was accepted by the CPU. 0F 38, 0F 3A and 0F 0F are escapes.
 */
const struct opcode_shape x86_0f_map[256] = {
	[0x00] = { OPF_MODRM | OPF_GROUP },          /* group 6: SLDT STR LLDT LTR VERR VERW */
	[0x01] = { OPF_MODRM | OPF_GROUP },          /* group 7 */
	[0x02] = { OPF_MODRM }, [0x03] = { OPF_MODRM }, /* LAR, LSL */
	[0x04] = { OPF_UNDEF },
	/* 05 SYSCALL, 06 CLTS, 07 SYSRET, 08 INVD, 09 WBINVD */
	[0x0a] = { OPF_UNDEF },
	[0x0b] = { OPF_UD },                         /* UD2 */
	[0x0c] = { OPF_UNDEF },
	[0x0d] = { OPF_MODRM },                      /* PREFETCH/PREFETCHW group */
	/* 0E FEMMS */
	[0x10 ... 0x17] = { OPF_MODRM },             /* SSE moves, UNPCK */
	[0x18 ... 0x1f] = { OPF_MODRM },             /* prefetch hints, hint NOPs, MPX, CET */
	[0x20 ... 0x23] = { OPF_MODRM | OPF_NO_EA }, /* MOV to/from CR and DR */
	[0x24 ... 0x27] = { OPF_UNDEF },             /* MOV TR: 386/486 only */
	[0x28 ... 0x2f] = { OPF_MODRM },
	/* 30 WRMSR 31 RDTSC 32 RDMSR 33 RDPMC 34 SYSENTER 35 SYSEXIT 37 GETSEC */
	[0x36] = { OPF_UNDEF },
	[0x39] = { OPF_UNDEF },
	[0x3b ... 0x3f] = { OPF_UNDEF },
	[0x40 ... 0x4f] = { OPF_MODRM },             /* CMOVcc */
	[0x50 ... 0x6f] = { OPF_MODRM },
	[0x70] = { OPF_MODRM, IMM_B },               /* PSHUFW/PSHUFD/PSHUFHW/PSHUFLW */
	[0x71 ... 0x73] = { OPF_MODRM | OPF_GROUP | OPF_REG_ONLY, IMM_B }, /* groups 12-14 */
	[0x74 ... 0x76] = { OPF_MODRM },
	/* 77 EMMS */
	[0x78] = { OPF_MODRM | OPF_GROUP },          /* VMREAD; EXTRQ/INSERTQ imm forms */
	[0x79] = { OPF_MODRM | OPF_GROUP },          /* VMWRITE; EXTRQ/INSERTQ */
	[0x7a] = { OPF_UNDEF }, [0x7b] = { OPF_UNDEF },
	[0x7c ... 0x7f] = { OPF_MODRM },
	[0x80 ... 0x8f] = { 0, IMM_JZ },             /* Jcc rel */
	[0x90 ... 0x9f] = { OPF_MODRM },             /* SETcc */
	/* A0 PUSH FS, A1 POP FS, A2 CPUID */
	[0xa3] = { OPF_MODRM },                      /* BT */
	[0xa4] = { OPF_MODRM, IMM_B },               /* SHLD Ib */
	[0xa5] = { OPF_MODRM },                      /* SHLD CL */
	[0xa6] = { OPF_MODRM | OPF_GROUP }, [0xa7] = { OPF_MODRM | OPF_GROUP }, /* VIA PadLock */
	/* A8 PUSH GS, A9 POP GS, AA RSM */
	[0xab] = { OPF_MODRM | OPF_LOCK },           /* BTS */
	[0xac] = { OPF_MODRM, IMM_B },               /* SHRD Ib */
	[0xad] = { OPF_MODRM },                      /* SHRD CL */
	[0xae] = { OPF_MODRM | OPF_GROUP },          /* group 15 */
	[0xaf] = { OPF_MODRM },                      /* IMUL */
	[0xb0] = { OPF_MODRM | OPF_LOCK }, [0xb1] = { OPF_MODRM | OPF_LOCK }, /* CMPXCHG */
	[0xb2] = { OPF_MODRM | OPF_MEM },            /* LSS */
	[0xb3] = { OPF_MODRM | OPF_LOCK },           /* BTR */
	[0xb4] = { OPF_MODRM | OPF_MEM }, [0xb5] = { OPF_MODRM | OPF_MEM }, /* LFS, LGS */
	[0xb6] = { OPF_MODRM }, [0xb7] = { OPF_MODRM }, /* MOVZX */
	[0xb8] = { OPF_MODRM | OPF_GROUP },          /* POPCNT (F3); JMPE otherwise */
	[0xb9] = { OPF_MODRM | OPF_UD },             /* UD1 */
	[0xba] = { OPF_MODRM | OPF_GROUP, IMM_B },   /* group 8: BT BTS BTR BTC Ib */
	[0xbb] = { OPF_MODRM | OPF_LOCK },           /* BTC */
	[0xbc ... 0xbf] = { OPF_MODRM },             /* BSF/TZCNT BSR/LZCNT MOVSX */
	[0xc0] = { OPF_MODRM | OPF_LOCK }, [0xc1] = { OPF_MODRM | OPF_LOCK }, /* XADD */
	[0xc2] = { OPF_MODRM, IMM_B },               /* CMPPS/PD/SS/SD */
	[0xc3] = { OPF_MODRM | OPF_MEM },            /* MOVNTI */
	[0xc4] = { OPF_MODRM, IMM_B },               /* PINSRW */
	[0xc5] = { OPF_MODRM | OPF_REG_ONLY, IMM_B },/* PEXTRW Gd,Nq/Udq */
	[0xc6] = { OPF_MODRM, IMM_B },               /* SHUFPS/PD */
	[0xc7] = { OPF_MODRM | OPF_GROUP },          /* group 9 */
	/* C8-CF BSWAP */
	[0xd0 ... 0xfe] = { OPF_MODRM },
	[0xff] = { OPF_MODRM | OPF_GROUP | OPF_UD }, /* UD0 */
};
