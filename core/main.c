/* main: what nestor does once it owns the machine. */
#include "core/main.h"

#include "arch/x86/caps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/smp.h"
#include "core/debug_fault.h"
#include "core/virt_select.h"
#include "core/vm_build.h"
#include "drivers/host_acpi.h"
#include "drivers/lapic.h"
#include "drivers/run_end.h"
#include "drivers/tsc.h"
#include "lib/boot_info.h"
#include "lib/log.h"
#include "lib/page_alloc.h"
#include "lib/startup_phases.h"
#include "vm/vm.h"

static struct cpu_caps host_caps;
static struct host_acpi host_acpi;
static struct vm the_vm;

static void main_log_machine(const struct boot_info *bi)
{
	log_info("machine taken: firmware gone; nestor's own GDT/TSS/IDT, page tables "
		 "(cr3 %#llx) and stack", (unsigned long long)read_cr3());
	log_info("memory: %llu MiB usable in %u ranges (%u firmware map entries), highest "
		 "address %#llx", (unsigned long long)(bi->ram_bytes >> 20), bi->nram,
		 bi->memmap_entries, (unsigned long long)bi->highest_address);
	log_info("memory: nestor pool %#lx, %zu pages (%zu free)", (unsigned long)bi->pool_base,
		 bi->pool_pages, nestor_pages.nfree);
}

void nestor_main(struct boot_info *bi)
{
	main_log_machine(bi);

	struct cpu_raw raw;
	caps_read_raw(&raw);
	caps_decode(&raw, &host_caps);
	caps_log_raw(&raw);
	caps_log_table(&host_caps);

	host_acpi_parse(bi->rsdp, &host_acpi);
	host_acpi_log(&host_acpi);
	startup_phase_mark(&startup_phases, "firmware exit, caps, host ACPI", rdtsc());

	tsc_calibrate();
	startup_phase_mark(&startup_phases, "TSC calibration", rdtsc());
	smp_boot_cpu_init();
	lapic_timer_calibrate();
	startup_phase_mark(&startup_phases, "LAPIC timer calibration", rdtsc());
	log_info("time: TSC %llu kHz, LAPIC timer %llu kHz, host LAPIC in %s mode",
		 (unsigned long long)(tsc_hz() / 1000),
		 (unsigned long long)(lapic_timer_hz() / 1000),
		 lapic_x2apic_mode() ? "x2APIC" : "xAPIC");
	unsigned ncpus = smp_start_aps(&host_acpi, bi->options.smp, bi->ap_trampoline);
	log_info("smp: %u CPU%s online", ncpus, ncpus == 1 ? "" : "s");
	startup_phase_mark(&startup_phases, "APs started", rdtsc());

	debug_fault_trigger(bi->options.fault);

	if (!bi->options.kernel[0]) {
		log_info("no payload (kernel= not given): nothing to run");
		run_end(RUN_STATUS_PASS);
	}
	char why[120];
	const struct virt_ops *ops = virt_select(&host_caps, why, sizeof(why));
	if (!ops) {
		log_error("cannot run a VM on this CPU: %s", why);
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	if (!vm_create(&the_vm, bi, ops, ncpus, &host_acpi)) {
		log_error("the VM could not be built (see above)");
		run_end(RUN_STATUS_CONFIG_ERROR);
	}
	startup_phase_mark(&startup_phases, "VM build", rdtsc());
	vm_run(&the_vm, ops);
}
