/* takeover: the moment nestor replaces the firmware's CPU state with its own. */
#include "arch/x86/takeover.h"

#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "drivers/run_end.h"
#include "lib/boot_info.h"
#include "lib/log.h"
#include "lib/page_alloc.h"

void arch_switch_stack(uintptr_t top, void (*fn)(void *), void *arg);

/* What runs on nestor's own stack; the layer above passes it in (it is nestor_main). */
static void (*takeover_next)(struct boot_info *);

static void takeover_enter_main(void *arg)
{
	takeover_next(arg);
	run_end(RUN_STATUS_CRASH);	/* next never returns; if it did, say so */
}

void arch_take_machine(struct boot_info *bi, void (*next)(struct boot_info *))
{
	takeover_next = next;
	/* The firmware's interrupt handlers are gone with its boot services. */
	cpu_irq_disable();

	if (!page_pool_init(&nestor_pages, bi->pool_base, bi->pool_pages)) {
		log_error("takeover: bad page pool %#lx (+%zu pages)", (unsigned long)bi->pool_base,
			  bi->pool_pages);
		run_end(RUN_STATUS_CRASH);
	}
	struct percpu *bsp = percpu_create(0, 0);
	uint64_t cr3 = paging_build_identity(bi);
	if (!bsp || !cr3) {
		log_error("takeover: out of pages for the boot CPU's tables");
		run_end(RUN_STATUS_CRASH);
	}
	percpu_load(bsp);
	idt_init();
	idt_load();
	/* Our map covers everything the firmware's did that nestor uses: image, pool, stacks. */
	write_cr3(cr3);
	arch_switch_stack(bsp->stack_top, takeover_enter_main, bi);
	__builtin_unreachable();
}
