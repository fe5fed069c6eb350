/* mmio_emul: carrying out a guest instruction that touched MMIO, from its decoded form. */
#ifndef NESTOR_ARCH_X86_DECODE_MMIO_EMUL_H
#define NESTOR_ARCH_X86_DECODE_MMIO_EMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/insn.h"
#include "arch/x86/guest_walk.h"
#include "arch/x86/regs.h"
#include "lib/guest_mem.h"

/*
 * MMIO accesses go through these, with lib/mmio_bus.h's semantics: size is 1, 2, 4 or
 * 8, the address is guest-physical, a read returns the value zero-extended. An exit
 * handler points them at mmio_bus_read/mmio_bus_write for the VM.
 */
struct x86_mmio_ops {
	uint64_t (*read)(void *ctx, uint64_t gpa, unsigned size);
	void (*write)(void *ctx, uint64_t gpa, unsigned size, uint64_t value);
	void *ctx;
};

/* The vCPU state the emulator reads and updates (the exit handler copies it in and out). */
struct x86_emul_cpu {
	struct x86_gprs *gprs;
	uint64_t rip;
	uint64_t rflags;
	enum x86_mode mode;
	unsigned cpl;
	/* Segment bases by enum x86_seg; in 64-bit mode only FS and GS are used. */
	uint64_t seg_base[X86_SEG_COUNT];
	/* String instructions: the operand the exit did not name is found by a page walk. */
	const struct guest_mem *mem;
	struct guest_paging paging;
};

enum x86_emul_status {
	X86_EMUL_OK,          /* done: GPRs, RFLAGS and RIP updated (RIP unchanged while a
			       * REP string instruction has iterations left) */
	X86_EMUL_UNSUPPORTED, /* valid, but not emulated on MMIO: log outcome, stop the VM */
	X86_EMUL_UD,          /* not a valid instruction: inject #UD */
	X86_EMUL_GP,          /* inject #GP(0): longer than 15 bytes, non-canonical address */
	X86_EMUL_PAGE_FAULT,  /* inject #PF(pf_error), CR2 = fault_linear */
	X86_EMUL_BAD_ACCESS,  /* the operand does not match the faulting GPA, crosses a page,
			       * or needs memory nestor refuses to touch: stop the VM */
};

struct x86_emul_outcome {
	enum x86_emul_status status;
	const char *why;      /* a short reason for the log line, never NULL after a call */
	uint8_t map;          /* the instruction, for UNSUPPORTED and UD log lines */
	uint8_t opcode;
	uint8_t modrm_reg;
	uint8_t len;
	uint8_t bytes[X86_INSN_MAX_LEN];
	uint32_t pf_error;    /* X86_EMUL_PAGE_FAULT */
	uint64_t fault_linear;
	unsigned mmio_accesses;
};

/*
 * Emulates insn (as decoded with X86_DECODE_OK), whose memory operand caused a
 * nested-page fault (SVM) or EPT violation (VMX) at fault_gpa. On
 * X86_EMUL_OK the architectural effects (MMIO accesses, registers, RFLAGS, RIP) are
 * done; on any other status nothing of the guest state is changed except completed
 * iterations of a REP string instruction, as the CPU itself would leave them.
 *
 * Supported: MOV 88 89 8A 8B C6 C7 A0-A3, MOVZX/MOVSX 0F B6 B7 BE BF, MOVSXD 63,
 * MOVNTI 0F C3, XCHG 86 87, ADD OR ADC SBB AND SUB XOR CMP (00-3B, 80-83), TEST 84 85
 * F6/F7 /0 /1, NOT/NEG F6/F7 /2 /3, INC/DEC FE/FF /0 /1, BT BTS BTR BTC (0F A3 AB B3 BB,
 * 0F BA /4-/7), MOVS STOS LODS with or without REP.
 */
enum x86_emul_status x86_emulate_mmio(struct x86_emul_cpu *cpu, const struct x86_insn *insn,
				      uint64_t fault_gpa, const struct x86_mmio_ops *mmio,
				      struct x86_emul_outcome *out);

/*
 * The exit handler's entry points, for CPUs that give no instruction bytes or next RIP
 * (SVM without NRIPS and decode assists, as under QEMU TCG): fetch at CS:RIP through the
 * guest's page tables, decode with decode_flags (X86_DECODE_AMD on SVM), and for the
 * second also emulate. x86_fetch_decode gives the instruction for intercepts whose
 * length is needed (RIP += insn->len); it returns X86_EMUL_OK, _UD, _GP, _PAGE_FAULT
 * (the fetch faulted) or _BAD_ACCESS (code outside guest RAM).
 */
enum x86_emul_status x86_fetch_decode(const struct x86_emul_cpu *cpu, unsigned decode_flags,
				      struct x86_insn *insn, struct x86_emul_outcome *out);
enum x86_emul_status x86_emulate_mmio_at_rip(struct x86_emul_cpu *cpu, unsigned decode_flags,
					     uint64_t fault_gpa, const struct x86_mmio_ops *mmio,
					     struct x86_emul_outcome *out);

const char *x86_emul_status_name(enum x86_emul_status status);

#endif
