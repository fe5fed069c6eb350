/* hypercall: VMCALL and VMMCALL, answered the way the VM's personality says (KVM's ABI). */
#include "vm/hypercall.h"

#include "apic/apic_msg.h"
#include "apic/apic_regs.h"
#include "vm/personality.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vm.h"

#define KVM_CPUID_FEATURES 0x40000001u
#define KVM_FEATURE_PV_SEND_IPI 11
/* ICR fields KVM_HC_SEND_IPI refuses: logical destination, a shorthand (lapic.c). */
#define ICR_LOGICAL (1u << 11)
#define ICR_SHORTHAND (3u << 18)

bool vm_hypercalls_need_ud_intercept(const struct vm *vm)
{
	return vm->personality->hypercalls != HYPERCALL_NONE;
}

/* One half of the destination bitmap: bit i is APIC ID min + i (KVM's __pv_send_ipi). */
static unsigned send_ipi_half(struct vm *vm, uint64_t bitmap, uint64_t min, unsigned width,
			      struct apic_msg *m)
{
	unsigned count = 0;
	if (min >= vm->nvcpus)
		return 0;
	for (unsigned i = 0; i < width; i++) {
		uint64_t id = min + i;
		if (!(bitmap & (1ull << i)) || id >= vm->nvcpus)
			continue;	/* no such APIC: nothing is delivered, as in KVM's map */
		m->dest = (uint32_t)id;
		count += apic_deliver_msg(&vm->apic, m);
	}
	return count;
}

/*
 * KVM_HC_SEND_IPI: a0/a1 the destination bitmap (64 bits each in 64-bit mode, 32 otherwise),
 * a2 the APIC ID of bit 0 (32 bits, as KVM takes it), a3 the ICR (vector, delivery mode, level, trigger mode) for
 * physical destinations without shorthand. Returns the number of CPUs it was delivered to.
 * Each target gets a physical-destination message through the vLAPICs, as the ICR would.
 */
static int64_t kvm_send_ipi(struct vcpu *v, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			    bool mode64)
{
	struct vm *vm = v->vm;
	unsigned width = mode64 ? 64 : 32;
	uint32_t icr = (uint32_t)a3;
	if (icr & (ICR_LOGICAL | ICR_SHORTHAND))
		return -KVM_EINVAL;
	struct apic_msg m = {
		.logical = false,
		.x2apic_format = true,	/* a full APIC ID, never the xAPIC broadcast 0xff */
		.shorthand = APIC_SH_NONE,
		.mode = (icr >> APIC_ICR_DM_SHIFT) & 7,
		.vector = icr & APIC_ICR_VECTOR,
		.level = icr & APIC_ICR_LEVEL,
		.source = apic_vm_vcpu(&vm->apic, v->id),
	};
	uint64_t min = (uint32_t)a2;
	return send_ipi_half(vm, a0, min, width, &m) + send_ipi_half(vm, a1, min + width, width, &m);
}

static bool kvm_feature(struct vcpu *v, unsigned bit)
{
	return vcpu_cpuid_has(v, 0, CPUID_BIT(KVM_CPUID_FEATURES, 0, CPUID_EAX, bit));
}

/* KVM's kvm_emulate_hypercall: arguments truncated to 32 bits outside 64-bit mode, CPL 0
 * only, a call whose feature is not offered is as unknown (-KVM_ENOSYS). */
static void kvm_hypercall(struct vcpu *v, unsigned cpl, bool mode64)
{
	uint64_t *r = v->gprs.r;
	uint64_t mask = mode64 ? ~0ull : 0xffffffffull;
	uint64_t nr = r[GPR_RAX] & mask, a0 = r[GPR_RBX] & mask, a1 = r[GPR_RCX] & mask;
	uint64_t a2 = r[GPR_RDX] & mask, a3 = r[GPR_RSI] & mask;
	int64_t ret = -KVM_ENOSYS;

	if (cpl != 0)
		ret = -KVM_EPERM;
	else if (nr == KVM_HC_VAPIC_POLL_IRQ)
		ret = 0;	/* the exit itself made nestor look at pending interrupts */
	else if (nr == KVM_HC_SEND_IPI && kvm_feature(v, KVM_FEATURE_PV_SEND_IPI))
		ret = kvm_send_ipi(v, a0, a1, a2, a3, mode64);
	r[GPR_RAX] = (uint64_t)ret & mask;
}

bool vcpu_hypercall(struct vcpu *v, unsigned cpl, bool mode64)
{
	switch (v->vm->personality->hypercalls) {
	case HYPERCALL_KVM:
		kvm_hypercall(v, cpl, mode64);
		return true;
	default:
		return false;
	}
}

/* 0F 01 C1 (VMCALL, SDM Vol. 2C) and 0F 01 D9 (VMMCALL, APM Vol. 3), without F2/F3. */
static bool is_vmcall_or_vmmcall(const struct x86_insn *insn)
{
	return insn->map == X86_MAP_0F && insn->opcode == 0x01 && insn->has_modrm &&
	       (insn->modrm == 0xc1 || insn->modrm == 0xd9) && !insn->last_rep;
}

enum x86_emul_status vcpu_hypercall_at_rip(struct vcpu *v, struct x86_emul_cpu *cpu,
					   unsigned decode_flags, struct x86_emul_outcome *out)
{
	struct x86_insn insn;
	enum x86_emul_status st = x86_fetch_decode(cpu, decode_flags, &insn, out);
	if (st != X86_EMUL_OK)
		return st;
	if (!is_vmcall_or_vmmcall(&insn) ||
	    !vcpu_hypercall(v, cpu->cpl, cpu->mode == X86_MODE_64))
		return X86_EMUL_UD;
	cpu->rip += insn.len;
	return X86_EMUL_OK;
}
