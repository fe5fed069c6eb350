/* vmx_exits: decoding each VM exit from the VMCS and handing it to the shared handlers (vm/exit_*.c). */
#include "apic/apic_vm.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "vm/vcpu_exit.h"
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

/* CR-access exit qualification (SDM Vol. 3C 27.2.1, Table 27-3). */
#define CRQ_NUMBER(q) ((unsigned)(q) & 0xf)
#define CRQ_TYPE(q) (((unsigned)(q) >> 4) & 3)
#define CRQ_GPR(q) (((unsigned)(q) >> 8) & 0xf)
#define CRQ_LMSW_SOURCE(q) ((uint16_t)((q) >> 16))
#define CRQ_TYPE_MOV_TO_CR 0
#define CRQ_TYPE_CLTS 2
#define CRQ_TYPE_LMSW 3

/* I/O instructions: the exit qualification says it all (SDM 27.2.1, Table 27-5). */
static bool vmx_exit_io(struct vcpu *v)
{
	uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	uint16_t port = (uint16_t)(q >> 16);
	unsigned size = (unsigned)(q & 7) + 1;
	bool in = q & (1u << 3);
	if (q & (1u << 4))
		return vcpu_exit_string_io(v, port, size, in);
	return vcpu_exit_io(v, port, size, in);
}

/* MOV to CR0/CR4 hitting the guest/host mask, CLTS and LMSW: the qualification names the
 * instruction; MOV from CR and MOV to CR3/CR8 do not exit (vmx_controls.c). */
static bool vmx_exit_cr_access(struct vcpu *v)
{
	uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	switch (CRQ_TYPE(q)) {
	case CRQ_TYPE_MOV_TO_CR: return vcpu_exit_mov_to_cr(v, CRQ_NUMBER(q), CRQ_GPR(q));
	case CRQ_TYPE_CLTS: return vcpu_exit_clts(v);
	case CRQ_TYPE_LMSW: return vcpu_exit_lmsw(v, CRQ_LMSW_SOURCE(q));
	default:
		v->stats.by_reason[EXIT_REASON_CR_ACCESS]++;
		vm_stop_vcpu(v, "unexpected CR-access exit, qualification %#llx",
			     (unsigned long long)q);
		return false;
	}
}

/* Reason 43 (SDM 29.1.2): VTPR, already synced to the vLAPIC, fell below the threshold. */
static bool vmx_exit_tpr_below_threshold(struct vcpu *v)
{
	v->stats.by_reason[EXIT_REASON_TPR_BELOW_THRESHOLD]++;
	vlapic_tpr_below_threshold_exit(apic_vm_vcpu(&v->vm->apic, v->id));
	return true;
}

/* The #AC and #DB part, shared with L2's exits nestor keeps (vmx_nested_exit.c). */
bool vmx_exit_ac_db(struct vcpu *v, uint32_t info, bool *handled)
{
	uint32_t type = info & INTR_INFO_TYPE_MASK, vector = info & INTR_INFO_VECTOR_MASK;
	*handled = true;
	if (type == INTR_TYPE_HW_EXCEPTION && vector == X86_VECTOR_AC)
		return vcpu_exit_alignment_check(v);
	if ((type == INTR_TYPE_HW_EXCEPTION || type == INTR_TYPE_PRIV_SW_EXCEPTION) &&
	    vector == X86_VECTOR_DB) {
		struct vcpu_debug_exit d = {
			.dr6_bits = vmcs_read(VMCS_EXIT_QUALIFICATION),
			.icebp = type == INTR_TYPE_PRIV_SW_EXCEPTION,
			.insn_len = (uint8_t)vmcs_read(VMCS_EXIT_INSTRUCTION_LEN),
		};
		return vcpu_exit_debug(v, &d);
	}
	*handled = false;
	return true;
}

/*
 * Exit reason 0 (SDM 27.2.2): an exception in the bitmap (vmx_vmcs.c) or a host NMI.
 * #UD is there only when the personality answers VMMCALL too: a hypercall, or the guest's
 * own #UD given back. #AC and #DB are there always, for the shared code to give back
 * (vm/exit_exception.c); #DB's exit qualification holds the DR6 bits the CPU did not
 * write (27.2.1, Table 27-1), and INT1 exits as a privileged software exception.
 */
