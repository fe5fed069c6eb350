/* ram_zero: the RAM a guest is given holds nothing of whoever used it before. */
#include "guest.h"

const char guest_name[] = "ram_zero";

/*
 * Guest RAM that still holds the firmware's or a previous run's bytes leaks host data into
 * the guest and makes runs differ from one another. Every 4 KiB page of upper memory
 * beyond this kernel's own image (page tables and stacks included) is sampled: its first,
 * middle and last quadword must be zero. The top 1 MiB is left out, where a loader may
 * place its tables; so is everything below 1 MiB (BIOS and boot data live there).
 */
extern char __bss_end[];

void guest_main(void)
{
	if (!report_check(bootinfo.has_mem, "memory-size", "no multiboot memory size"))
		return;
	uint64_t start = ((uint64_t)(uintptr_t)__bss_end + 0x1fffff) & ~0x1fffffull;
	uint64_t end = 0x100000 + (uint64_t)bootinfo.mem_upper_kb * 1024 - 0x100000;
	uint64_t pages = 0, dirty = 0, first = 0;
	for (uint64_t page = start; page + 0x1000 <= end; page += 0x1000) {
		const volatile uint64_t *q = (const volatile uint64_t *)(uintptr_t)page;
		pages++;
		if (q[0] | q[256] | q[511]) {
			if (!dirty++)
				first = page;
		}
	}
	report_info("sampled %lu pages in [%#lx, %#lx)", (unsigned long)pages, (unsigned long)start,
		    (unsigned long)end);
	report_check(pages > 1000 && dirty == 0, "upper-ram-zero",
		     "%lu of %lu pages hold data, the first at %#lx", (unsigned long)dirty,
		     (unsigned long)pages, (unsigned long)first);
}
