/* uart16550_rx: the UART's receive side: RBR or the 16-byte FIFO, fed by loopback or the host. */
#include "devices/uart16550.h"

unsigned uart16550_rx_trigger_level(const struct uart16550 *u)
{
	static const uint8_t levels[4] = { 1, 4, 8, 14 };
	return levels[(u->fcr_trigger >> 6) & 3];
}

/*
 * Overrun: in FIFO mode the character in the shift register is lost and the FIFO kept;
 * in 16450 mode the new character overwrites RBR. Either way LSR.OE is set.
 */
bool uart16550_receive(struct uart16550 *u, uint8_t byte)
{
	bool stored = true;

	if (!u->fifo_enabled && u->rx_count) {
		u->rx[u->rx_head] = byte;
		stored = false;
	} else if (u->rx_count == UART_FIFO_SIZE) {
		stored = false;
	} else {
		u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
		u->rx_count++;
	}
	if (stored) {
		u->stats.rx_bytes++;
	} else {
		u->lsr_errors |= UART_LSR_OE;
		u->stats.rx_overruns++;
	}
	uart16550_update_irq(u);
	return stored;
}

/* Reading RBR with nothing received returns the last byte again, as the latch does. */
uint8_t uart16550_rx_pop(struct uart16550 *u)
{
	if (!u->rx_count)
		return u->rbr;
	u->rbr = u->rx[u->rx_head];
	u->rx_head = (uint8_t)((u->rx_head + 1) % UART_FIFO_SIZE);
	u->rx_count--;
	return u->rbr;
}

void uart16550_rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}
