/* vcpu_report: the end-of-run report of what every vCPU did. */
#include "core/vcpu_report.h"
#include "lib/format.h"
#include "lib/log.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

static const char *const exit_reason_names[EXIT_REASON_COUNT] = {
	[EXIT_REASON_IO] = "io",
	[EXIT_REASON_STRING_IO] = "string-io",
	[EXIT_REASON_MMIO] = "mmio",
	[EXIT_REASON_MSR_READ] = "msr-read",
	[EXIT_REASON_MSR_WRITE] = "msr-write",
	[EXIT_REASON_CPUID] = "cpuid",
	[EXIT_REASON_HLT] = "hlt",
	[EXIT_REASON_EXTERNAL_INTERRUPT] = "external-interrupt",
	[EXIT_REASON_IRQ_WINDOW] = "irq-window",
	[EXIT_REASON_NMI_WINDOW] = "nmi-window",
	[EXIT_REASON_CR_ACCESS] = "cr-access",
	[EXIT_REASON_TPR_BELOW_THRESHOLD] = "tpr-below-threshold",
	[EXIT_REASON_EXCEPTION] = "exception",
	[EXIT_REASON_TRIPLE_FAULT] = "triple-fault",
	[EXIT_REASON_HYPERCALL] = "hypercall",
	[EXIT_REASON_VIRT_INSN] = "virtualization-insn",
	[EXIT_REASON_INIT_SIPI] = "init-sipi",
	[EXIT_REASON_OTHER] = "other",
};

static const char *const inject_source_names[INJECT_SOURCE_COUNT] = {
	[INJECT_LAPIC] = "lapic",
	[INJECT_EXTINT] = "extint",
	[INJECT_NMI] = "nmi",
	[INJECT_EXCEPTION] = "exception",
};

const char *vcpu_exit_reason_name(enum vcpu_exit_reason r)
{
	return r < EXIT_REASON_COUNT ? exit_reason_names[r] : "?";
}

const char *vcpu_inject_source_name(enum vcpu_inject_source s)
{
	return s < INJECT_SOURCE_COUNT ? inject_source_names[s] : "?";
}

void vm_log_report(const struct vm *vm)
{
	log_info("report: run stopped: %s", vm->stop_reason[0] ? vm->stop_reason : "(no reason)");
	uint64_t total = 0, ms = vm_now_ns(vm) / 1000000;
	for (unsigned i = 0; i < vm->nvcpus; i++)
		total += vm->vcpus[i].stats.exits;
	log_info("report: %llu exits in %llu ms of VM time (%llu exits/s)",
		 (unsigned long long)total, (unsigned long long)ms,
		 (unsigned long long)(ms ? total * 1000 / ms : 0));
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		const struct vcpu_stats *s = &vm->vcpus[i].stats;
		char line[256];
		size_t n = 0;
		for (int r = 0; r < EXIT_REASON_COUNT && n < sizeof(line); r++)
			if (s->by_reason[r])
				n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " %s=%llu",
							  exit_reason_names[r],
							  (unsigned long long)s->by_reason[r]);
		line[n < sizeof(line) ? n : sizeof(line) - 1] = 0;
		log_info("report: vcpu%u exits=%llu:%s", i, (unsigned long long)s->exits,
			 n ? line : " none");
		log_info("report: vcpu%u injected lapic=%llu extint=%llu nmi=%llu exception=%llu, "
			 "irq windows opened=%llu, invariant violations=%llu", i,
			 (unsigned long long)s->injected[INJECT_LAPIC],
			 (unsigned long long)s->injected[INJECT_EXTINT],
			 (unsigned long long)s->injected[INJECT_NMI],
			 (unsigned long long)s->injected[INJECT_EXCEPTION],
			 (unsigned long long)s->irq_windows,
			 (unsigned long long)s->invariant_violations);
		if (s->l1_vmentries || s->l2_exits)
			log_info("report: vcpu%u nested: L1 VM entries=%llu refused=%llu, L2 exits=%llu "
				 "reflected to L1=%llu", i, (unsigned long long)s->l1_vmentries,
				 (unsigned long long)s->l1_vmentry_fails,
				 (unsigned long long)s->l2_exits, (unsigned long long)s->l2_reflected);
		if (vm->vcpus[i].nested && vm->vcpus[i].nested->report)
			vm->vcpus[i].nested->report((struct vcpu *)&vm->vcpus[i]);
	}
}
