/* uart16550: a 16550A UART (COM1) whose transmitter is instantaneous and whose line is a console. */
#include "devices/uart16550.h"

#include "devices/dev_log.h"
#include "lib/string.h"

enum uart_log_reason { UART_LOG_IER_RESERVED, UART_LOG_FCR_RESERVED, UART_LOG_MCR_RESERVED,
		       UART_LOG_STATUS_WRITE };

/*
 * Output is instantaneous: THR empties the moment it is written, so LSR always shows
 * THRE|TEMT. Writing THR clears a pending THRE interrupt and the emptied THR raises it
 * again, which gives the interrupt controller a fresh edge per byte, as a real UART
 * does once its shift register has sent the character.
 */
static void uart16550_transmit(struct uart16550 *u, uint8_t byte)
{
	u->thre_pending = false;
	uart16550_update_irq(u);
	if (u->mcr & UART_MCR_LOOP) {
		uart16550_receive(u, byte);
	} else {
		u->stats.tx_bytes++;
		if (u->tx)
			u->tx(u->tx_ctx, byte);
	}
	u->thre_pending = true;
	uart16550_update_irq(u);
}

/*
 * The THRE interrupt is latched when IER.ETBEI goes 0->1 with THR empty (always, here).
 * Linux's 8250 startup test relies on it: IER=THRI, read IIR (THRE, which clears it),
 * IER=0, IER=THRI, read IIR again, and expects THRE a second time.
 */
static void uart16550_write_ier(struct uart16550 *u, uint8_t value)
{
	uint8_t ier = value & 0x0f;

	if (value & 0xf0) {
		u->stats.ignored_writes++;
		dev_log_once(&u->logged, UART_LOG_IER_RESERVED, LOG_DEBUG,
			     "uart %#x: IER bits 7:4 are reserved on a 16550A (wrote %#x)", u->io.base, value);
	}
	if ((ier & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
		u->thre_pending = true;
	if (!(ier & UART_IER_THRI))
		u->thre_pending = false;
	u->ier = ier;
	uart16550_update_irq(u);
}

/* FCR bits other than bit 0 are only programmed while bit 0 is set (16550A datasheet). */
static void uart16550_write_fcr(struct uart16550 *u, uint8_t value)
{
	bool enable = value & UART_FCR_ENABLE;

	if (enable != u->fifo_enabled)
		uart16550_rx_clear(u);	/* switching modes resets both FIFOs */
	u->fifo_enabled = enable;
	if (enable) {
		if (value & UART_FCR_CLEAR_RX)
			uart16550_rx_clear(u);
		u->fcr_trigger = value & 0xc0;
		u->fcr_dma = value & UART_FCR_DMA;
		if (value & 0x30) {
			u->stats.ignored_writes++;
			dev_log_once(&u->logged, UART_LOG_FCR_RESERVED, LOG_DEBUG,
				     "uart %#x: FCR bits 5:4 are reserved on a 16550A (wrote %#x)",
				     u->io.base, value);
		}
	}
	uart16550_update_irq(u);
}

/* Changing the modem inputs (only possible in loopback) latches the MSR delta bits. */
static void uart16550_write_mcr(struct uart16550 *u, uint8_t value)
{
	uint8_t before = uart16550_modem_status(u), after, changed;

	if (value & ~UART_MCR_MASK) {
		u->stats.ignored_writes++;
		dev_log_once(&u->logged, UART_LOG_MCR_RESERVED, LOG_DEBUG,
			     "uart %#x: MCR bits 7:5 are reserved on a 16550A (wrote %#x)", u->io.base, value);
	}
	u->mcr = value & UART_MCR_MASK;
	after = uart16550_modem_status(u);
	changed = before ^ after;
	u->msr_deltas |= (uint8_t)((changed & (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)) >> 4);
	if ((before & UART_MSR_RI) && !(after & UART_MSR_RI))
		u->msr_deltas |= UART_MSR_TERI;
	uart16550_update_irq(u);
}

static uint8_t uart16550_read_reg(void *dev, unsigned offset)
{
	struct uart16550 *u = dev;
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t value;

	switch (offset) {
	case UART_RBR_THR_DLL:
		if (dlab)
			return u->dll;
		value = uart16550_rx_pop(u);
		uart16550_update_irq(u);
		return value;
	case UART_IER_DLM:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		value = uart16550_pending_iir(u);
		/* Reading IIR while it reports THRE is what acknowledges THRE. */
		if (value == UART_IIR_THRI) {
			u->thre_pending = false;
			uart16550_update_irq(u);
		}
		return value | (u->fifo_enabled ? UART_IIR_FIFOS : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		value = (u->rx_count ? UART_LSR_DR : 0) | UART_LSR_THRE | UART_LSR_TEMT | u->lsr_errors;
		u->lsr_errors = 0;
		uart16550_update_irq(u);
		return value;
	case UART_MSR:
		value = uart16550_modem_status(u) | u->msr_deltas;
		u->msr_deltas = 0;
		uart16550_update_irq(u);
		return value;
	default:
		return u->scr;
	}
}

static void uart16550_write_reg(void *dev, unsigned offset, uint8_t value)
{
	struct uart16550 *u = dev;
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (offset) {
	case UART_RBR_THR_DLL:
		if (dlab)
			u->dll = value;
		else
			uart16550_transmit(u, value);
		break;
	case UART_IER_DLM:
		if (dlab)
			u->dlm = value;
		else
			uart16550_write_ier(u, value);
		break;
	case UART_IIR_FCR:
		uart16550_write_fcr(u, value);
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		uart16550_write_mcr(u, value);
		break;
	case UART_LSR:
	case UART_MSR:
		/* Read-only status (some parts use these writes for factory test only). */
		u->stats.ignored_writes++;
		dev_log_once(&u->logged, UART_LOG_STATUS_WRITE, LOG_DEBUG,
			     "uart %#x: write %#x to read-only %s ignored", u->io.base, value,
			     offset == UART_LSR ? "LSR" : "MSR");
		break;
	default:
		u->scr = value;
		break;
	}
}

void uart16550_init(struct uart16550 *u, uint16_t base, unsigned irq,
		    const struct irq_line_sink *irq_sink, uart_tx_fn tx, void *tx_ctx)
{
	memset(u, 0, sizeof(*u));
	io_byte_block_init(&u->io, base, UART_PORT_COUNT, uart16550_read_reg, uart16550_write_reg, u);
	u->dll = 1;
	dev_irq_init(&u->irq, irq_sink, irq);
	u->tx = tx;
	u->tx_ctx = tx_ctx;
}
