/* console: where nestor's log goes: COM1, mirrored to port 0xE9 when the platform has it. */
#ifndef NESTOR_DRIVERS_CONSOLE_H
#define NESTOR_DRIVERS_CONSOLE_H

#include <stdbool.h>

void console_init(void);
bool console_has_e9(void);

#endif
