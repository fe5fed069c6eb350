/* hypercall: VMCALL and VMMCALL, answered the way the VM's personality says (KVM's ABI). */
#ifndef NESTOR_VM_HYPERCALL_H
#define NESTOR_VM_HYPERCALL_H

#include <stdbool.h>

#include "arch/x86/decode/mmio_emul.h"

struct vcpu;
struct vm;

/* KVM's hypercall numbers and errors (include/uapi/linux/kvm_para.h). */
#define KVM_HC_VAPIC_POLL_IRQ 1
#define KVM_HC_SEND_IPI 10
#define KVM_EPERM 1
#define KVM_EINVAL 22
#define KVM_ENOSYS 1000

/*
 * Carries out the hypercall in v's registers (number in RAX, arguments in RBX, RCX, RDX,
 * RSI, result in RAX; Documentation/virt/kvm/x86/hypercalls.rst). cpl and mode64 (64-bit
 * mode: EFER.LMA and CS.L) are the guest's at the instruction. False: the personality has
 * no hypercalls, and the instruction is #UD as on a CPU without a hypervisor.
 */
bool vcpu_hypercall(struct vcpu *v, unsigned cpl, bool mode64);

/*
 * For an exit at a VMCALL or VMMCALL, or at a #UD the backend intercepted: when the
 * instruction at the guest's RIP is VMCALL or VMMCALL and the personality answers
 * hypercalls, carries it out and moves cpu->rip past it (X86_EMUL_OK); otherwise
 * X86_EMUL_UD (the guest's own #UD), or the status of a fetch that faulted. The backend
 * finishes with its usual emulation outcome (RIP, or the exception to inject).
 */
enum x86_emul_status vcpu_hypercall_at_rip(struct vcpu *v, struct x86_emul_cpu *cpu,
					   unsigned decode_flags, struct x86_emul_outcome *out);

/*
 * Whether the backends intercept #UD: KVM accepts VMCALL and VMMCALL on either vendor, and
 * the CPU raises #UD for the other vendor's instruction (there is no exit for it).
 */
bool vm_hypercalls_need_ud_intercept(const struct vm *vm);

#endif
