/* port_emul: carrying out INS and OUTS, whose exit names the port but not the memory operand. */
#ifndef NESTOR_ARCH_X86_DECODE_PORT_EMUL_H
#define NESTOR_ARCH_X86_DECODE_PORT_EMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/mmio_emul.h"

/* The VM's port space, with lib/io_bus.h's semantics: size 1, 2 or 4. */
struct x86_port_ops {
	uint32_t (*in)(void *ctx, uint16_t port, unsigned size);
	void (*out)(void *ctx, uint16_t port, unsigned size, uint32_t value);
	void *ctx;
};

/* What the I/O exit reported (VMX exit qualification, SVM EXITINFO1). */
struct x86_port_access {
	uint16_t port;
	uint8_t size;
	bool in;
};

/*
 * Emulates the INS or OUTS at the guest's CS:RIP (fetched and decoded with decode_flags)
 * that caused an I/O exit described by access. The instruction must agree with the exit:
 * INS (6C/6D) for an input, OUTS (6E/6F) for an output, the same element size, and DX
 * naming the same port; anything else means the bytes at RIP changed since the exit
 * (another vCPU rewrote them) and ends in X86_EMUL_BAD_ACCESS.
 *
 * Memory operands are ES:rDI for INS (no override) and seg:rSI for OUTS (DS unless
 * overridden), walked through the guest's page tables with the access's rights; RAM is
 * accessed directly, anything else through mmio. A REP prefix repeats while rCX != 0, up
 * to a batch per call, leaving RIP on the instruction while iterations remain. Outcomes
 * as x86_emulate_mmio: _OK, _UD, _GP, _PAGE_FAULT (completed iterations stay done),
 * _BAD_ACCESS.
 */
enum x86_emul_status x86_emulate_string_io(struct x86_emul_cpu *cpu, const struct x86_insn *insn,
					   const struct x86_port_access *access,
					   const struct x86_port_ops *io,
					   const struct x86_mmio_ops *mmio,
					   struct x86_emul_outcome *out);
enum x86_emul_status x86_emulate_string_io_at_rip(struct x86_emul_cpu *cpu, unsigned decode_flags,
						  const struct x86_port_access *access,
						  const struct x86_port_ops *io,
						  const struct x86_mmio_ops *mmio,
						  struct x86_emul_outcome *out);

#endif
