/* emul_internal: what the MMIO emulator's files share. */
#ifndef NESTOR_ARCH_X86_DECODE_EMUL_INTERNAL_H
#define NESTOR_ARCH_X86_DECODE_EMUL_INTERNAL_H

#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/decode/port_emul.h"

/* One emulation in progress. */
struct emul {
	struct x86_emul_cpu *cpu;
	const struct x86_insn *insn;
	const struct x86_mmio_ops *mmio;
	struct x86_emul_outcome *out;
	uint64_t fault_gpa;
	uint64_t gpa; /* the ModRM/moffs operand's address, once checked against fault_gpa */
	/* INS/OUTS only: the port side and the access the exit reported. */
	const struct x86_port_ops *io;
	const struct x86_port_access *port_access;
};

uint64_t emul_size_mask(unsigned size);
uint64_t emul_sign_extend(uint64_t value, unsigned size);

/* GPRs by encoding; byte registers 4-7 are AH CH DH BH unless a REX prefix is present. */
uint64_t emul_gpr_read(const struct emul *e, unsigned reg, unsigned size);
void emul_gpr_write(struct emul *e, unsigned reg, unsigned size, uint64_t value);
/* rSI/rDI/rCX as the address size sees them, and their update. */
uint64_t emul_addr_reg_read(const struct emul *e, unsigned reg);
void emul_addr_reg_write(struct emul *e, unsigned reg, uint64_t value);

/* Base of a segment, with the instruction's override when allowed. */
uint64_t emul_segment_base(const struct emul *e, enum x86_seg seg);
/* Linear address of the ModRM memory operand (or moffs), plus a byte offset. */
uint64_t emul_operand_linear(const struct emul *e, int64_t offset);
/* Checks the operand at linear against the fault; sets e->gpa. */
bool emul_mmio_operand(struct emul *e, uint64_t linear, unsigned size);
uint64_t emul_mmio_read(struct emul *e, uint64_t gpa, unsigned size);
void emul_mmio_write(struct emul *e, uint64_t gpa, unsigned size, uint64_t value);

/* Completion: advance RIP; failure: record why. */
enum x86_emul_status emul_done(struct emul *e);
enum x86_emul_status emul_fail(struct emul *e, enum x86_emul_status status, const char *why);

/* ALU operations with their RFLAGS effects (SDM Vol. 1, 3.4.3.1 and Appendix A). */
enum alu_op {
	ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, /* ModRM.reg order */
	ALU_TEST, ALU_INC, ALU_DEC, ALU_NEG, ALU_NOT,
};
uint64_t alu_apply(enum alu_op op, uint64_t a, uint64_t b, unsigned size, uint64_t *rflags);
bool alu_writes_result(enum alu_op op);

enum x86_emul_status emul_alu(struct emul *e);
enum x86_emul_status emul_move(struct emul *e);
enum x86_emul_status emul_bits(struct emul *e);
enum x86_emul_status emul_string(struct emul *e);

/* String operands (emul_string_operand.c): one element of ES:rDI or seg:rSI. */
struct emul_element {
	uint64_t linear;
	uint64_t gpa;
	bool ram;
};
uint64_t emul_string_linear(const struct emul *e, enum x86_seg seg, unsigned reg);
void emul_string_advance(struct emul *e, unsigned reg, unsigned size);
bool emul_string_locate(struct emul *e, struct emul_element *el, unsigned size, bool write);
uint64_t emul_element_read(struct emul *e, const struct emul_element *el, unsigned size);
void emul_element_write(struct emul *e, const struct emul_element *el, unsigned size,
			uint64_t value);
/* One element; false after emul_fail. first: the first element of this exit. */
typedef bool emul_string_element_fn(struct emul *e, unsigned size, bool first);
enum x86_emul_status emul_string_repeat(struct emul *e, unsigned size, emul_string_element_fn *one);

#endif
