/* vmx_exits: what nestor does for each VM exit the VMX backend asks for. */
#include "apic/apic_vm.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "drivers/run_end.h"
#include "arch/x86/decode/mmio_emul.h"
#include "vm/hypercall.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vm.h"

/* Basic exit reasons (SDM Vol. 3D, Appendix C). */
enum {
	VMX_EXIT_EXCEPTION_NMI = 0,
	VMX_EXIT_EXTERNAL_INTERRUPT = 1,
	VMX_EXIT_TRIPLE_FAULT = 2,
	VMX_EXIT_IRQ_WINDOW = 7,
	VMX_EXIT_NMI_WINDOW = 8,
	VMX_EXIT_CPUID = 10,
	VMX_EXIT_HLT = 12,
	VMX_EXIT_INVD = 13,
	VMX_EXIT_RDPMC = 15,
	VMX_EXIT_VMCALL = 18,
	VMX_EXIT_VMCLEAR = 19,
	VMX_EXIT_VMXON = 27,
	VMX_EXIT_CR_ACCESS = 28,
	VMX_EXIT_IO = 30,
	VMX_EXIT_RDMSR = 31,
	VMX_EXIT_WRMSR = 32,
	VMX_EXIT_MWAIT = 36,
	VMX_EXIT_MONITOR = 39,
	VMX_EXIT_TPR_BELOW_THRESHOLD = 43,
	VMX_EXIT_EPT_VIOLATION = 48,
	VMX_EXIT_INVEPT = 50,
	VMX_EXIT_INVVPID = 53,
	VMX_EXIT_XSETBV = 55,
};

static void vmx_count(struct vcpu *v, enum vcpu_exit_reason r)
{
	v->stats.by_reason[r]++;
}

/* I/O instructions: the exit qualification says it all (SDM 27.2.1, Table 27-5). */
static bool vmx_exit_io(struct vcpu *v)
{
	uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	uint16_t port = (uint16_t)(q >> 16);
	unsigned size = (unsigned)(q & 7) + 1;
	uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (size * 8)) - 1;

	if (q & (1u << 4))
		return vmx_exit_string_io(v, port, size, q & (1u << 3));
	vmx_count(v, EXIT_REASON_IO);
	if (q & (1u << 3)) {
		uint32_t value = vm_io_read(v->vm, port, size);
		uint64_t *rax = &v->gprs.r[GPR_RAX];
		/* IN EAX zero-extends into RAX; IN AL/AX leave the rest of RAX alone. */
		*rax = size == 4 ? value : (*rax & ~mask) | value;
	} else {
		vm_io_write(v->vm, port, size, (uint32_t)(v->gprs.r[GPR_RAX] & mask));
	}
	vmx_skip_instruction(v);
	return true;
}

static bool vmx_exit_cpuid(struct vcpu *v)
{
	struct cpuid_regs r;
	vmx_count(v, EXIT_REASON_CPUID);
	vcpu_cpuid(v, vmcs_read(VMCS_GUEST_CR4), (uint32_t)v->gprs.r[GPR_RAX],
		   (uint32_t)v->gprs.r[GPR_RCX], &r);
	v->gprs.r[GPR_RAX] = r.eax;
	v->gprs.r[GPR_RBX] = r.ebx;
	v->gprs.r[GPR_RCX] = r.ecx;
	v->gprs.r[GPR_RDX] = r.edx;
	vmx_skip_instruction(v);
	return true;
}

static bool vmx_exit_hlt(struct vcpu *v)
{
	vmx_count(v, EXIT_REASON_HLT);
	vmx_skip_instruction(v);
	v->state = VCPU_HALTED;
	return true;
}

/* Reason 43 (SDM 29.1.2): VTPR, already synced to the vLAPIC, fell below the threshold. */
static bool vmx_exit_tpr_below_threshold(struct vcpu *v)
{
	vmx_count(v, EXIT_REASON_TPR_BELOW_THRESHOLD);
	vlapic_tpr_below_threshold_exit(apic_vm_vcpu(&v->vm->apic, v->id));
	return true;
}

/*
 * VMCALL, or a #UD the personality wants to see (VMMCALL is #UD on Intel): a hypercall when
 * the personality answers them, else the guest's #UD (vm/hypercall.c).
 */
static bool vmx_exit_hypercall(struct vcpu *v, enum vcpu_exit_reason r)
{
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	vmx_count(v, r);
	vmx_emul_cpu(v, &cpu);
	if (vmx_finish_emulation(v, vcpu_hypercall_at_rip(v, &cpu, 0, &out), &cpu, &out))
		return true;
	vm_stop_vcpu(v, "cannot fetch the instruction at rip %#llx: %s",
		    (unsigned long long)cpu.rip, out.why);
	return false;
}

