/* console: where nestor's log goes: COM1, mirrored to port 0xE9 when the platform has it. */
#include "drivers/console.h"

#include "arch/x86/cpu.h"
#include "drivers/uart16550.h"
#include "lib/log.h"

#define CONSOLE_COM1 0x3f8
#define CONSOLE_E9 0xe9

static bool console_e9;

static void console_sink(const char *text, size_t len)
{
	uart_write(CONSOLE_COM1, text, len);
	if (console_e9)
		for (size_t i = 0; i < len; i++)
			outb(CONSOLE_E9, (uint8_t)text[i]);
}

/*
 * Bochs's port_e9_hack and QEMU's isa-debugcon both answer a read of port 0xE9 with
 * 0xE9; an empty ISA port reads 0xFF. That is how the mirror is detected.
 */
void console_init(void)
{
	uart_init(CONSOLE_COM1);
	console_e9 = inb(CONSOLE_E9) == CONSOLE_E9;
	log_set_sink(console_sink);
}

bool console_has_e9(void)
{
	return console_e9;
}
