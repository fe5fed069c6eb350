/* takeover: the moment nestor replaces the firmware's CPU state with its own. */
#ifndef NESTOR_ARCH_X86_TAKEOVER_H
#define NESTOR_ARCH_X86_TAKEOVER_H

struct boot_info;

/*
 * Called right after ExitBootServices: starts nestor's page pool, loads nestor's own
 * GDT/TSS/IDT and page tables, moves to nestor's own stack and calls `next` there
 * (nestor_main: passed in, since arch/ sits below core/ and never names it).
 */
__attribute__((noreturn)) void arch_take_machine(struct boot_info *bi,
						 void (*next)(struct boot_info *));

#endif
