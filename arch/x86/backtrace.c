/* backtrace: walking nestor's frame-pointer chain and naming each function. */
#include "arch/x86/backtrace.h"

#include "arch/x86/percpu.h"
#include "lib/log.h"
#include "lib/symbols.h"

#define BACKTRACE_MAX_FRAMES 32

static void backtrace_frame(unsigned n, uintptr_t addr, uintptr_t lookup)
{
	uint64_t within;
	const char *name = symbols_lookup(lookup, &within);
	if (name)
		log_error("  #%-2u 0x%016lx %s+%#lx", n, (unsigned long)addr, name,
			  (unsigned long)(within + (addr - lookup)));
	else
		log_error("  #%-2u 0x%016lx ?", n, (unsigned long)addr);
}

/*
 * nestor is built with -fno-omit-frame-pointer, so [rbp] is the caller's rbp and
 * [rbp+8] the return address. Each step is checked before it is read: the frame must
 * be 8-aligned, on this CPU's stack, and above the previous one, so a corrupted chain
 * ends the walk instead of faulting inside the crash report.
 */
void backtrace_log(uintptr_t rip, uintptr_t rbp)
{
	log_error("backtrace:");
	backtrace_frame(0, rip, rip);
	for (unsigned n = 1; n < BACKTRACE_MAX_FRAMES; n++) {
		if (!rbp || (rbp & 7) || !percpu_on_stack(rbp, 16))
			return;
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t ret = frame[1];
		if (!ret)
			return;
		/* ret points after the call; ret - 1 is inside the calling function. */
		backtrace_frame(n, ret, ret - 1);
		if (frame[0] <= rbp)
			return;
		rbp = frame[0];
	}
}
