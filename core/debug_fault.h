/* debug_fault: deliberate crashes that prove the crash report works (option fault=). */
#ifndef NESTOR_CORE_DEBUG_FAULT_H
#define NESTOR_CORE_DEBUG_FAULT_H

#include "lib/options.h"

void debug_fault_trigger(enum debug_fault fault);

#endif
