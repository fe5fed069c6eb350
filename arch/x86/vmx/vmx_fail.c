/* vmx_fail: a VM entry that fails is never silent: the error, the fields behind it, a stop. */
#include "apic/vlapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "drivers/run_end.h"
#include "lib/format.h"
#include "lib/log.h"
#include "vm/vm.h"

#define VMX_INSN_ERROR_INVALID_CONTROLS 7
#define VMX_INSN_ERROR_INVALID_HOST_STATE 8

/* VMREAD of the error field without vmcs_read()'s failure path (which calls back here). */
static uint32_t vmcs_read_insn_error(void)
{
	uint64_t value = 0;
	__asm__ volatile("vmread %1, %0" : "=rm"(value) : "r"((uint64_t)VMCS_INSTRUCTION_ERROR) : "cc");
	return (uint32_t)value;
}

/* Failures of nestor's own VMX instructions, counted over the run. */
static unsigned vmx_insn_failures;
#define VMX_INSN_FAILURES_PRINTED 16

/*
 * A VMX instruction of nestor's own failed: a bug in nestor (a field it should not use,
 * an INVEPT type it should not ask for), never the guest's doing. Each one is logged
 * (past the first 16 only counted, so a broken field list cannot flood the console) and
 * stops the VM of the vCPU this CPU runs with a report naming the instruction.
 */
static void vmx_insn_failed(const char *what, enum vmx_status st)
{
	unsigned n = __atomic_add_fetch(&vmx_insn_failures, 1, __ATOMIC_RELAXED);
	uint32_t err = st == VMX_FAIL_VALID ? vmcs_read_insn_error() : 0;
	if (n <= VMX_INSN_FAILURES_PRINTED) {
		if (st == VMX_FAIL_INVALID)
			log_error("vmx: %s: VMfailInvalid (no current VMCS)", what);
		else
			log_error("vmx: %s: VMfailValid, VM-instruction error %u (%s)", what, err,
				  vmx_insn_error_name(err));
	} else if (n == VMX_INSN_FAILURES_PRINTED + 1) {
		log_error("vmx: more of nestor's VMX instructions fail; counted, not printed");
	}
	struct percpu *cpu = percpu_this();
	if (cpu && cpu->vcpu)
		vm_stop_vcpu(cpu->vcpu, "nestor's %s failed (%s, error %u): a bug in nestor", what,
			     st == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid", err);
}

void vmcs_access_failed(enum vmcs_field field, enum vmx_status st, int write)
{
	char what[40];
	fmt_snprintf(what, sizeof(what), "%s of VMCS field %#x", write ? "VMWRITE" : "VMREAD",
		     (unsigned)field);
	vmx_insn_failed(what, st);
}

void vmx_invept_checked(uint64_t type, uint64_t eptp)
{
	enum vmx_status st = invept(type, eptp);
	if (st != VMX_OK) {
		char what[48];
		fmt_snprintf(what, sizeof(what), "INVEPT type %llu", (unsigned long long)type);
		vmx_insn_failed(what, st);
	}
}

void vmx_invvpid_checked(uint64_t type, uint16_t vpid)
{
	enum vmx_status st = invvpid(type, vpid);
	if (st != VMX_OK) {
		char what[48];
		fmt_snprintf(what, sizeof(what), "INVVPID type %llu vpid %u", (unsigned long long)type,
			     vpid);
		vmx_insn_failed(what, st);
	}
}

void vmx_log_guest_state(const struct vcpu *v)
{
	unsigned id = v->id;
	log_error("vmx: vcpu%u: rip %#llx rsp %#llx rflags %#llx interruptibility %#llx "
		  "activity %llu", id, (unsigned long long)vmcs_read(VMCS_GUEST_RIP),
		  (unsigned long long)vmcs_read(VMCS_GUEST_RSP),
		  (unsigned long long)vmcs_read(VMCS_GUEST_RFLAGS),
		  (unsigned long long)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY),
		  (unsigned long long)vmcs_read(VMCS_GUEST_ACTIVITY_STATE));
	log_error("vmx: vcpu%u: cr0 %#llx (shadow %#llx) cr3 %#llx cr4 %#llx (shadow %#llx) "
		  "efer %#llx", id, (unsigned long long)vmcs_read(VMCS_GUEST_CR0),
		  (unsigned long long)vmcs_read(VMCS_CR0_SHADOW),
		  (unsigned long long)vmcs_read(VMCS_GUEST_CR3),
		  (unsigned long long)vmcs_read(VMCS_GUEST_CR4),
		  (unsigned long long)vmcs_read(VMCS_CR4_SHADOW),
		  (unsigned long long)vmcs_read(VMCS_GUEST_EFER));
	log_error("vmx: vcpu%u: cs %#llx base %#llx limit %#llx ar %#llx; ss ar %#llx; tr ar %#llx; "
		  "ldtr ar %#llx", id, (unsigned long long)vmcs_read(VMCS_GUEST_CS_SEL),
		  (unsigned long long)vmcs_read(VMCS_GUEST_CS_BASE),
		  (unsigned long long)vmcs_read(VMCS_GUEST_ES_LIMIT + 2 * VMCS_SEG_CS),
		  (unsigned long long)vmcs_read(VMCS_GUEST_CS_AR),
		  (unsigned long long)vmcs_read(VMCS_GUEST_SS_AR),
		  (unsigned long long)vmcs_read(VMCS_GUEST_ES_AR + 2 * VMCS_SEG_TR),
		  (unsigned long long)vmcs_read(VMCS_GUEST_ES_AR + 2 * VMCS_SEG_LDTR));
	log_error("vmx: vcpu%u: entry controls %#llx, entry interruption %#llx, exit reason %#llx "
		  "qualification %#llx, IDT vectoring %#llx", id,
		  (unsigned long long)vmcs_read(VMCS_ENTRY_CONTROLS),
		  (unsigned long long)vmcs_read(VMCS_ENTRY_INTR_INFO),
		  (unsigned long long)vmcs_read(VMCS_EXIT_REASON),
		  (unsigned long long)vmcs_read(VMCS_EXIT_QUALIFICATION),
		  (unsigned long long)vmcs_read(VMCS_IDT_VECTORING_INFO));
}

