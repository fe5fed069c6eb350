/* main: l1vmm, the test VMM inside L1: runs one scenario's payload as L2 and judges its end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmm.h"

struct vmm vmm;

static const char *const result_words[] = {
	[RESULT_PASS] = "pass", [RESULT_FAIL] = "fail", [RESULT_ERROR] = "error",
	[RESULT_REPRODUCED] = "reproduced",
};

uint64_t vmm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static pthread_mutex_t say_lock = PTHREAD_MUTEX_INITIALIZER;

void vmm_say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&say_lock);
	va_start(ap, fmt);
	fputs("L1VMM: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
	pthread_mutex_unlock(&say_lock);
}

/*
 * Whichever thread decides first (a vCPU seeing the payload's end or a fatal exit, the
 * watchdog, the run timeout) prints the result; any other caller waits to be ended with
 * the process. exit() ends vCPU threads that are still inside KVM_RUN with it, and closing
 * the VM's descriptors destroys it.
 */
void vmm_finish(enum vmm_result r, const char *fmt, ...)
{
	static int finished;
	char detail[512];
	va_list ap;

	if (__atomic_exchange_n(&finished, 1, __ATOMIC_SEQ_CST)) {
		for (;;)
			pause();
	}
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&vmm.dev_lock);	/* no device thread prints any more */
	platform_flush_console(&vmm.platform);
	if (vmm.scenario)
		watchdog_report_totals(&vmm);
	vmm_say("time: %.2f s", (double)(vmm_now_ns() - vmm.start_ns) / 1e9);
	vmm_say("result: %s: %s (%s)", vmm.scenario ? vmm.scenario->name : vmm.opt.scenario,
		result_words[r], detail);
	fflush(stdout);
	exit((int)r);
}

int main(int argc, char **argv)
{
	struct guest_entry entry;
	bool list = false;
	pthread_t watchdog, timer;

	setvbuf(stdout, NULL, _IOLBF, 0);
	vmm.start_ns = vmm_now_ns();
	/* Recursive: a device callback (debug-exit, power-off) ends the run under the lock. */
	pthread_mutexattr_t recursive;
	pthread_mutexattr_init(&recursive);
	pthread_mutexattr_settype(&recursive, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&vmm.dev_lock, &recursive);
	if (!vmm_options_parse(&vmm.opt, argc, argv, &list)) {
		vmm_options_usage();
		return RESULT_ERROR;
	}
	if (list) {
		scenario_list();
		return 0;
	}
	vmm.scenario = scenario_find(vmm.opt.scenario);
	if (!vmm.scenario)
		vmm_finish(RESULT_ERROR, "no scenario %s (l1vmm --list)", vmm.opt.scenario);
	vmm.nvcpus = vmm.opt.vcpus;
	vmm_say("scenario %s: %s", vmm.scenario->name, vmm.scenario->about);
	vmm_say("config: irqchip=%s ioapic=%#x vcpus=%u x2apic=%s timeout=%us stall=%us "
		"livelock-rate=%u/s", vmm.opt.irqchip == IRQCHIP_SPLIT ? "split" : "kernel",
		vmm.opt.ioapic_version, vmm.nvcpus, vmm.opt.x2apic ? "on" : "off",
		vmm.opt.timeout_s, vmm.opt.stall_s, vmm.opt.livelock_rate);

	vm_create(&vmm);
	devices_create(&vmm);
	if (vmm.opt.irqchip == IRQCHIP_SPLIT)
		split_irq_create(&vmm);
	vm_load_payload(&vmm, &entry);
	for (unsigned i = 0; i < vmm.nvcpus; i++)
		vcpu_create(&vmm, &vmm.vcpu[i], &entry);
	pthread_create(&timer, NULL, devices_timer_thread, &vmm);
	pthread_create(&watchdog, NULL, watchdog_thread, &vmm);
	for (unsigned i = 0; i < vmm.nvcpus; i++)
		vcpu_start(&vmm, &vmm.vcpu[i]);
	pthread_join(watchdog, NULL);
	vmm_finish(RESULT_ERROR, "watchdog ended without a verdict");
}
