/* guest: what a test kernel provides and everything it may use from the library. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"
#include "console.h"
#include "delay.h"
#include "idt.h"
#include "lapic.h"
#include "percpu.h"
#include "report.h"
#include "safe.h"
#include "x86.h"

/*
 * A test kernel defines `const char guest_name[] = "name";` and guest_main(). The
 * library boots, quiesces the platform (PIC remapped and masked, IOAPIC pins masked,
 * LAPIC enabled with every LVT masked), runs guest_main() on the BSP with interrupts
 * disabled, then prints the summary and ends through debug-exit.
 */
void guest_main(void);

#endif
