/* triple_fault: a deliberate triple fault; the machine must stop, this guest never ends itself. */
#include "guest.h"

const char guest_name[] = "triple_fault";

/*
 * With an empty IDT, #UD cannot be delivered and becomes #GP, which cannot be delivered
 * either and becomes #DF; a #DF that cannot be delivered is a triple fault, and the
 * processor enters shutdown (SDM Vol. 3A, 6.15, interrupt 8). On bare QEMU with
 * -no-reboot that ends QEMU with status 0; under nestor the VM stops with a report.
 * Either way this guest prints no SUMMARY and writes no debug-exit status.
 */
void guest_main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	con_printf("TRIPLE-FAULT now: loading an empty IDT and executing UD2");
	asm volatile("lidt %0; ud2" : : "m"(empty) : "memory");

	/* Unreachable on a correct platform. */
	idt_load();
	report_fail("triple-fault", "execution continued after the triple fault");
}
