/* banner: the first line of every run. */
#include "core/banner.h"

#include "lib/log.h"

void banner_print(void)
{
	log_always("nestor " NESTOR_VERSION " - EFI type-1 hypervisor for x86-64 "
		 "interrupt-virtualization testing");
}
