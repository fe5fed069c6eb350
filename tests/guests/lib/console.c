/* console: a polled 16550 on COM1 (0x3f8), the only output channel of a test guest. */
#include "console.h"

#include <stdbool.h>

#include "lib/format.h"
#include "lib/spinlock.h"
#include "x86.h"

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding register (DLAB = 0) */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch (DLAB = 1) */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_THRE	0x20	/* transmit holding register empty */
#define LCR_DLAB	0x80
#define LCR_8N1		0x03

/* A missing UART reads as all ones or never empties: give up on a character, never hang. */
#define UART_POLL_LIMIT	1000000

/*
 * Lines from different CPUs must not interleave, but a CPU that faults while printing
 * must still be able to print its report: after a bounded wait the line goes out anyway.
 */
#define LOCK_SPIN_LIMIT	10000000

static struct spinlock con_lock = SPINLOCK_INIT;

static bool con_lock_acquire(void)
{
	for (int i = 0; i < LOCK_SPIN_LIMIT; i++) {
		if (spin_trylock(&con_lock))
			return true;
		cpu_relax();
	}
	return false;
}

static void con_lock_release(bool held)
{
	if (held)
		spin_unlock(&con_lock);
}

void con_init(void)
{
	outb(COM1 + UART_IER, 0);		/* polled: no UART interrupts */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);		/* 115200 baud */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07);		/* enable and clear the FIFOs */
	outb(COM1 + UART_MCR, 0x03);		/* DTR, RTS; OUT2 clear keeps IRQ4 quiet */
}

static void con_putc(char c)
{
	for (int i = 0; i < UART_POLL_LIMIT; i++) {
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_THR, (unsigned char)c);
}

static void con_puts_locked(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			con_putc('\r');
		con_putc(*s);
	}
}

void con_write(const char *s)
{
	bool held = con_lock_acquire();

	con_puts_locked(s);
	con_lock_release(held);
}

void con_vprintf(const char *fmt, va_list ap)
{
	char line[256];

	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	bool held = con_lock_acquire();
	con_puts_locked("[");
	con_puts_locked(guest_name);
	con_puts_locked("] ");
	con_puts_locked(line);
	con_puts_locked("\n");
	con_lock_release(held);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}
