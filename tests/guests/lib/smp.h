/* smp: starting the application processors by INIT/SIPI and running work on them. */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdbool.h>
#include <stdint.h>

/* CPUs the platform says it has: fw_cfg FW_CFG_NB_CPUS, 1 without fw_cfg. */
unsigned smp_expected_cpus(void);
/* INIT-SIPI-SIPI to all but self; waits for `expected` CPUs. Returns the CPUs online. */
unsigned smp_start_aps(unsigned expected);
unsigned smp_online_cpus(void);

/* Hands fn(arg) to an idle AP; smp_wait_done() waits for it to return. */
void smp_run_on(unsigned cpu, void (*fn)(void *), void *arg);
bool smp_wait_done(unsigned cpu, uint64_t timeout_us);

#endif