/* Error 7 (SDM 26.2.1): the execution controls, and the TPR-shadow pair of 26.2.1.1. */
static void vmx_log_controls(const struct vcpu *v)
{
	const struct vmx_vcpu *x = v->arch;
	uint32_t proc = (uint32_t)vmcs_read(VMCS_PROC_CONTROLS);
	uint32_t proc2 = (uint32_t)vmcs_read(VMCS_PROC2_CONTROLS);
	uint8_t threshold = (uint8_t)vmcs_read(VMCS_TPR_THRESHOLD);
	uint8_t vtpr = x->vapic[VAPIC_TPR];

	log_error("vmx: vcpu%u: controls: pin %#llx, primary %#x (use TPR shadow %u), secondary "
		  "%#x (virtualize APIC accesses %u, virtual-interrupt delivery %u), exit %#llx, "
		  "entry %#llx", v->id, (unsigned long long)vmcs_read(VMCS_PIN_CONTROLS), proc,
		  !!(proc & PROC_TPR_SHADOW), proc2, !!(proc2 & PROC2_VIRT_APIC_ACCESSES),
		  !!(proc2 & PROC2_VIRT_INTR_DELIVERY),
		  (unsigned long long)vmcs_read(VMCS_EXIT_CONTROLS),
		  (unsigned long long)vmcs_read(VMCS_ENTRY_CONTROLS));
	log_error("vmx: vcpu%u: TPR_THRESHOLD %#x, VTPR %#x (virtual-APIC page %#llx + 0x80): "
		  "SDM 26.2.1.1 %s", v->id, threshold, vtpr,
		  (unsigned long long)vmcs_read(VMCS_VIRTUAL_APIC_PAGE),
		  apic_tpr_threshold_invariant_ok(threshold, vtpr) ?
			  "holds" : "broken: TPR_THRESHOLD[3:0] > VTPR[7:4]");
}

