/* platform_stats: the devices' share of the end-of-run report, one log line per device. */
#include "devices/platform.h"

#include "lib/log.h"

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

static void platform_log_timers(const struct platform *p)
{
	const struct pit8254_stats *pit = &p->pit.stats;
	const struct rtc_cmos_stats *rtc = &p->rtc.stats;
	const struct acpi_pm_stats *pm = &p->acpi.stats;

	log_info("devices: pit: %llu IRQ0 pulses (%llu edges coalesced), %llu control and %llu "
		 "count writes, %llu reads, %llu rejected; port 0x61: %llu reads, %llu writes",
		 ull(p->pit.irq.raised), ull(pit->coalesced_edges), ull(pit->control_writes),
		 ull(pit->count_writes), ull(pit->reads), ull(pit->rejected), ull(p->port61.reads),
		 ull(p->port61.writes));
	log_info("devices: rtc: %llu reads, %llu writes, %llu IRQ8; flags latched: periodic "
		 "%llu, update %llu, alarm %llu; %llu clock sets, %llu ignored writes",
		 ull(rtc->reads), ull(rtc->writes), ull(p->rtc.irq.raised), ull(rtc->periodic),
		 ull(rtc->updates), ull(rtc->alarms), ull(rtc->time_sets), ull(rtc->ignored_writes));
	log_info("devices: acpi-pm: %llu SCI, %llu timer reads, %llu power-offs, %llu refused "
		 "sleeps, %llu power-button presses", ull(p->acpi.sci.raised), ull(pm->timer_reads),
		 ull(pm->power_offs), ull(pm->refused_sleeps), ull(pm->power_button_presses));
	if (pit->time_backwards || rtc->time_backwards || pm->time_backwards)
		log_info("devices: time went backwards: pit %llu, rtc %llu, acpi-pm %llu times",
			 ull(pit->time_backwards), ull(rtc->time_backwards), ull(pm->time_backwards));
}

static void platform_log_firmware_ports(const struct platform *p)
{
	const struct fw_cfg_stats *fw = &p->fw_cfg.stats;
	const struct pci_host_stats *pci = &p->pci.stats;

	log_info("devices: fw_cfg: %llu selects (%llu unknown keys), %llu data reads, %llu "
		 "ignored accesses", ull(fw->selects), ull(fw->unknown_selects),
		 ull(fw->data_reads), ull(fw->ignored_accesses));
	log_info("devices: pci: %llu config reads (%llu of absent functions), %llu config "
		 "writes (%llu dropped), %llu undecoded accesses", ull(pci->config_reads),
		 ull(pci->absent_reads), ull(pci->config_writes), ull(pci->ignored_writes),
		 ull(pci->undecoded));
	log_info("devices: post 0x80: %llu writes, last 0x%02x; i8042: %llu commands, %llu "
		 "device bytes dropped; resets requested: %llu%s%s", ull(p->post.writes),
		 p->post.last, ull(p->kbc.stats.commands), ull(p->kbc.stats.device_bytes_dropped),
		 ull(p->reset.requests), p->reset.last_source ? ", last by " : "",
		 p->reset.last_source ? p->reset.last_source : "");
	log_info("devices: debug-exit: %llu writes, last %#x", ull(p->debug_exit.writes),
		 p->debug_exit.last_value);
}

void platform_log_stats(const struct platform *p)
{
	const struct uart16550_stats *u = &p->com1.stats;

	log_info("devices: com1: %llu bytes out in %llu lines (%llu split at %zu), %llu in, "
		 "%llu overruns, %llu IRQ4", ull(u->tx_bytes), ull(p->console.lines),
		 ull(p->console.split_lines), p->console.max_len, ull(u->rx_bytes),
		 ull(u->rx_overruns), ull(p->com1.irq.raised));
	platform_log_timers(p);
	platform_log_firmware_ports(p);
	if (p->testdev_enabled)
		log_info("devices: pc-testdev: %llu IRQ-line writes, %llu scratch bytes, "
			 "%llu flushes, %llu bad accesses", ull(p->testdev.stats.irq_writes),
			 ull(p->testdev.stats.scratch_bytes), ull(p->testdev.stats.flushes),
			 ull(p->testdev.stats.bad_accesses));
	if (p->bus)
		log_info("devices: unclaimed ports: %llu reads, %llu writes (all ones / dropped)",
			 ull(p->bus->unhandled_reads), ull(p->bus->unhandled_writes));
}
