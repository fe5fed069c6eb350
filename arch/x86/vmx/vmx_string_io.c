/* vmx_string_io: INS and OUTS exits, emulated element by element against the VM's ports. */
#include "arch/x86/decode/port_emul.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vcpu_mmio.h"
#include "vm/vcpu_port.h"
#include "vm/vm.h"

/*
 * The exit qualification names the port, size and direction (SDM 27.2.1, Table 27-5), and
 * the VMCS gives the instruction's length; it does not give the memory operand's
 * guest-physical address, which needs the guest's page tables, nor (without
 * IA32_VMX_BASIC[54]) the address size and segment. So the instruction is decoded, its
 * length checked against the VMCS's, and carried out by the emulator SVM uses too.
 */
bool vmx_exit_string_io(struct vcpu *v, uint16_t port, unsigned size, bool in)
{
	struct x86_port_access access = { port, (uint8_t)size, in };
	struct x86_port_ops io = vcpu_port_ops(v);
	struct x86_mmio_ops mmio = vcpu_mmio_ops(v);
	uint64_t exit_len = vmcs_read(VMCS_EXIT_INSTRUCTION_LEN);
	struct x86_emul_cpu cpu;
	struct x86_insn insn;
	struct x86_emul_outcome out;
	enum x86_emul_status st;

	v->stats.by_reason[EXIT_REASON_STRING_IO]++;
	vmx_emul_cpu(v, &cpu);
	st = x86_fetch_decode(&cpu, 0, &insn, &out);
	if (st == X86_EMUL_OK && insn.len != exit_len) {
		vm_stop_vcpu(v, "string I/O exit at rip %#llx: the instruction there is %u bytes, "
			    "the VMCS says %llu (rewritten since the exit?)",
			    (unsigned long long)cpu.rip, insn.len, (unsigned long long)exit_len);
		return false;
	}
	if (st == X86_EMUL_OK)
		st = x86_emulate_string_io(&cpu, &insn, &access, &io, &mmio, &out);
	if (vmx_finish_emulation(v, st, &cpu, &out))
		return true;
	vm_stop_vcpu(v, "string port I/O on port %#x from rip %#llx cannot be emulated: %s "
		    "(opcode %#x, %u bytes)", port, (unsigned long long)cpu.rip, out.why, out.opcode,
		    out.len);
	return false;
}