/* Exit reason 0: #UD when the exception bitmap asks for it (hypercalls), else only NMIs
 * arrive here; nestor sends none. */
static bool vmx_exit_exception_nmi(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	if ((info & INTR_INFO_TYPE_MASK) == INTR_TYPE_HW_EXCEPTION &&
	    (info & INTR_INFO_VECTOR_MASK) == X86_VECTOR_UD)
		return vmx_exit_hypercall(v, EXIT_REASON_EXCEPTION);
	vmx_count(v, EXIT_REASON_OTHER);
	vmx_log_guest_state(v);
	vm_stop_vcpu(v, "unexpected %s exit, interruption information %#x",
		    (info & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI ? "host NMI" : "exception", info);
	return false;
}

static bool vmx_exit_triple_fault(struct vcpu *v)
{
	vmx_count(v, EXIT_REASON_TRIPLE_FAULT);
	vm_stop_vcpu(v, "triple fault (VMX exit reason 2) at rip %#llx; nestor stops the VM "
		    "instead of resetting it", (unsigned long long)vmcs_read(VMCS_GUEST_RIP));
	return false;
}

/* An instruction the guest cannot have (CPUID hides VMX, MONITOR/MWAIT, perfmon): #UD,
 * or #GP(0) for RDPMC, whose counter index is never valid here (SDM Vol. 2B, RDPMC). */
static bool vmx_exit_refused_insn(struct vcpu *v, enum vcpu_exit_reason r, uint8_t vector)
{
	vmx_count(v, r);
	vmx_inject_exception(v, vector, vector == X86_VECTOR_GP, 0);
	return true;
}

bool vmx_handle_exit(struct vcpu *v, uint32_t reason)
{
	uint32_t basic = reason & 0xffff;

	switch (basic) {
	case VMX_EXIT_IO: return vmx_exit_io(v);
	case VMX_EXIT_CPUID: return vmx_exit_cpuid(v);
	case VMX_EXIT_RDMSR: return vmx_exit_msr(v, false);
	case VMX_EXIT_WRMSR: return vmx_exit_msr(v, true);
	case VMX_EXIT_HLT: return vmx_exit_hlt(v);
	case VMX_EXIT_EPT_VIOLATION: return vmx_exit_ept_violation(v);
	case VMX_EXIT_CR_ACCESS: return vmx_exit_cr_access(v);
	case VMX_EXIT_TPR_BELOW_THRESHOLD: return vmx_exit_tpr_below_threshold(v);
	case VMX_EXIT_XSETBV: return vmx_exit_xsetbv(v);
	case VMX_EXIT_TRIPLE_FAULT: return vmx_exit_triple_fault(v);
	case VMX_EXIT_EXCEPTION_NMI: return vmx_exit_exception_nmi(v);
	case VMX_EXIT_EXTERNAL_INTERRUPT:
		vmx_count(v, EXIT_REASON_EXTERNAL_INTERRUPT);
		return true;	/* the run loop took the host interrupt */
	case VMX_EXIT_IRQ_WINDOW:
		vmx_count(v, EXIT_REASON_IRQ_WINDOW);
		return true;	/* the window is open: the next entry's decision injects */
	case VMX_EXIT_NMI_WINDOW:
		vmx_count(v, EXIT_REASON_NMI_WINDOW);
		return true;
	case VMX_EXIT_INVD:
		vmx_count(v, EXIT_REASON_OTHER);
		vmx_skip_instruction(v);	/* no caches to drop that the guest could see */
		return true;
	case VMX_EXIT_RDPMC:
		return vmx_exit_refused_insn(v, EXIT_REASON_OTHER, X86_VECTOR_GP);
	case VMX_EXIT_MWAIT:
	case VMX_EXIT_MONITOR:
		return vmx_exit_refused_insn(v, EXIT_REASON_OTHER, X86_VECTOR_UD);
	case VMX_EXIT_VMCALL:
		return vmx_exit_hypercall(v, EXIT_REASON_HYPERCALL);
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
		return vmx_exit_refused_insn(v, EXIT_REASON_VIRT_INSN, X86_VECTOR_UD);
	default:
		if (basic >= VMX_EXIT_VMCLEAR && basic <= VMX_EXIT_VMXON)
			return vmx_exit_refused_insn(v, EXIT_REASON_VIRT_INSN, X86_VECTOR_UD);
		vmx_count(v, EXIT_REASON_OTHER);
		vmx_log_guest_state(v);
		vm_stop_vcpu(v, "unhandled VMX exit %u (%s), qualification %#llx", basic,
			    vmx_exit_name(basic),
			    (unsigned long long)vmcs_read(VMCS_EXIT_QUALIFICATION));
		return false;
	}
}
