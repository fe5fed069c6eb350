/* debug_fault: deliberate crashes that prove the crash report works (option fault=). */
#include "core/debug_fault.h"

#include <stdint.h>

#include "arch/x86/panic.h"
#include "lib/log.h"

/* Each fault lives in its own non-inlined function so the backtrace names it. */

static __attribute__((noinline)) void debug_fault_page_fault(void)
{
	/* Far above anything nestor maps (and canonical), so the walk finds no PML4 entry. */
	volatile uint64_t *p = (volatile uint64_t *)0x00007f0000000000ull;
	(void)*p;
}

static __attribute__((noinline)) void debug_fault_general_protection(void)
{
	volatile uint64_t *p = (volatile uint64_t *)0x8000000000000000ull;	/* non-canonical */
	(void)*p;
}

static __attribute__((noinline)) void debug_fault_invalid_opcode(void)
{
	__asm__ volatile("ud2");
}

static __attribute__((noinline)) void debug_fault_divide(void)
{
	volatile unsigned zero = 0;
	volatile unsigned r = 1u / zero;
	(void)r;
}

static __attribute__((noinline)) void debug_fault_panic(void)
{
	panic("deliberate panic requested by fault=panic");
}

void debug_fault_trigger(enum debug_fault fault)
{
	/* The backend's own failures happen inside the VM's run (vm->test_fault). */
	if (fault == FAULT_NONE || fault == FAULT_VMWRITE || fault == FAULT_INVEPT)
		return;
	log_warn("fault=%d requested: crashing on purpose", (int)fault);
	switch (fault) {
	case FAULT_PAGE: debug_fault_page_fault(); break;
	case FAULT_GP: debug_fault_general_protection(); break;
	case FAULT_UD: debug_fault_invalid_opcode(); break;
	case FAULT_DIVIDE: debug_fault_divide(); break;
	case FAULT_PANIC: debug_fault_panic(); break;
	case FAULT_NONE:
	case FAULT_VMWRITE:
	case FAULT_INVEPT: break;
	}
	panic("fault=%d did not fault", (int)fault);
}
