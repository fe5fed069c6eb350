/* run_end: how a nestor run ends, with a status a harness can read. */
#include "drivers/run_end.h"

#include "arch/x86/cpu.h"
#include "lib/log.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900

const char *run_status_name(unsigned status)
{
	switch (status) {
	case RUN_STATUS_PASS: return "pass";
	case RUN_STATUS_FAIL: return "fail";
	case RUN_STATUS_VM_STOPPED: return "VM stopped by nestor";
	case RUN_STATUS_CONFIG_ERROR: return "configuration error";
	case RUN_STATUS_CRASH: return "nestor crashed";
	default: return "guest status";
	}
}

void run_end(unsigned status)
{
	log_always("run ended: status %#x (%s)", status, run_status_name(status));
	/* QEMU's isa-debug-exit: the process exits here with (status << 1) | 1. */
	outb(QEMU_DEBUG_EXIT_PORT, (uint8_t)status);
	/* Bochs ends the simulation when it sees this string on its shutdown port. */
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	cpu_halt_forever();
}