/* Error 8 (SDM 26.2.2-26.2.4): the host state nestor wrote. */
static void vmx_log_host_state(const struct vcpu *v)
{
	log_error("vmx: vcpu%u: host cr0 %#llx cr3 %#llx cr4 %#llx cs %#llx tr %#llx tr base "
		  "%#llx gdtr %#llx idtr %#llx efer %#llx rip %#llx", v->id,
		  (unsigned long long)vmcs_read(VMCS_HOST_CR0),
		  (unsigned long long)vmcs_read(VMCS_HOST_CR3),
		  (unsigned long long)vmcs_read(VMCS_HOST_CR4),
		  (unsigned long long)vmcs_read(VMCS_HOST_CS_SEL),
		  (unsigned long long)vmcs_read(VMCS_HOST_TR_SEL),
		  (unsigned long long)vmcs_read(VMCS_HOST_TR_BASE),
		  (unsigned long long)vmcs_read(VMCS_HOST_GDTR_BASE),
		  (unsigned long long)vmcs_read(VMCS_HOST_IDTR_BASE),
		  (unsigned long long)vmcs_read(VMCS_HOST_EFER),
		  (unsigned long long)vmcs_read(VMCS_HOST_RIP));
}

/*
 * VMfailInvalid / VMfailValid from VMLAUNCH or VMRESUME (SDM 30.2, 26.1-26.2): the guest
 * did not run. Logs the error by its SDM name with the fields the
 * checks behind it look at, and stops the VM.
 */
void vmx_report_vmfail(struct vcpu *v, const char *insn, enum vmx_status st)
{
	if (st == VMX_FAIL_INVALID) {
		log_error("vmx: vcpu%u: %s failed: VMfailInvalid (no current VMCS)", v->id, insn);
		vm_stop_vcpu(v, "%s failed: VMfailInvalid", insn);
		return;
	}
	uint32_t err = vmcs_read_insn_error();
	log_error("vmx: vcpu%u: %s failed: VMfailValid, VM-instruction error %u (%s)", v->id, insn,
		  err, vmx_insn_error_name(err));
	if (err == VMX_INSN_ERROR_INVALID_CONTROLS)
		vmx_log_controls(v);
	if (err == VMX_INSN_ERROR_INVALID_HOST_STATE)
		vmx_log_host_state(v);
	vmx_log_guest_state(v);
	if (err == VMX_INSN_ERROR_INVALID_CONTROLS && (vmcs_read(VMCS_PROC_CONTROLS) & PROC_TPR_SHADOW))
		vm_stop_vcpu(v, "%s failed: VM-instruction error 7 (invalid control fields), "
			    "TPR_THRESHOLD %#x VTPR %#x", insn,
			    (unsigned)vmcs_read(VMCS_TPR_THRESHOLD), vmx_of(v)->vapic[VAPIC_TPR]);
	else
		vm_stop_vcpu(v, "%s failed: VM-instruction error %u (%s)", insn, err,
			    vmx_insn_error_name(err));
}

/* Exit reasons 33, 34, 41 with bit 31 set (SDM 26.7, 26.8): the entry's guest-state checks or
 * MSR loading failed after the controls passed. */
void vmx_report_entry_failure(struct vcpu *v, uint32_t reason)
{
	uint32_t basic = reason & 0xffff;
	uint64_t q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	log_error("vmx: vcpu%u: VM entry failed: exit reason %u (%s), qualification %#llx", v->id,
		  basic, vmx_exit_name(basic), (unsigned long long)q);
	vmx_log_guest_state(v);
	vm_stop_vcpu(v, "VM entry failed: %s (reason %u, qualification %#llx)", vmx_exit_name(basic),
		    basic, (unsigned long long)q);
}
