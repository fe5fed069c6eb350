/* nvmx_insn: L1's VMX instructions (SDM Vol. 3C ch. 30 "VMX Instruction Reference"), decided purely. */
#ifndef NESTOR_NESTED_VMX_NVMX_INSN_H
#define NESTOR_NESTED_VMX_NVMX_INSN_H

#include <stdbool.h>
#include <stdint.h>

#include "nested/vmx/nvmx_checks.h"

/* L1's VMX operation, per vCPU (SDM 23.7, 24.1). */
#define NVMX_NO_VMCS (~0ull)	/* the current-VMCS pointer when there is none */
struct nvmx_vcpu {
	bool vmxon;		/* in VMX operation (L1 executed VMXON) */
	uint64_t vmxon_ptr;
	uint64_t current;	/* current-VMCS pointer (a vmcs12 in L1 RAM) or NVMX_NO_VMCS */
};

enum nvmx_insn {
	NVMX_VMXON, NVMX_VMXOFF, NVMX_VMCLEAR, NVMX_VMPTRLD, NVMX_VMPTRST, NVMX_VMREAD,
	NVMX_VMWRITE, NVMX_VMLAUNCH, NVMX_VMRESUME, NVMX_INVEPT, NVMX_INVVPID,
};

const char *nvmx_insn_name(enum nvmx_insn i);

/* A segment register as the VMCS holds it (24.4.1): base, byte-granular limit, AR. */
struct nvmx_seg {
	uint64_t base;
	uint32_t limit;
	uint32_t ar;
};

enum nvmx_segreg { NVMX_ES, NVMX_CS, NVMX_SS, NVMX_DS, NVMX_FS, NVMX_GS };

/* L1 at its VMX instruction: what the exit and vmcs01 say. */
struct nvmx_l1 {
	unsigned cpl;
	bool long64;		/* 64-bit mode (IA-32e mode and CS.L): 8-byte operands */
	uint64_t cr0, cr4;	/* as L1 sees them */
	uint64_t feature_control;	/* IA32_FEATURE_CONTROL as L1 reads it */
	bool mov_ss_blocking;	/* interruptibility: blocking by MOV SS */
	uint64_t *gpr;		/* L1's 16 GPRs in the usual order; VMREAD may write one */
	struct nvmx_seg seg[6];
	uint32_t info;		/* VM-exit instruction information (27.2.5) */
	uint64_t qual;		/* exit qualification: the memory operand's displacement */
};

/*
 * How the instructions reach memory. read/write take a linear address of L1 and do the
 * page walk; false means the backend queued the fault (#PF) for L1 and the instruction
 * is not done. page gives the 4 KiB page of a VMCS region in L1 RAM, or NULL.
 */
struct nvmx_mem {
	bool (*read)(void *ctx, uint64_t linear, void *buf, unsigned len);
	bool (*write)(void *ctx, uint64_t linear, const void *buf, unsigned len);
	void *(*page)(void *ctx, uint64_t gpa);
	void *ctx;
};

enum nvmx_insn_kind {
	NVMX_I_SUCCEED,		/* VMsucceed: CF = PF = AF = ZF = SF = OF = 0 */
	NVMX_I_FAIL_INVALID,	/* VMfailInvalid: CF = 1 */
	NVMX_I_FAIL_VALID,	/* VMfailValid(error): ZF = 1, the error in vmcs12 */
	NVMX_I_RAISE,		/* an exception for L1: vector (#UD, #GP(0), #SS(0)) */
	NVMX_I_FAULTED,		/* the backend queued a fault while reaching memory */
	NVMX_I_ENTER,		/* VMLAUNCH/VMRESUME passed 26.1: the VM-entry checks follow */
};

/* What the backend must invalidate after an INVEPT / INVVPID that succeeded. */
enum nvmx_flush { NVMX_FLUSH_NONE, NVMX_FLUSH_EPT, NVMX_FLUSH_VPID };

struct nvmx_insn_out {
	uint8_t kind;		/* enum nvmx_insn_kind */
	uint8_t error;		/* VM-instruction error (30.4) of a VMfail */
	uint8_t vector;		/* NVMX_I_RAISE */
	uint8_t flush;		/* enum nvmx_flush */
	uint8_t inv_type;	/* the INVEPT / INVVPID type */
	uint16_t vpid;
	uint64_t eptp;
	uint64_t linear;	/* INVVPID individual-address */
	uint64_t addr;		/* the physical-address operand (for the log line) */
	const char *why;	/* a short reason for a VMfail or fault, for the log */
};

/* VM-instruction error numbers (SDM 30.4) the emulation gives. */
#define VMXERR_VMCLEAR_BAD_ADDR 2u
#define VMXERR_VMCLEAR_VMXON_PTR 3u
#define VMXERR_VMLAUNCH_NOT_CLEAR 4u
#define VMXERR_VMRESUME_NOT_LAUNCHED 5u
#define VMXERR_VMPTRLD_BAD_ADDR 9u
#define VMXERR_VMPTRLD_VMXON_PTR 10u
#define VMXERR_VMPTRLD_BAD_REVISION 11u
#define VMXERR_VMXON_IN_ROOT 15u
#define VMXERR_ENTRY_MOV_SS 26u
#define VMXERR_INVALID_INV_OPERAND 28u

/*
 * Carries out `insn` for L1 as the SDM's pseudocode does, except the VM-entry checks of
 * VMLAUNCH/VMRESUME (NVMX_I_ENTER: the caller runs nvmx_check_vmentry next). A VMfailValid
 * has already written the error into the current vmcs12. `caps` is L1's model.
 */
void nvmx_emulate(struct nvmx_vcpu *n, const struct nvmx_caps *caps, enum nvmx_insn insn,
		  struct nvmx_l1 *l1, const struct nvmx_mem *mem, struct nvmx_insn_out *out);

/* The VM-exit instruction-information field (27.2.5, Tables 27-13 and 27-14). */
struct nvmx_insn_info {
	uint8_t scale;		/* 1, 2, 4, 8 */
	uint8_t reg1;		/* bits 6:3: VMREAD/VMWRITE's register operand */
	uint8_t addr_size;	/* 0 16-bit, 1 32-bit, 2 64-bit */
	bool is_reg;		/* bit 10: VMREAD/VMWRITE with a register operand */
	uint8_t seg;		/* enum nvmx_segreg */
	uint8_t index, base;
	bool index_valid, base_valid;
	uint8_t reg2;		/* bits 31:28: VMREAD/VMWRITE's encoding, INVEPT/INVVPID's type */
};

void nvmx_insn_info_decode(uint32_t raw, struct nvmx_insn_info *i);

/*
 * The linear address of a `size`-byte memory operand (SDM Vol. 3A 3.4, 5.3): the segment
 * checks outside 64-bit mode (usable, readable / writable, limit, expand-down), the
 * canonical check in 64-bit mode. 0 with *linear, else the exception vector: 13 (#GP(0))
 * or 12 (#SS(0), for an SS-based operand).
 */
unsigned nvmx_operand_linear(const struct nvmx_l1 *l1, const struct nvmx_insn_info *i,
			     unsigned size, bool write, unsigned linear_bits, uint64_t *linear);

#endif
