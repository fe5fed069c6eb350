/* regs: a guest's general-purpose registers, in the order x86 encodes them. */
#ifndef NESTOR_ARCH_X86_REGS_H
#define NESTOR_ARCH_X86_REGS_H

#include <stdint.h>

/*
 * Indexed by the 4-bit register number of ModRM.reg/rm, SIB and REX (SDM Vol. 2,
 * Table 2-2), so the decoder and the exit handlers address a register by its encoding.
 * The VMX and SVM entry stubs save and restore guest GPRs in exactly this layout.
 */
enum x86_gpr {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	GPR_COUNT
};

struct x86_gprs {
	uint64_t r[GPR_COUNT];
};

/* RFLAGS bits the emulators update (SDM Vol. 1, 3.4.3). */
#define RFLAGS_CF (1ull << 0)
#define RFLAGS_PF (1ull << 2)
#define RFLAGS_AF (1ull << 4)
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_SF (1ull << 7)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_OF (1ull << 11)
#define RFLAGS_ARITH (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)

/* The exceptions nestor injects or intercepts (SDM Vol. 3A 6.3.1, Table 6-1). */
#define X86_VECTOR_DB 1
#define X86_VECTOR_UD 6
#define X86_VECTOR_GP 13
#define X86_VECTOR_PF 14
#define X86_VECTOR_AC 17

/* Control-register and EFER bits (SDM Vol. 3A 2.5 and 2.2.1), for page walks and backends. */
#define X86_CR0_PE (1ull << 0)
#define X86_CR0_ET (1ull << 4)
#define X86_CR0_NE (1ull << 5)
#define X86_CR0_WP (1ull << 16)
#define X86_CR0_NW (1ull << 29)
#define X86_CR0_CD (1ull << 30)
#define X86_CR0_PG (1ull << 31)
#define X86_CR4_PSE (1ull << 4)
#define X86_CR4_PAE (1ull << 5)
#define X86_CR4_LA57 (1ull << 12)
#define X86_CR4_VMXE (1ull << 13)
#define X86_CR4_SMXE (1ull << 14)
#define X86_CR4_OSXSAVE (1ull << 18)
#define X86_CR4_SMEP (1ull << 20)
#define X86_CR4_SMAP (1ull << 21)
#define X86_EFER_SCE (1ull << 0)
#define X86_EFER_LME (1ull << 8)
#define X86_EFER_LMA (1ull << 10)
#define X86_EFER_NXE (1ull << 11)

#endif
