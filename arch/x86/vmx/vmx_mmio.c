/* vmx_mmio: an EPT violation outside guest RAM is an MMIO access: decode and emulate it. */
#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vcpu_mmio.h"
#include "vm/vm.h"

/*
 * EPT maps guest RAM only, so an EPT violation (SDM 27.2.1, Table 27-7) is the LAPIC page,
 * the I/O APIC window or a hole. The guest-physical address is in the VMCS; the VMCS does
 * not describe the instruction, so it is fetched and decoded (Intel decoding rules, no
 * AMD flag) and carried out against the vCPU's MMIO view.
 */
bool vmx_exit_ept_violation(struct vcpu *v)
{
	uint64_t gpa = vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS);
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	struct x86_mmio_ops ops = vcpu_mmio_ops(v);

	v->stats.by_reason[EXIT_REASON_MMIO]++;
	if (guest_mem_contains(&v->vm->mem, gpa, 1)) {
		vm_stop_vcpu(v, "EPT violation inside guest RAM at gpa %#llx (qualification %#llx)",
			    (unsigned long long)gpa,
			    (unsigned long long)vmcs_read(VMCS_EXIT_QUALIFICATION));
		return false;
	}
	vmx_emul_cpu(v, &cpu);
	if (vmx_finish_emulation(v, x86_emulate_mmio_at_rip(&cpu, 0, gpa, &ops, &out), &cpu, &out))
		return true;
	vm_stop_vcpu(v, "MMIO access at gpa %#llx from rip %#llx cannot be emulated: %s "
		    "(opcode map %u byte %#x /%u, %u bytes)", (unsigned long long)gpa,
		    (unsigned long long)cpu.rip, out.why, out.map, out.opcode, out.modrm_reg,
		    out.len);
	return false;
}
