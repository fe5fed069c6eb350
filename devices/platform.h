/* platform: the guest-visible PC platform: every device created, wired and registered at once. */
#ifndef NESTOR_DEVICES_PLATFORM_H
#define NESTOR_DEVICES_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/acpi_pm.h"
#include "devices/debug_exit.h"
#include "devices/fw_cfg.h"
#include "devices/i8042.h"
#include "devices/line_buffer.h"
#include "devices/pc_testdev.h"
#include "devices/pci_host.h"
#include "devices/pit8254.h"
#include "devices/port61.h"
#include "devices/post_port.h"
#include "devices/reset_control.h"
#include "devices/rtc_cmos.h"
#include "devices/uart16550.h"
#include "lib/io_bus.h"
#include "lib/irq_line.h"

#define PLATFORM_GUEST_PREFIX "[guest] "

struct platform_config {
	uint64_t ram_below_4g;		/* bytes of RAM below 4 GiB (CMOS 0x15-0x18, 0x30-0x35) */
	uint64_t ram_above_4g;		/* bytes above 4 GiB (CMOS 0x5b-0x5d) */
	uint16_t nb_cpus;		/* fw_cfg NB_CPUS, CMOS 0x5f; 0 means 1 */
	uint16_t max_cpus;		/* fw_cfg MAX_CPUS; 0 means nb_cpus */
	uint64_t wall_clock_seconds;	/* RTC time at now_ns, seconds since the epoch (UTC) */
	uint64_t now_ns;		/* the VM's clock when the devices start */
	const char *guest_prefix;	/* NULL: PLATFORM_GUEST_PREFIX */
	size_t guest_line_max;		/* 0: LINE_BUFFER_CAPACITY */
	bool pc_testdev;		/* QEMU's -device pc-testdev ports (0xe0-0xeb, 0x2000-0x2017) */
};

/* What the devices need from the VM; any function may be NULL. */
struct platform_callbacks {
	void *ctx;
	/* ISA IRQ numbers (0-23); the VM routes them to its vPIC and vIOAPIC. */
	struct irq_line_sink irq;
	/* One finished guest console line, prefix and '\n' included; NULL: log_raw. */
	line_emit_fn guest_line;
	/* isa-debug-exit: the run ends with status (value << 1) | 1. */
	void (*debug_exit)(void *ctx, uint32_t value);
	/* ACPI S5: the guest powered off. */
	void (*power_off)(void *ctx);
	/* Any reset mechanism (source names it): the run ends with a report. */
	void (*reset)(void *ctx, const char *source);
};

/*
 * All device state for one VM, in caller-provided (static) storage. Not locked: the VM
 * must serialize port dispatch for this bus and the calls below under one lock.
 */
struct platform {
	struct platform_callbacks cb;
	struct io_bus *bus;
	uint64_t now_ns;
	bool testdev_enabled;
	struct line_buffer console;
	struct uart16550 com1;
	struct fw_cfg fw_cfg;
	struct debug_exit debug_exit;
	struct pit8254 pit;
	struct port61 port61;
	struct rtc_cmos rtc;
	struct reset_control reset;
	struct pci_host pci;
	struct i8042 kbc;
	struct post_port post;
	struct acpi_pm acpi;
	struct pc_testdev testdev;
};

/*
 * Creates every device at its standard ports and IRQs (docs/devices.md) and registers
 * it on bus. False (logged by io_bus) when a range could not be registered.
 */
bool platform_register_devices(struct platform *p, struct io_bus *bus,
			       const struct platform_config *cfg,
			       const struct platform_callbacks *cb);
/* Call with the VM's time before dispatching guest port I/O and when a deadline passes. */
void platform_set_time(struct platform *p, uint64_t now_ns);
/* The earliest device deadline (absolute ns) for the host timer, or DEVICE_NO_DEADLINE. */
uint64_t platform_next_deadline(const struct platform *p);
/* Emits a partial last guest line, e.g. at the end of a run. */
void platform_flush_console(struct platform *p);
/* Per-device counts for the end-of-run report, through log_info. */
void platform_log_stats(const struct platform *p);

#endif
