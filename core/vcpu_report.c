/* vcpu_report: the end-of-run report of what every vCPU did. */
#include "core/vcpu_report.h"
#include "apic/apic_regs.h"
#include "drivers/tsc.h"
#include "lib/format.h"
#include "lib/log.h"
#include "lib/startup_phases.h"
#include "lib/string.h"
#include "vm/exit_tally.h"
#include "vm/msr_table.h"
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

/* How many exit sources the report lists. */
#define REPORT_TOP_SOURCES 10

/* The device or MSR behind an exit source, or NULL. */
static const char *exit_source_name(const struct vm *vm, const struct exit_source_count *e)
{
	switch (e->kind) {
	case EXIT_SOURCE_PORT_IN:
	case EXIT_SOURCE_PORT_OUT: {
		const struct io_bus_range *r = io_bus_find(&vm->io, (uint16_t)e->id);
		return r ? r->name : "unclaimed";
	}
	case EXIT_SOURCE_MMIO: {
		const struct mmio_bus_region *r = mmio_bus_find(&vm->mmio, e->id);
		if (r)
			return r->name;
		return e->id == APIC_DEFAULT_BASE ? "lapic" : "unclaimed";
	}
	case EXIT_SOURCE_MSR_READ:
	case EXIT_SOURCE_MSR_WRITE: {
		if (e->id >= 0x800 && e->id <= 0x8ff)
			return "x2apic";
		const struct msr_desc *d = msr_table_find((uint32_t)e->id);
		return d ? d->name : NULL;
	}
	default:
		return NULL;
	}
}

/*
 * The sources of the most exits, all vCPUs together, one line each with its share of all
 * exits: where a regression went shows at a glance (tools/bench-boot prints these lines).
 */
static void log_top_sources(const struct vm *vm, uint64_t total)
{
	/* Static: the report runs once, at the end, and the table is too big for the stack. */
	static struct exit_tally all;
	struct exit_source_count top[REPORT_TOP_SOURCES];
	char line[160];

	memset(&all, 0, sizeof(all));
	for (unsigned i = 0; i < vm->nvcpus; i++)
		exit_tally_merge(&all, &vm->vcpus[i].stats.sources);
	unsigned n = exit_tally_top(&all, top, REPORT_TOP_SOURCES);
	/* untracked: exits of sources a vCPU's table had no room for (exit_tally.h). */
	log_info("report: top %u exit sources (port, MMIO page, MSR) of %llu exits, %llu untracked",
		 n, (unsigned long long)total, (unsigned long long)all.untracked);
	for (unsigned i = 0; i < n; i++) {
		exit_tally_format(line, sizeof(line), i + 1, &top[i], exit_source_name(vm, &top[i]),
				  total);
		log_info("report: exit source %s", line);
	}
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
	log_top_sources(vm, total);
	char phases[320];
	if (startup_phases_format(&startup_phases, tsc_hz(), phases, sizeof(phases)))
		log_info("report: start-up from nestor's entry to VM start: %s", phases);
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
		if (s->shadowed_hlts)
			log_info("report: vcpu%u HLTs completed in an STI shadow for a pending "
				 "interrupt=%llu", i, (unsigned long long)s->shadowed_hlts);
		if (s->exits_after_injection)
			log_info("report: vcpu%u entries with an exit right after the injected interrupt "
				 "(a self-IPI)=%llu", i, (unsigned long long)s->exits_after_injection);
		if (s->l1_vmentries || s->l2_exits)
			log_info("report: vcpu%u nested: L1 VM entries=%llu refused=%llu, L2 exits=%llu "
				 "reflected to L1=%llu", i, (unsigned long long)s->l1_vmentries,
				 (unsigned long long)s->l1_vmentry_fails,
				 (unsigned long long)s->l2_exits, (unsigned long long)s->l2_reflected);
		if (vm->vcpus[i].nested && vm->vcpus[i].nested->report)
			vm->vcpus[i].nested->report((struct vcpu *)&vm->vcpus[i]);
	}
}
