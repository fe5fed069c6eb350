/* svm_string_io: INS and OUTS intercepts, emulated element by element against the VM's ports. */
#include "arch/x86/decode/port_emul.h"
#include "arch/x86/svm/svm_internal.h"
#include "vm/vcpu_mmio.h"
#include "vm/vcpu_port.h"
#include "vm/vm.h"

/*
 * EXITINFO1 names the port, size, direction and REP (APM Vol. 2, 15.10.2) and EXITINFO2
 * the next RIP; the memory operand's address and segment need the instruction itself
 * (the segment and address-size fields are only filled with decode assists, which QEMU
 * does not offer). So it is decoded with AMD rules, its end checked against EXITINFO2,
 * and carried out by the emulator VMX uses too.
 */
bool svm_exit_string_io(struct vcpu *v, struct vmcb *vmcb, uint16_t port, unsigned size, bool in)
{
	struct x86_port_access access = { port, (uint8_t)size, in };
	struct x86_port_ops io = vcpu_port_ops(v);
	struct x86_mmio_ops mmio = vcpu_mmio_ops(v);
	uint64_t next_rip = vmcb->control.exit_info2;
	struct x86_emul_cpu cpu;
	struct x86_insn insn;
	struct x86_emul_outcome out;
	enum x86_emul_status st;

	v->stats.by_reason[EXIT_REASON_STRING_IO]++;
	svm_emul_cpu(v, &cpu);
	st = x86_fetch_decode(&cpu, X86_DECODE_AMD, &insn, &out);
	if (st == X86_EMUL_OK && cpu.rip + insn.len != next_rip) {
		vm_stop_vcpu(v, "string I/O exit at rip %#llx: the instruction there ends at %#llx, "
			    "EXITINFO2 says %#llx (rewritten since the exit?)",
			    (unsigned long long)cpu.rip, (unsigned long long)(cpu.rip + insn.len),
			    (unsigned long long)next_rip);
		return false;
	}
	if (st == X86_EMUL_OK)
		st = x86_emulate_string_io(&cpu, &insn, &access, &io, &mmio, &out);
	if (svm_finish_emulation(v, st, &cpu, &out))
		return true;
	vm_stop_vcpu(v, "string port I/O on port %#x from rip %#llx cannot be emulated: %s "
		    "(opcode %#x, %u bytes)", port, (unsigned long long)cpu.rip, out.why, out.opcode,
		    out.len);
	return false;
}
