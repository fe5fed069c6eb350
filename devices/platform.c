/* platform: the guest-visible PC platform: every device created, wired and registered at once. */
#include "devices/platform.h"

#include "devices/clock_ticks.h"
#include "lib/log.h"

static void platform_log_raw_line(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	log_raw(text, len);
}

static void platform_console_byte(void *ctx, uint8_t byte)
{
	line_buffer_put(ctx, byte);
}

static void platform_init_devices(struct platform *p, const struct platform_config *cfg)
{
	const struct irq_line_sink *irq = &p->cb.irq;
	uint16_t cpus = cfg->nb_cpus ? cfg->nb_cpus : 1;
	uint64_t now = cfg->now_ns;

	line_buffer_init(&p->console, cfg->guest_prefix ? cfg->guest_prefix : PLATFORM_GUEST_PREFIX,
			 cfg->guest_line_max,
			 p->cb.guest_line ? p->cb.guest_line : platform_log_raw_line, p->cb.ctx);
	uart16550_init(&p->com1, UART_COM1_BASE, UART_COM1_IRQ, irq, platform_console_byte,
		       &p->console);
	fw_cfg_init(&p->fw_cfg, cfg->ram_below_4g + cfg->ram_above_4g, cpus,
		    cfg->max_cpus ? cfg->max_cpus : cpus);
	debug_exit_init(&p->debug_exit, p->cb.debug_exit, p->cb.ctx);
	pit8254_init(&p->pit, PIT_IRQ, irq, now);
	port61_init(&p->port61, &p->pit);
	rtc_cmos_init(&p->rtc, RTC_IRQ, irq, cfg->wall_clock_seconds, now);
	cmos_set_memory_sizes(&p->rtc, cfg->ram_below_4g, cfg->ram_above_4g);
	cmos_set_cpu_count(&p->rtc, cpus);
	reset_control_init(&p->reset, p->cb.reset, p->cb.ctx);
	pci_host_init(&p->pci, &p->reset);
	i8042_init(&p->kbc, &p->reset);
	post_port_init(&p->post);
	acpi_pm_init(&p->acpi, ACPI_SCI_IRQ, irq, p->cb.power_off, p->cb.ctx, now);
	pc_testdev_init(&p->testdev, irq);
}

static struct io_bus_range platform_block(const char *name, struct io_byte_block *b)
{
	return (struct io_bus_range){ b->base, b->count, name, &io_byte_block_ops, b };
}

static bool platform_register_ranges(struct io_bus *bus, const struct io_bus_range *r,
				     unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!io_bus_register(bus, r[i].base, r[i].count, r[i].name, r[i].ops, r[i].dev))
			return false;
	}
	return true;
}

/* Called after the devices are initialized: the byte blocks carry their ports. */
static bool platform_register_standard(struct platform *p, struct io_bus *bus)
{
	const struct io_bus_range ranges[] = {
		platform_block("i8042 data", &p->kbc.data_io),
		platform_block("pit", &p->pit.io),
		platform_block("port 0x61", &p->port61.io),
		platform_block("i8042 status", &p->kbc.command_io),
		platform_block("rtc-cmos", &p->rtc.io),
		platform_block("post", &p->post.io),
		platform_block("port 0x92", &p->reset.port92_io),
		{ DEBUG_EXIT_BASE, DEBUG_EXIT_COUNT, "debug-exit", &debug_exit_io_ops, &p->debug_exit },
		platform_block("com1", &p->com1.io),
		{ FW_CFG_PORT_SELECTOR, FW_CFG_PORT_COUNT, "fw_cfg", &fw_cfg_io_ops, &p->fw_cfg },
		platform_block("acpi-pm", &p->acpi.io),
		{ PCI_HOST_PORT_BASE, PCI_HOST_PORT_COUNT, "pci-conf1", &pci_host_io_ops, &p->pci },
	};
	return platform_register_ranges(bus, ranges, sizeof(ranges) / sizeof(ranges[0]));
}

static bool platform_register_testdev(struct platform *p, struct io_bus *bus)
{
	const struct io_bus_range ranges[] = {
		platform_block("pc-testdev scratch", &p->testdev.scratch_io),
		{ PC_TESTDEV_FLUSH, PC_TESTDEV_BLOCK, "pc-testdev flush", &pc_testdev_flush_io_ops,
		  &p->testdev },
		platform_block("pc-testdev scratch bytes", &p->testdev.scratch_byte_io),
		{ PC_TESTDEV_IRQ_BASE, PC_TESTDEV_IRQ_LINES, "pc-testdev irq",
		  &pc_testdev_irq_io_ops, &p->testdev },
	};
	return platform_register_ranges(bus, ranges, sizeof(ranges) / sizeof(ranges[0]));
}

bool platform_register_devices(struct platform *p, struct io_bus *bus,
			       const struct platform_config *cfg,
			       const struct platform_callbacks *cb)
{
	p->cb = cb ? *cb : (struct platform_callbacks){ 0 };
	p->bus = bus;
	p->now_ns = cfg->now_ns;
	p->testdev_enabled = cfg->pc_testdev;
	platform_init_devices(p, cfg);
	if (!platform_register_standard(p, bus))
		return false;
	return !cfg->pc_testdev || platform_register_testdev(p, bus);
}

void platform_set_time(struct platform *p, uint64_t now_ns)
{
	if (now_ns > p->now_ns)
		p->now_ns = now_ns;
	pit8254_set_time(&p->pit, now_ns);
	rtc_cmos_set_time(&p->rtc, now_ns);
	acpi_pm_set_time(&p->acpi, now_ns);
}

uint64_t platform_next_deadline(const struct platform *p)
{
	uint64_t deadline = pit8254_next_deadline(&p->pit);
	uint64_t rtc = rtc_cmos_next_deadline(&p->rtc);
	uint64_t acpi = acpi_pm_next_deadline(&p->acpi);

	if (rtc < deadline)
		deadline = rtc;
	return acpi < deadline ? acpi : deadline;
}

void platform_flush_console(struct platform *p)
{
	line_buffer_flush(&p->console);
}
