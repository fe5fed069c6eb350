/* main: the BSP's path from boot.S to guest_main() and the final report. */
#include "guest.h"

#include "ioapic.h"
#include "pic.h"

/* Called by boot.S on the BSP, in long mode with the boot stack. */
void guest_start(void);
void guest_start(void)
{
	percpu_init(0);
	con_init();
	bootinfo_init();
	idt_init();

	/* Whatever firmware ran before us left the PIC and timers live: silence them first. */
	pic_init(PIC_MASTER_BASE, PIC_SLAVE_BASE);
	ioapic_mask_all();
	lapic_setup();
	this_cpu()->apic_id = lapic_id();
	this_cpu()->online = true;

	con_printf("START cmdline=\"%s\"", bootinfo.cmdline);
	if (bootinfo.magic != MULTIBOOT_BOOTLOADER_MAGIC)
		report_fail("multiboot-magic", "EAX at entry was %#x", bootinfo.magic);

	guest_main();
	irq_disable();
	report_finish();
}
