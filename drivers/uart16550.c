/* uart16550: nestor's own serial console on the host's COM1. */
#include "drivers/uart16550.h"

#include "arch/x86/cpu.h"

#define UART_THR 0	/* transmit holding register (DLAB=0) */
#define UART_DLL 0	/* divisor latch low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20

/* Bounded wait: a missing UART must not hang nestor (the 0xE9 mirror still works). */
#define UART_SPIN_LIMIT 1000000

void uart_init(uint16_t base)
{
	outb(base + UART_IER, 0x00);	/* no interrupts: nestor polls */
	outb(base + UART_LCR, 0x80);	/* DLAB on to reach the divisor latch */
	outb(base + UART_DLL, 0x01);	/* 115200 baud */
	outb(base + UART_DLM, 0x00);
	outb(base + UART_LCR, 0x03);	/* 8N1, DLAB off */
	outb(base + UART_FCR, 0x07);	/* FIFO on, both FIFOs cleared */
	outb(base + UART_MCR, 0x03);	/* DTR, RTS */
}

/*
 * Wait for THRE before every byte: emulated UARTs (Bochs in particular) drop bytes
 * written while the holding register is still full.
 */
static void uart_putc(uint16_t base, char c)
{
	for (int i = 0; i < UART_SPIN_LIMIT; i++) {
		if (inb(base + UART_LSR) & UART_LSR_THRE)
			break;
		cpu_pause();
	}
	outb(base + UART_THR, (uint8_t)c);
}

void uart_write(uint16_t base, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			uart_putc(base, '\r');
		uart_putc(base, text[i]);
	}
}
