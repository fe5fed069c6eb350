/* exit_io: IN/OUT and INS/OUTS, the same on VMX and SVM. */
#include "vm/vcpu_exit.h"

#include "arch/x86/decode/port_emul.h"
#include "vm/vcpu_arch.h"
#include "vm/vcpu_mmio.h"
#include "vm/vcpu_port.h"
#include "vm/vm.h"

/*
 * IN and OUT: the exit names the port, size and direction (SDM 27.2.1 Table 27-5, APM
 * 15.10.2), the value is in AL/AX/EAX. IN EAX zero-extends into RAX; IN AL/AX leave the
 * rest of RAX alone (SDM Vol. 1, 3.4.1.1).
 */
bool vcpu_exit_io(struct vcpu *v, uint16_t port, unsigned size, bool in)
{
	uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (size * 8)) - 1;
	uint64_t *rax = &v->gprs.r[GPR_RAX];

	v->stats.by_reason[EXIT_REASON_IO]++;
	exit_tally_add(&v->stats.sources, in ? EXIT_SOURCE_PORT_IN : EXIT_SOURCE_PORT_OUT, port, 1);
	if (in) {
		uint32_t value = vm_io_read(v->vm, port, size);
		*rax = size == 4 ? value : (*rax & ~mask) | value;
	} else {
		vm_io_write(v->vm, port, size, (uint32_t)(*rax & mask));
	}
	vcpu_skip_instruction(v);
	return true;
}

/*
 * INS and OUTS: neither vendor's exit gives the memory operand's guest-physical address
 * (it needs the guest's page tables), nor, without VMX's IA32_VMX_BASIC[54] or SVM's
 * decode assists, its address size and segment. So the instruction is decoded, its length
 * checked against the one the exit reported (when it did: a mismatch means the bytes
 * changed since the exit), and carried out element by element against the VM's ports.
 */
bool vcpu_exit_string_io(struct vcpu *v, uint16_t port, unsigned size, bool in)
{
	const struct vcpu_arch_ops *ops = v->ops;
	struct x86_port_access access = { port, (uint8_t)size, in };
	struct x86_port_ops io = vcpu_port_ops(v);
	struct x86_mmio_ops mmio = vcpu_mmio_ops(v);
	unsigned exit_len = ops->exit_insn_len(v);
	struct x86_emul_cpu cpu;
	struct x86_insn insn;
	struct x86_emul_outcome out;
	enum x86_emul_status st;

	v->stats.by_reason[EXIT_REASON_STRING_IO]++;
	exit_tally_add(&v->stats.sources, in ? EXIT_SOURCE_PORT_IN : EXIT_SOURCE_PORT_OUT, port, 1);
	ops->emul_cpu(v, &cpu);
	st = x86_fetch_decode(&cpu, ops->decode_flags, &insn, &out);
	if (st == X86_EMUL_OK && exit_len && insn.len != exit_len) {
		vm_stop_vcpu(v, "string I/O exit at rip %#llx: the instruction there is %u bytes, "
			     "the exit says %u (rewritten since the exit?)",
			     (unsigned long long)cpu.rip, insn.len, exit_len);
		return false;
	}
	if (st == X86_EMUL_OK)
		st = x86_emulate_string_io(&cpu, &insn, &access, &io, &mmio, &out);
	if (vcpu_finish_emulation(v, st, &cpu, &out))
		return true;
	vm_stop_vcpu(v, "string port I/O on port %#x from rip %#llx cannot be emulated: %s "
		     "(opcode %#x, %u bytes)", port, (unsigned long long)cpu.rip, out.why,
		     out.opcode, out.len);
	return false;
}
