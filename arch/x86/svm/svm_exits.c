/* svm_exits: what nestor does for each #VMEXIT the SVM backend asks for. */
#include "arch/x86/cpu.h"
#include "arch/x86/decode/mmio_emul.h"
#include "arch/x86/svm/svm_internal.h"
#include "drivers/run_end.h"
#include "lib/log.h"
#include "vm/hypercall.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vcpu_mmio.h"
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

#define MSR_TSC 0x10
#define MSR_PAT 0x277
#define MSR_EFER 0xc0000080
/* EFER bits a guest may set (APM Vol. 2, 3.1.7): SCE, LME, LMA (read-only), NXE, FFXSR. */
#define EFER_GUEST_BITS ((1ull << 0) | (1ull << 8) | (1ull << 10) | (1ull << 11) | (1ull << 14))

static void svm_count(struct vcpu *v, enum vcpu_exit_reason r)
{
	v->stats.by_reason[r]++;
}

/* IN/OUT (APM 15.10.2): EXITINFO1 describes the access, EXITINFO2 is the next RIP
 * (given even without NRIPS). */
static bool svm_exit_ioio(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t info = vmcb->control.exit_info1;
	uint16_t port = (uint16_t)(info >> 16);
	unsigned size = (info & (1u << 4)) ? 1 : (info & (1u << 5)) ? 2 : 4;
	uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (size * 8)) - 1;

	if (info & (1u << 2))
		return svm_exit_string_io(v, vmcb, port, size, info & 1);
	svm_count(v, EXIT_REASON_IO);
	if (info & 1) {
		uint32_t value = vm_io_read(v->vm, port, size);
		uint64_t *rax = &v->gprs.r[GPR_RAX];
		/* IN EAX zero-extends into RAX; IN AL/AX leave the rest of RAX alone. */
		*rax = size == 4 ? value : (*rax & ~mask) | value;
	} else {
		vm_io_write(v->vm, port, size, (uint32_t)(v->gprs.r[GPR_RAX] & mask));
	}
	vmcb->save.rip = vmcb->control.exit_info2;
	return true;
}

static bool svm_exit_cpuid(struct vcpu *v, struct vmcb *vmcb)
{
	struct cpuid_regs r;
	svm_count(v, EXIT_REASON_CPUID);
	vcpu_cpuid(v, vmcb->save.cr4, (uint32_t)v->gprs.r[GPR_RAX], (uint32_t)v->gprs.r[GPR_RCX],
		   &r);
	v->gprs.r[GPR_RAX] = r.eax;
	v->gprs.r[GPR_RBX] = r.ebx;
	v->gprs.r[GPR_RCX] = r.ecx;
	v->gprs.r[GPR_RDX] = r.edx;
	svm_skip_instruction(v);
	return true;
}

/*
 * MSRs the CPU switches (vcpu_msr's MSR_GUEST_STATE): #VMEXIT and VMSAVE leave the guest's
 * in the VMCB, VMLOAD puts them back (APM 15.5.2, VMSAVE); TSC_AUX stays in the register.
 */
static uint64_t *svm_switched_msr(struct vmcb *vmcb, uint32_t msr)
{
	switch (msr) {
	case 0x174: return &vmcb->save.sysenter_cs;
	case 0x175: return &vmcb->save.sysenter_esp;
	case 0x176: return &vmcb->save.sysenter_eip;
	case 0xc0000081: return &vmcb->save.star;
	case 0xc0000082: return &vmcb->save.lstar;
	case 0xc0000083: return &vmcb->save.cstar;
	case 0xc0000084: return &vmcb->save.sfmask;
	case 0xc0000100: return &vmcb->save.fs.base;
	case 0xc0000101: return &vmcb->save.gs.base;
	case 0xc0000102: return &vmcb->save.kernel_gs_base;
	default: return NULL;
	}
}

static enum msr_result svm_guest_state_msr(struct vmcb *vmcb, uint32_t msr, uint64_t *value,
					   bool write)
{
	uint64_t *p = svm_switched_msr(vmcb, msr);
	if (p && write)
		*p = *value;
	else if (p)
		*value = *p;
	else if (write)
		wrmsr(msr, *value);
	else
		*value = rdmsr(msr);
	return MSR_OK;
}

/* The MSRs whose guest copy lives in the VMCB; everything else is vcpu_msr's. */
static enum msr_result svm_msr_read(struct vcpu *v, struct vmcb *vmcb, uint32_t msr,
				    uint64_t *value)
{
	switch (msr) {
	case MSR_EFER: *value = vmcb->save.efer & ~SVM_EFER_SVME; return MSR_OK;
	case MSR_PAT: *value = vmcb->save.g_pat; return MSR_OK;
	case MSR_TSC: *value = rdtsc() + vmcb->control.tsc_offset; return MSR_OK;
	default: {
		enum msr_result r = vcpu_msr_read(v, msr, value);
		return r == MSR_GUEST_STATE ? svm_guest_state_msr(vmcb, msr, value, false) : r;
	}
	}
}