static bool vmx_exit_exception_nmi(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmcs_read(VMCS_EXIT_INTR_INFO);
	uint32_t type = info & INTR_INFO_TYPE_MASK, vector = info & INTR_INFO_VECTOR_MASK;
	bool handled, ok;
	if (type == INTR_TYPE_HW_EXCEPTION && vector == X86_VECTOR_UD)
		return vcpu_exit_hypercall(v, EXIT_REASON_EXCEPTION);
	ok = vmx_exit_ac_db(v, info, &handled);
	if (handled)
		return ok;
	v->stats.by_reason[EXIT_REASON_OTHER]++;
	vmx_log_guest_state(v);
	vm_stop_vcpu(v, "unexpected %s exit, interruption information %#x",
		     type == INTR_TYPE_NMI ? "host NMI" : "exception", info);
	return false;
}

/* An EPT violation: EPT maps guest RAM only, so it is MMIO (SDM 27.2.1 Table 27-7). */
static bool vmx_exit_ept_violation(struct vcpu *v)
{
	return vcpu_exit_mmio(v, vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS),
			      vmcs_read(VMCS_EXIT_QUALIFICATION));
}

/* L1's VMX instructions by exit reason (19-27, 50, 53), when VMX is offered. */
static bool vmx_exit_vmx_insn(struct vcpu *v, uint32_t basic)
{
	static const int8_t insn[] = {
		[19] = NVMX_VMCLEAR, [20] = NVMX_VMLAUNCH, [21] = NVMX_VMPTRLD, [22] = NVMX_VMPTRST,
		[23] = NVMX_VMREAD, [24] = NVMX_VMRESUME, [25] = NVMX_VMWRITE, [26] = NVMX_VMXOFF,
		[27] = NVMX_VMXON, [50] = NVMX_INVEPT, [53] = NVMX_INVVPID,
	};
	if (!vmx_nested_of(v))
		return vcpu_exit_refused(v, EXIT_REASON_VIRT_INSN, X86_VECTOR_UD);
	return vmx_nested_insn(v, (enum nvmx_insn)insn[basic]);
}

bool vmx_handle_exit(struct vcpu *v, uint32_t reason)
{
	uint32_t basic = reason & 0xffff;

	switch (basic) {
	case VMX_EXIT_IO: return vmx_exit_io(v);
	case VMX_EXIT_CPUID: return vcpu_exit_cpuid(v);
	case VMX_EXIT_RDMSR: return vcpu_exit_msr(v, false);
	case VMX_EXIT_WRMSR: return vcpu_exit_msr(v, true);
	case VMX_EXIT_HLT: return vcpu_exit_hlt(v);
	case VMX_EXIT_INVD: return vcpu_exit_invd(v);
	case VMX_EXIT_XSETBV: return vcpu_exit_xsetbv(v);
	case VMX_EXIT_EPT_VIOLATION: return vmx_exit_ept_violation(v);
	case VMX_EXIT_CR_ACCESS: return vmx_exit_cr_access(v);
	case VMX_EXIT_TPR_BELOW_THRESHOLD: return vmx_exit_tpr_below_threshold(v);
	case VMX_EXIT_TRIPLE_FAULT: return vcpu_exit_triple_fault(v, "VMX exit reason 2");
	case VMX_EXIT_EXCEPTION_NMI: return vmx_exit_exception_nmi(v);
	case VMX_EXIT_EXTERNAL_INTERRUPT:
		v->stats.by_reason[EXIT_REASON_EXTERNAL_INTERRUPT]++;
		return true;	/* the run loop took the host interrupt */
	case VMX_EXIT_IRQ_WINDOW:
		v->stats.by_reason[EXIT_REASON_IRQ_WINDOW]++;
		return true;	/* the window is open: the next entry's decision injects */
	case VMX_EXIT_NMI_WINDOW:
		v->stats.by_reason[EXIT_REASON_NMI_WINDOW]++;
		return true;
	case VMX_EXIT_RDPMC:
		return vcpu_exit_refused(v, EXIT_REASON_OTHER, X86_VECTOR_GP);
	case VMX_EXIT_MWAIT:
	case VMX_EXIT_MONITOR:
		return vcpu_exit_refused(v, EXIT_REASON_OTHER, X86_VECTOR_UD);
	case VMX_EXIT_VMCALL:
		return vcpu_exit_hypercall(v, EXIT_REASON_HYPERCALL);
	case VMX_EXIT_INVEPT:
	case VMX_EXIT_INVVPID:
		return vmx_exit_vmx_insn(v, basic);
	default:
		if (basic >= VMX_EXIT_VMCLEAR && basic <= VMX_EXIT_VMXON)
			return vmx_exit_vmx_insn(v, basic);
		v->stats.by_reason[EXIT_REASON_OTHER]++;
		vmx_log_guest_state(v);
		vm_stop_vcpu(v, "unhandled VMX exit %u (%s), qualification %#llx", basic,
			     vmx_exit_name(basic),
			     (unsigned long long)vmcs_read(VMCS_EXIT_QUALIFICATION));
		return false;
	}
}
