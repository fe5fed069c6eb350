/* uart16550_intr: which interrupt the UART reports, in the 16550A's priority order, and its line. */
#include "devices/uart16550.h"

/*
 * Modem inputs. In loopback (MCR bit 4) the outputs are wired back inside the chip:
 * DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD, which is what Linux's 8250 probe checks
 * (it writes LOOP|RTS|OUT2 and expects CTS|DCD, 0x90, in MSR[7:4]).
 */
uint8_t uart16550_modem_status(const struct uart16550 *u)
{
	uint8_t msr = 0;

	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_CONSOLE;
	if (u->mcr & UART_MCR_DTR)
		msr |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_RTS)
		msr |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_OUT1)
		msr |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		msr |= UART_MSR_DCD;
	return msr;
}

/*
 * 16550A datasheet, IIR table: receiver line status > received data (or character
 * timeout when the FIFO holds less than the trigger level) > THR empty > modem status.
 * With no character clock, a FIFO below its trigger level times out at once.
 */
uint8_t uart16550_pending_iir(const struct uart16550 *u)
{
	if ((u->ier & UART_IER_RLSI) && u->lsr_errors)
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->rx_count) {
		if (!u->fifo_enabled || u->rx_count >= uart16550_rx_trigger_level(u))
			return UART_IIR_RDI;
		return UART_IIR_CTI;
	}
	if ((u->ier & UART_IER_THRI) && u->thre_pending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && u->msr_deltas)
		return UART_IIR_MSI;
	return UART_IIR_NONE;
}

/*
 * On a PC the UART's INTR pin reaches the ISA IRQ line only through a buffer enabled
 * by OUT2, and loopback forces OUT2 inactive; Linux sets OUT2 for exactly this reason.
 */
void uart16550_update_irq(struct uart16550 *u)
{
	bool level = uart16550_pending_iir(u) != UART_IIR_NONE && (u->mcr & UART_MCR_OUT2) &&
		     !(u->mcr & UART_MCR_LOOP);

	dev_irq_set(&u->irq, level);
}