static enum msr_result svm_msr_write(struct vcpu *v, struct vmcb *vmcb, uint32_t msr,
				     uint64_t value)
{
	switch (msr) {
	case MSR_EFER:
		/* SVME is hidden: setting it is #GP like any reserved bit. LMA is the CPU's. */
		if (value & ~EFER_GUEST_BITS)
			return MSR_GP;
		vmcb->save.efer = (value & ~SVM_EFER_LMA) | (vmcb->save.efer & SVM_EFER_LMA) |
				  SVM_EFER_SVME;
		return MSR_OK;
	case MSR_PAT:
		if (!vcpu_msr_pat_valid(value))
			return MSR_GP;
		vmcb->save.g_pat = value;
		return MSR_OK;
	case MSR_TSC:
		vmcb->control.tsc_offset = value - rdtsc();
		return MSR_OK;
	default: {
		enum msr_result r = vcpu_msr_write(v, msr, value);
		return r == MSR_GUEST_STATE ? svm_guest_state_msr(vmcb, msr, &value, true) : r;
	}
	}
}

static bool svm_exit_msr(struct vcpu *v, struct vmcb *vmcb)
{
	uint32_t msr = (uint32_t)v->gprs.r[GPR_RCX];
	bool write = vmcb->control.exit_info1 & 1;
	enum msr_result r;

	svm_count(v, write ? EXIT_REASON_MSR_WRITE : EXIT_REASON_MSR_READ);
	if (write) {
		uint64_t value = (v->gprs.r[GPR_RDX] << 32) | (uint32_t)v->gprs.r[GPR_RAX];
		r = svm_msr_write(v, vmcb, msr, value);
	} else {
		uint64_t value = 0;
		r = svm_msr_read(v, vmcb, msr, &value);
		if (r == MSR_OK) {
			v->gprs.r[GPR_RAX] = (uint32_t)value;
			v->gprs.r[GPR_RDX] = value >> 32;
		}
	}
	if (r == MSR_GP)
		svm_inject_exception(v, X86_VECTOR_GP, true, 0);
	else
		svm_skip_instruction(v);
	return true;
}

static bool svm_exit_hlt(struct vcpu *v)
{
	svm_count(v, EXIT_REASON_HLT);
	if (svm_skip_instruction(v))
		v->state = VCPU_HALTED;
	return true;
}

/* A nested page fault outside guest RAM is an MMIO access: decode and emulate it. */
static bool svm_exit_npf(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t gpa = vmcb->control.exit_info2;
	svm_count(v, EXIT_REASON_MMIO);
	if (guest_mem_contains(&v->vm->mem, gpa, 1)) {
		vm_stop_vcpu(v, "nested page fault inside guest RAM at gpa %#llx (error %#llx)",
			    (unsigned long long)gpa, (unsigned long long)vmcb->control.exit_info1);
		return false;
	}
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	struct x86_mmio_ops ops = vcpu_mmio_ops(v);
	svm_emul_cpu(v, &cpu);
	if (svm_finish_emulation(v, x86_emulate_mmio_at_rip(&cpu, X86_DECODE_AMD, gpa, &ops, &out),
				 &cpu, &out))
		return true;
	vm_stop_vcpu(v, "MMIO access at gpa %#llx from rip %#llx cannot be emulated: %s "
		    "(opcode map %u byte %#x /%u, %u bytes)", (unsigned long long)gpa,
		    (unsigned long long)vmcb->save.rip, out.why, out.map, out.opcode,
		    out.modrm_reg, out.len);
	return false;
}

/* MOV to CR8 while nestor intercepts it (the TPR hides a pending interrupt): the new
 * TPR class goes to the vLAPIC, which re-evaluates delivery. */
static bool svm_exit_cr8_write(struct vcpu *v, struct vmcb *vmcb)
{
	struct x86_emul_cpu cpu;
	struct x86_insn insn;
	struct x86_emul_outcome out;
	svm_count(v, EXIT_REASON_CR_ACCESS);
	svm_emul_cpu(v, &cpu);
	if (x86_fetch_decode(&cpu, X86_DECODE_AMD, &insn, &out) != X86_EMUL_OK ||
	    insn.map != 1 || insn.opcode != 0x22 || !insn.has_modrm) {
		vm_stop_vcpu(v, "CR8 write exit at rip %#llx is not a MOV to CR8",
			    (unsigned long long)vmcb->save.rip);
		return false;
	}
	uint64_t value = v->gprs.r[insn.rm];
	if (value & ~0xfull) {	/* SDM Vol. 3A 2.5: CR8 bits 63:4 are reserved */
		svm_inject_exception(v, X86_VECTOR_GP, true, 0);
		return true;
	}
	vlapic_set_tpr(apic_vm_vcpu(&v->vm->apic, v->id), (uint32_t)(value << 4));
	vmcb->control.vintr = (vmcb->control.vintr & ~SVM_V_TPR_MASK) | value;
	vmcb->save.rip += insn.len;
	return true;
}

