/* vmx_nested_insn: L1 executed a VMX instruction: its operands from vmcs01, the outcome to L1. */
#include "arch/x86/cpu.h"
#include "arch/x86/guest_walk.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "lib/log.h"
#include "vm/vcpu_exit.h"
#include "vm/vm.h"


/* L1's memory operands through its own page tables; a fault is queued for L1. */
static bool access_linear(struct vcpu *v, uint64_t la, void *buf, unsigned len, bool write)
{
	struct x86_emul_cpu cpu;
	uint8_t *p = buf;

	vmx_emul_cpu(v, &cpu);
	while (len) {
		struct guest_walk_result w;
		unsigned chunk = 4096 - (unsigned)(la & 0xfff);
		unsigned access = GUEST_ACCESS_SET_AD | (write ? GUEST_ACCESS_WRITE : 0) |
				  (cpu.cpl == 3 ? GUEST_ACCESS_USER : 0);
		enum guest_walk_status st = guest_walk(&v->vm->mem, &cpu.paging, la, access, &w);

		if (chunk > len)
			chunk = len;
		if (st == GUEST_WALK_PAGE_FAULT) {
			vmx_set_reg(v, VCPU_CR2, la);
			vcpu_inject_exception(v, X86_VECTOR_PF, true, w.pf_error);
			return false;
		}
		if (st == GUEST_WALK_NONCANONICAL) {
			vcpu_inject_gp(v);
			return false;
		}
		if (st != GUEST_WALK_OK ||
		    !(write ? guest_mem_write(&v->vm->mem, w.gpa, p, chunk)
			    : guest_mem_read(&v->vm->mem, w.gpa, p, chunk))) {
			vm_stop_vcpu(v, "nvmx: VMX instruction operand at linear %#llx is not L1 RAM "
				     "(%s)", (unsigned long long)la, guest_walk_status_name(st));
			return false;
		}
		la += chunk;
		p += chunk;
		len -= chunk;
	}
	return true;
}

static bool mem_read(void *ctx, uint64_t la, void *buf, unsigned len)
{
	return access_linear(ctx, la, buf, len, false);
}

static bool mem_write(void *ctx, uint64_t la, const void *buf, unsigned len)
{
	return access_linear(ctx, la, (void *)buf, len, true);
}

static void *mem_page(void *ctx, uint64_t gpa)
{
	struct vcpu *v = ctx;
	return guest_mem_ptr(&v->vm->mem, gpa, 4096);
}

static void l1_segments(struct nvmx_l1 *l1)
{
	for (unsigned s = 0; s < 6; s++) {
		l1->seg[s].base = vmcs_read(VMCS_GUEST_ES_BASE + 2 * s);
		l1->seg[s].limit = (uint32_t)vmcs_read(VMCS_GUEST_ES_LIMIT + 2 * s);
		l1->seg[s].ar = (uint32_t)vmcs_read(VMCS_GUEST_ES_AR + 2 * s);
	}
}

void vmx_nested_vmx_result(struct vcpu *v, uint8_t kind, uint64_t rip, unsigned len)
{
	uint64_t rf = vmcs_read(VMCS_GUEST_RFLAGS) & ~RFLAGS_ARITH;

	if (kind == NVMX_I_FAIL_INVALID)
		rf |= RFLAGS_CF;
	else if (kind == NVMX_I_FAIL_VALID)
		rf |= RFLAGS_ZF;
	vmcs_write(VMCS_GUEST_RFLAGS, rf);
	vmcs_write(VMCS_GUEST_RIP, rip);
	vcpu_complete_instruction(v, rip + len);
}

/* L2's TLB entries after INVEPT / INVVPID: nestor's shadow EPT and VPID 02 hold them. */
static void flush(struct vcpu *v, const struct nvmx_insn_out *o)
{
	struct vmx_nested *nx = vmx_nested_of(v);

	if (o->flush == NVMX_FLUSH_EPT)
		vmx_sept_drop(v, "INVEPT");
	else if (o->flush == NVMX_FLUSH_VPID && vmx_cfg.vpid)
		invvpid(vmx_cfg.invvpid_single ? INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXTS,
			nx->vpid02);
}

