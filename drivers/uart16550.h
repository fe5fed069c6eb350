/* uart16550: nestor's own serial console on the host's COM1. */
#ifndef NESTOR_DRIVERS_UART16550_H
#define NESTOR_DRIVERS_UART16550_H

#include <stddef.h>
#include <stdint.h>

void uart_init(uint16_t base);
void uart_write(uint16_t base, const char *text, size_t len);

#endif