/*
 * NMI blocking ends when the guest's IRET completes. IRET is intercepted before it runs,
 * so nestor sets TF and intercepts #DB: the single-step trap comes right after the IRET
 * (TF is sampled at the start of the instruction), and there NMIs are unblocked.
 */
static bool svm_exit_iret(struct vcpu *v, struct vmcb *vmcb)
{
	struct svm_vcpu *s = svm_of(v);
	svm_count(v, EXIT_REASON_NMI_WINDOW);
	vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	vmcb->control.intercept_exceptions |= 1u << 1;
	vmcb->save.rflags |= SVM_RFLAGS_TF;
	s->nmi_singlestep = true;
	return true;
}

static bool svm_exit_debug(struct vcpu *v, struct vmcb *vmcb)
{
	struct svm_vcpu *s = svm_of(v);
	svm_count(v, EXIT_REASON_EXCEPTION);
	if (!s->nmi_singlestep) {
		svm_inject_exception(v, 1, false, 0);
		return true;
	}
	/* Ours: hide it. The IRET loaded the guest's own RFLAGS, TF included. */
	s->nmi_singlestep = false;
	s->nmi_blocked = false;
	vmcb->control.intercept_exceptions &= ~(1u << 1);
	vmcb->save.dr6 &= ~(1ull << 14);	/* DR6.BS */
	return true;
}

/*
 * VMMCALL, or a #UD the personality wants to see (VMCALL is #UD on AMD): a hypercall when
 * the personality answers them, else the guest's #UD (vm/hypercall.c).
 */
static bool svm_exit_hypercall(struct vcpu *v, struct vmcb *vmcb, enum vcpu_exit_reason r)
{
	struct x86_emul_cpu cpu;
	struct x86_emul_outcome out;
	svm_count(v, r);
	svm_emul_cpu(v, &cpu);
	if (svm_finish_emulation(v, vcpu_hypercall_at_rip(v, &cpu, X86_DECODE_AMD, &out), &cpu,
				 &out))
		return true;
	vm_stop_vcpu(v, "cannot fetch the instruction at rip %#llx: %s",
		    (unsigned long long)vmcb->save.rip, out.why);
	return false;
}

static bool svm_exit_shutdown(struct vcpu *v, struct vmcb *vmcb)
{
	svm_count(v, EXIT_REASON_TRIPLE_FAULT);
	vm_stop_vcpu(v, "triple fault (SVM SHUTDOWN) at rip %#llx; nestor stops the VM instead of "
		    "resetting it", (unsigned long long)vmcb->save.rip);
	return false;
}

bool svm_handle_exit(struct vcpu *v)
{
	struct vmcb *vmcb = svm_of(v)->vmcb;
	uint64_t code = vmcb->control.exit_code;

	switch (code) {
	case SVM_EXIT_IOIO: return svm_exit_ioio(v, vmcb);
	case SVM_EXIT_CPUID: return svm_exit_cpuid(v, vmcb);
	case SVM_EXIT_MSR: return svm_exit_msr(v, vmcb);
	case SVM_EXIT_HLT: return svm_exit_hlt(v);
	case SVM_EXIT_NPF: return svm_exit_npf(v, vmcb);
	case SVM_EXIT_WRITE_CR8: return svm_exit_cr8_write(v, vmcb);
	case SVM_EXIT_IRET: return svm_exit_iret(v, vmcb);
	case SVM_EXIT_DB: return svm_exit_debug(v, vmcb);
	case SVM_EXIT_SHUTDOWN: return svm_exit_shutdown(v, vmcb);
	case SVM_EXIT_INTR:
		svm_count(v, EXIT_REASON_EXTERNAL_INTERRUPT);
		return true;	/* the run loop takes the host interrupt */
	case SVM_EXIT_VINTR:
		svm_count(v, EXIT_REASON_IRQ_WINDOW);
		return true;	/* the window is open: the next entry's decision injects */
	case SVM_EXIT_INVD:
		svm_count(v, EXIT_REASON_OTHER);
		svm_skip_instruction(v);	/* no caches to drop that the guest could see */
		return true;
	case SVM_EXIT_VMMCALL: return svm_exit_hypercall(v, vmcb, EXIT_REASON_HYPERCALL);
	case SVM_EXIT_EXCP_BASE + X86_VECTOR_UD:
		return svm_exit_hypercall(v, vmcb, EXIT_REASON_EXCEPTION);
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		/* With EFER.SVME clear (as the guest sees it) these raise #UD (APM 15.4). */
		svm_count(v, EXIT_REASON_VIRT_INSN);
		svm_inject_exception(v, X86_VECTOR_UD, false, 0);
		return true;
	case SVM_EXIT_INVALID:
		svm_count(v, EXIT_REASON_OTHER);
		svm_log_vmcb(v);
		vm_stop_vcpu(v, "VMRUN failed its consistency checks (VMEXIT_INVALID)");
		return false;
	default:
		svm_count(v, EXIT_REASON_OTHER);
		svm_log_vmcb(v);
		vm_stop_vcpu(v, "unhandled SVM exit %#llx (%s)", (unsigned long long)code,
			    svm_exit_name(code));
		return false;
	}
}
