/* scenarios: what l1vmm can run: nestor's test guests, the seed payloads and Linux as L2. */
#include <stdio.h>
#include <string.h>

#include "vmm.h"

/*
 * The test guests are tests/guests' multiboot kernels, unchanged: the VMM offers them the
 * platform they expect (nestor's own device models: COM1, debug-exit, fw_cfg, pc-testdev,
 * PIT, RTC, ACPI PM; the in-kernel or the VMM's IOAPIC and 8259). The seed payloads are
 * built from the same library (tests/l1/payloads/). docs/l1.md tells how to add one.
 */
#define GUEST(n, what) { .name = n, .payload = n ".elf", .cmdline = "", .end = END_DEBUG_EXIT, \
			 .about = what }

static const struct scenario scenarios[] = {
	GUEST("cpuid", "CPUID leaves on every vCPU, AP start-up"),
	GUEST("portio", "port I/O to the platform devices, string I/O"),
	GUEST("msr", "MSR reads/writes, #GP on unknown MSRs"),
	GUEST("xapic", "xAPIC registers through MMIO"),
	GUEST("x2apic", "x2APIC mode through MSRs"),
	GUEST("lapic_timer", "LAPIC timer one-shot, periodic, TSC deadline"),
	GUEST("ipi", "IPIs between the vCPUs, self-IPIs, NMI IPI"),
	GUEST("ioapic", "edge and level IOAPIC interrupts, Remote IRR, Directed EOI"),
	GUEST("pic_extint", "PIT IRQ0 through the 8259 as ExtINT on LINT0"),
	GUEST("tpr", "TPR/CR8 and PPR: held and delivered interrupts"),
	GUEST("nmi", "NMI delivery and blocking"),
	GUEST("wild_access", "accesses outside RAM and devices"),
	{ .name = "triple_fault", .payload = "triple_fault.elf", .cmdline = "",
	  .end = END_SHUTDOWN, .about = "a deliberate triple fault: KVM_EXIT_SHUTDOWN expected" },
	{ .name = "seed000", .payload = "seed000.elf", .cmdline = "rounds=256 x2apic=1",
	  .end = END_DEBUG_EXIT, .about = "seed 000: TPR lowered below a pending vector while a "
	  "higher one is in service (x2APIC); a strict L0 fails the entry with error 7" },
	{ .name = "seed002", .payload = "seed002.elf", .cmdline = "",
	  .end = END_DEBUG_EXIT, .about = "seed 002: Directed EOI with a level line serviced after "
	  "the LAPIC EOI; needs --irqchip split --ioapic 0x20 to show the storm" },
	{ .name = "seed003", .payload = "seed003.elf", .cmdline = "",
	  .end = END_DEBUG_EXIT, .about = "seed 003: an ExtINT from the 8259 while LAPIC "
	  "interrupts keep coming; needs --irqchip split" },
	{ .name = "linux", .payload = "vmlinux", .initrd = "l2-initramfs.cpio.gz",
	  .cmdline = "console=ttyS0 panic=-1 quiet", .end = END_POWEROFF,
	  .marker = "L2-LINUX: init reached", .mem_mb = 256,
	  .about = "Debian's kernel through PVH with a tiny initramfs, to /init and power-off" },
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

const struct scenario *scenario_find(const char *name)
{
	for (unsigned i = 0; i < NSCENARIOS; i++)
		if (!strcmp(scenarios[i].name, name))
			return &scenarios[i];
	return NULL;
}

void scenario_list(void)
{
	for (unsigned i = 0; i < NSCENARIOS; i++)
		printf("%-13s %s\n", scenarios[i].name, scenarios[i].about);
}
