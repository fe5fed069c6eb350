/* backtrace: walking nestor's frame-pointer chain and naming each function. */
#ifndef NESTOR_ARCH_X86_BACKTRACE_H
#define NESTOR_ARCH_X86_BACKTRACE_H

#include <stdint.h>

/* Logs (at error level) frame #0 at rip, then the callers found through rbp. */
void backtrace_log(uintptr_t rip, uintptr_t rbp);

#endif
