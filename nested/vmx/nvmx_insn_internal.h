/* nvmx_insn_internal: what the VMX instruction handlers share. */
#ifndef NESTOR_NESTED_VMX_NVMX_INSN_INTERNAL_H
#define NESTOR_NESTED_VMX_NVMX_INSN_INTERNAL_H

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_insn.h"

#define X86_VECTOR_UD 6u
#define X86_VECTOR_GP 13u
#define FEATURE_CONTROL_LOCKED_BIT (1ull << 0)
#define FEATURE_CONTROL_OUTSIDE_SMX_BIT (1ull << 2)

/* One instruction being carried out. */
struct nvmx_op {
	struct nvmx_vcpu *n;
	const struct nvmx_caps *caps;
	struct nvmx_l1 *l1;
	const struct nvmx_mem *mem;
	struct nvmx_insn_out *out;
	struct nvmx_insn_info info;
};

static inline void nvmx_raise(struct nvmx_op *o, uint8_t vector, const char *why)
{
	o->out->kind = NVMX_I_RAISE;
	o->out->vector = vector;
	o->out->why = why;
}

void nvmx_succeed(struct nvmx_op *o);
/* VMfail(error): VMfailValid into the current vmcs12, or VMfailInvalid without one. */
void nvmx_fail(struct nvmx_op *o, uint8_t error, const char *why);
void nvmx_fail_invalid(struct nvmx_op *o, const char *why);
/* The current vmcs12 in L1 RAM, or NULL (no current VMCS, or no longer RAM). */
struct vmcs12 *nvmx_current(struct nvmx_op *o);
/* The memory operand: false when it faulted (out says how). */
bool nvmx_read_operand(struct nvmx_op *o, void *buf, unsigned size);
bool nvmx_write_operand(struct nvmx_op *o, const void *buf, unsigned size);
/* A register operand at the instruction's operand size (64-bit mode: 8 bytes, else 4). */
uint64_t nvmx_reg(const struct nvmx_op *o, unsigned reg);

/* The instructions, by file. */
void nvmx_do_vmxon(struct nvmx_op *o);
void nvmx_do_vmxoff(struct nvmx_op *o);
void nvmx_do_vmclear(struct nvmx_op *o);
void nvmx_do_vmptrld(struct nvmx_op *o);
void nvmx_do_vmptrst(struct nvmx_op *o);
void nvmx_do_vmread(struct nvmx_op *o);
void nvmx_do_vmwrite(struct nvmx_op *o);
void nvmx_do_launch(struct nvmx_op *o, bool resume);
void nvmx_do_invept(struct nvmx_op *o);
void nvmx_do_invvpid(struct nvmx_op *o);

#endif
