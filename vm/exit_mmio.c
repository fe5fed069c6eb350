/* exit_mmio: a guest access outside its RAM is MMIO: decode the instruction and emulate it. */
#include "vm/vcpu_exit.h"

#include "vm/vcpu_arch.h"
#include "vm/vcpu_mmio.h"
#include "vm/vm.h"

/*
 * Nested paging (NPT / EPT) maps guest RAM only, so a nested page fault or EPT violation
 * (APM 15.25.6, SDM 27.2.1 Table 27-7) is the LAPIC page, the I/O APIC window or a hole.
 * Neither exit describes the instruction (without decode assists), so it is fetched,
 * decoded with the vendor's rules and carried out against the vCPU's MMIO view. `detail`
 * (the fault's error code / qualification) only goes into the report.
 */
bool vcpu_exit_mmio(struct vcpu *v, uint64_t gpa, uint64_t detail)
{
	const struct vcpu_arch_ops *ops = v->ops;
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	struct x86_mmio_ops mmio = vcpu_mmio_ops(v);

	v->stats.by_reason[EXIT_REASON_MMIO]++;
	exit_tally_add(&v->stats.sources, EXIT_SOURCE_MMIO, gpa & ~0xfffull, 1);
	if (guest_mem_contains(&v->vm->mem, gpa, 1)) {
		vm_stop_vcpu(v, "nested page fault inside guest RAM at gpa %#llx (%#llx)",
			     (unsigned long long)gpa, (unsigned long long)detail);
		return false;
	}
	ops->emul_cpu(v, &cpu);
	enum x86_emul_status st = x86_emulate_mmio_at_rip(&cpu, ops->decode_flags, gpa, &mmio, &out);
	if (vcpu_finish_emulation(v, st, &cpu, &out))
		return true;
	vm_stop_vcpu(v, "MMIO access at gpa %#llx from rip %#llx cannot be emulated: %s "
		     "(opcode map %u byte %#x /%u, %u bytes)", (unsigned long long)gpa,
		     (unsigned long long)cpu.rip, out.why, out.map, out.opcode, out.modrm_reg,
		     out.len);
	return false;
}