bool vmx_nested_insn(struct vcpu *v, enum nvmx_insn insn)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	const struct vmx_nested_vm *nv = vmx_nested_vm(v);
	struct nvmx_mem mem = { mem_read, mem_write, mem_page, v };
	uint64_t rip = vmcs_read(VMCS_GUEST_RIP);
	unsigned len = (unsigned)vmcs_read(VMCS_EXIT_INSTRUCTION_LEN);
	struct nvmx_l1 l1 = {
		.cpl = vmx_cpl(v),
		.long64 = vmx_long_mode_code(v),
		.feature_control = nx->feature_control,
		.gpr = v->gprs.r,
	};
	struct nvmx_insn_out out;
	uint64_t t0 = rdtsc();
	bool rw = insn == NVMX_VMREAD || insn == NVMX_VMWRITE;

	v->stats.by_reason[EXIT_REASON_VIRT_INSN]++;
	nx->st.insns[insn]++;
	/* Only what the instruction can use: VMREAD/VMWRITE between registers (what KVM
	 * runs most) need neither segments nor control registers. */
	if (insn != NVMX_VMXOFF && insn != NVMX_VMLAUNCH && insn != NVMX_VMRESUME) {
		l1.info = (uint32_t)vmcs_read(VMCS_EXIT_INSTRUCTION_INFO);
		if (!rw || !(l1.info & (1u << 10))) {
			l1.qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
			l1_segments(&l1);
		}
	}
	if (insn == NVMX_VMXON) {
		l1.cr0 = vmx_get_reg(v, VCPU_CR0);
		l1.cr4 = vmx_get_reg(v, VCPU_CR4);
	}
	if (insn == NVMX_VMLAUNCH || insn == NVMX_VMRESUME)
		l1.mov_ss_blocking = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & INTERRUPTIBILITY_MOV_SS;
	nvmx_emulate(&nx->n, &nv->caps, insn, &l1, &mem, &out);
	switch (out.kind) {
	case NVMX_I_ENTER:
		nx->l1_rip = rip;
		nx->l1_insn_len = len;
		return vmx_nested_enter(v, insn == NVMX_VMRESUME);
	case NVMX_I_RAISE:
		nx->st.faults++;
		log_info("nvmx: vcpu%u rip %#llx: %s: %s -> #%s", v->id, (unsigned long long)rip,
			 nvmx_insn_name(insn), out.why,
			 out.vector == X86_VECTOR_UD ? "UD" : out.vector == X86_VECTOR_GP ? "GP(0)" : "SS(0)");
		vcpu_inject_exception(v, out.vector, out.vector != X86_VECTOR_UD, 0);
		return true;
	case NVMX_I_FAULTED:
		nx->st.faults++;
		return !v->vm->stopping;
	case NVMX_I_FAIL_INVALID:
	case NVMX_I_FAIL_VALID:
		nx->st.vmfails++;
		if (out.kind == NVMX_I_FAIL_VALID)
			log_info("nvmx: vcpu%u rip %#llx: %s -> VMfailValid(%u): %s (operand %#llx)",
				 v->id, (unsigned long long)rip, nvmx_insn_name(insn), out.error,
				 out.why, (unsigned long long)out.addr);
		else
			log_info("nvmx: vcpu%u rip %#llx: %s -> VMfailInvalid: %s (operand %#llx)",
				 v->id, (unsigned long long)rip, nvmx_insn_name(insn), out.why,
				 (unsigned long long)out.addr);
		break;
	default:
		flush(v, &out);
		break;
	}
	vmx_nested_vmx_result(v, out.kind, rip, len);
	if (rw)
		nx->st.tsc_rw += rdtsc() - t0;
	return true;
}
