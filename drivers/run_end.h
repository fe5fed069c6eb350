/* run_end: how a nestor run ends, with a status a harness can read. */
#ifndef NESTOR_DRIVERS_RUN_END_H
#define NESTOR_DRIVERS_RUN_END_H

/*
 * Under QEMU the status leaves through isa-debug-exit (port 0xf4), so QEMU exits with
 * (status << 1) | 1; under Bochs (which always exits 1) the closing log line
 * "run ended: status 0x.. (...)" is what a harness reads.
 * 0x10/0x11 are shared with the test guests' own pass/fail convention; nestor's own
 * outcomes use values no guest test uses.
 */
enum run_status {
	RUN_STATUS_PASS = 0x10,		/* QEMU exit 33 */
	RUN_STATUS_FAIL = 0x11,		/* QEMU exit 35 */
	RUN_STATUS_VM_STOPPED = 0x7c,	/* a VM was stopped by nestor with a report: 249 */
	RUN_STATUS_CONFIG_ERROR = 0x7d,	/* bad options or missing files: 251 */
	RUN_STATUS_CRASH = 0x7e,	/* nestor itself crashed (panic/exception): 253 */
};

const char *run_status_name(unsigned status);
__attribute__((noreturn)) void run_end(unsigned status);

#endif
