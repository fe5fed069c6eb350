/* vcpu_exit: the exit handlers both backends share; the backends only decode their exits. */
#ifndef NESTOR_VM_VCPU_EXIT_H
#define NESTOR_VM_VCPU_EXIT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/decode/mmio_emul.h"
#include "vm/vcpu.h"

struct vcpu_event;
struct vlapic;

/*
 * Every handler returns true when the vCPU goes on (the instruction is done, or the
 * exception it raises is queued) and false when it stopped the VM with a report.
 */

/* vcpu_insn.c: finishing what nestor carried out for the guest, and exceptions. */
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
void vcpu_inject_gp(struct vcpu *v);
void vcpu_inject_ud(struct vcpu *v);
void vcpu_complete_instruction(struct vcpu *v, uint64_t next_rip);
bool vcpu_fetch_insn(struct vcpu *v, const char *what, struct x86_insn *insn);
bool vcpu_skip_instruction(struct vcpu *v);
bool vcpu_finish_emulation(struct vcpu *v, enum x86_emul_status st,
			   const struct x86_emul_cpu *cpu, const struct x86_emul_outcome *out);

/* exit_io.c: IN/OUT and INS/OUTS. */
bool vcpu_exit_io(struct vcpu *v, uint16_t port, unsigned size, bool in);
bool vcpu_exit_string_io(struct vcpu *v, uint16_t port, unsigned size, bool in);
/* exit_mmio.c: a nested page fault / EPT violation outside guest RAM. */
bool vcpu_exit_mmio(struct vcpu *v, uint64_t gpa, uint64_t detail);
/* exit_insn.c: CPUID, HLT, INVD, instructions the guest cannot have, triple fault. */
bool vcpu_exit_cpuid(struct vcpu *v);
bool vcpu_exit_hlt(struct vcpu *v);
bool vcpu_exit_invd(struct vcpu *v);
bool vcpu_exit_refused(struct vcpu *v, enum vcpu_exit_reason reason, uint8_t vector);
bool vcpu_exit_hypercall(struct vcpu *v, enum vcpu_exit_reason reason);
bool vcpu_exit_triple_fault(struct vcpu *v, const char *what);
/* exit_msr.c: RDMSR / WRMSR, EFER, PAT and the TSC included. */
bool vcpu_exit_msr(struct vcpu *v, bool write);
/* exit_xsetbv.c */
bool vcpu_exit_xsetbv(struct vcpu *v);
/* exit_cr.c: writes to CR0, CR4 and CR8, from a decoded exit (VMX) or from the
 * instruction at RIP (SVM without decode assists). */
bool vcpu_exit_mov_to_cr(struct vcpu *v, unsigned cr, unsigned gpr);
bool vcpu_exit_clts(struct vcpu *v);
bool vcpu_exit_lmsw(struct vcpu *v, uint16_t source);
bool vcpu_exit_cr_write_at_rip(struct vcpu *v);
/* exit_exception.c: #AC and #DB, intercepted so a guest cannot loop in their delivery. */
struct vcpu_debug_exit {
	bool dr6_updated;	/* SVM: the CPU updated DR6 and DR7 before the exit */
	uint64_t dr6_bits;	/* VMX: the exit qualification (B0-B3, BD, BS, RTM) */
	bool icebp;		/* INT1: VMX interruption type 5 */
	uint8_t insn_len;	/* INT1's length */
};
bool vcpu_exit_alignment_check(struct vcpu *v);
bool vcpu_exit_debug(struct vcpu *v, const struct vcpu_debug_exit *d);
/* vcpu_event.c: an event the exit kept from the guest goes back where it came from. */
void vcpu_requeue_event(struct vcpu *v, struct vlapic *l, const struct vcpu_event *ev);

#endif
