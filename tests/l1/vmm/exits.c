/* exits: KVM exit reasons by name, and the report of every exit the VMM does not expect. */
#include <stdio.h>
#include <sys/ioctl.h>

#include "vmm.h"

static const char *const names[] = {
	[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN", [KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION",
	[KVM_EXIT_IO] = "KVM_EXIT_IO", [KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL",
	[KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG", [KVM_EXIT_HLT] = "KVM_EXIT_HLT",
	[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO", [KVM_EXIT_IRQ_WINDOW_OPEN] = "KVM_EXIT_IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN", [KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
	[KVM_EXIT_INTR] = "KVM_EXIT_INTR", [KVM_EXIT_SET_TPR] = "KVM_EXIT_SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "KVM_EXIT_TPR_ACCESS", [KVM_EXIT_NMI] = "KVM_EXIT_NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR", [KVM_EXIT_OSI] = "KVM_EXIT_OSI",
	[KVM_EXIT_WATCHDOG] = "KVM_EXIT_WATCHDOG", [KVM_EXIT_EPR] = "KVM_EXIT_EPR",
	[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
	[KVM_EXIT_IOAPIC_EOI] = "KVM_EXIT_IOAPIC_EOI", [KVM_EXIT_HYPERV] = "KVM_EXIT_HYPERV",
	[KVM_EXIT_X86_RDMSR] = "KVM_EXIT_X86_RDMSR", [KVM_EXIT_X86_WRMSR] = "KVM_EXIT_X86_WRMSR",
	[KVM_EXIT_DIRTY_RING_FULL] = "KVM_EXIT_DIRTY_RING_FULL",
	[KVM_EXIT_X86_BUS_LOCK] = "KVM_EXIT_X86_BUS_LOCK", [KVM_EXIT_XEN] = "KVM_EXIT_XEN",
};

const char *exit_name(unsigned reason)
{
	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "KVM_EXIT_?";
}

static const char *internal_suberror(unsigned s)
{
	switch (s) {
	case KVM_INTERNAL_ERROR_EMULATION: return "emulation failure";
	case KVM_INTERNAL_ERROR_SIMUL_EX: return "exception while delivering an exception";
	case KVM_INTERNAL_ERROR_DELIVERY_EV: return "exit while delivering an event";
	case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON: return "unexpected exit reason";
	default: return "other";
	}
}

static void report_rip(struct vcpu *v)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(v->fd, KVM_GET_REGS, &r) || ioctl(v->fd, KVM_GET_SREGS, &s))
		return;
	vmm_say("vCPU %u: rip=%#llx rsp=%#llx rflags=%#llx cr0=%#llx cr3=%#llx cr4=%#llx "
		"efer=%#llx cs=%#x", v->index, r.rip, r.rsp, r.rflags, s.cr0, s.cr3, s.cr4,
		s.efer, s.cs.selector);
}

/*
 * Names the exit with its fields and ends the run. A failed VM entry is a seed's symptom
 * (000: a stale TPR threshold that a strict L0 refuses with error 7), so it is "reproduced";
 * the rest are errors of the run.
 */
void exit_report_abnormal(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	unsigned reason = run->exit_reason;

	switch (reason) {
	case KVM_EXIT_FAIL_ENTRY:
		vmm_say("vCPU %u: KVM_EXIT_FAIL_ENTRY: hardware_entry_failure_reason %#llx "
			"(hardware error %#llx) on cpu %u", v->index,
			run->fail_entry.hardware_entry_failure_reason,
			run->fail_entry.hardware_entry_failure_reason, run->fail_entry.cpu);
		report_rip(v);
		vmm_finish(RESULT_REPRODUCED, "KVM_EXIT_FAIL_ENTRY hardware error %#llx",
			   run->fail_entry.hardware_entry_failure_reason);
	case KVM_EXIT_INTERNAL_ERROR: {
		char data[256] = "";
		int n = 0;
		for (unsigned i = 0; i < run->internal.ndata && i < 16; i++)
			n += snprintf(data + n, sizeof(data) - (size_t)n, " %#llx",
				      run->internal.data[i]);
		vmm_say("vCPU %u: KVM_EXIT_INTERNAL_ERROR: suberror %u (%s), data:%s", v->index,
			run->internal.suberror, internal_suberror(run->internal.suberror), data);
		report_rip(v);
		vmm_finish(RESULT_ERROR, "KVM_EXIT_INTERNAL_ERROR suberror %u (%s)",
			   run->internal.suberror, internal_suberror(run->internal.suberror));
	}
	case KVM_EXIT_SHUTDOWN:
		vmm_say("vCPU %u: KVM_EXIT_SHUTDOWN: the payload triple faulted", v->index);
		report_rip(v);
		vmm_finish(RESULT_ERROR, "KVM_EXIT_SHUTDOWN (triple fault) on vCPU %u", v->index);
	case KVM_EXIT_SYSTEM_EVENT:
		vmm_say("vCPU %u: KVM_EXIT_SYSTEM_EVENT type %u", v->index, run->system_event.type);
		vmm_finish(RESULT_ERROR, "KVM_EXIT_SYSTEM_EVENT type %u", run->system_event.type);
	case KVM_EXIT_HLT:
		report_rip(v);
		vmm_finish(RESULT_ERROR, "KVM_EXIT_HLT on vCPU %u with the LAPIC in the kernel",
			   v->index);
	default:
		vmm_say("vCPU %u: unexpected %s (%u)", v->index, exit_name(reason), reason);
		report_rip(v);
		vmm_finish(RESULT_ERROR, "unexpected %s (%u) on vCPU %u", exit_name(reason), reason,
			   v->index);
	}
}
