/* uart16550: a 16550A UART (COM1) whose transmitter is instantaneous and whose line is a console. */
#ifndef NESTOR_DEVICES_UART16550_H
#define NESTOR_DEVICES_UART16550_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/dev_irq.h"
#include "devices/io_split.h"
#include "lib/io_bus.h"
#include "lib/irq_line.h"

#define UART_COM1_BASE  0x3f8
#define UART_COM1_IRQ   4
#define UART_PORT_COUNT 8
#define UART_FIFO_SIZE  16

/* Register offsets from the base port (DLAB selects DLL/DLM at 0 and 1). */
enum uart_reg {
	UART_RBR_THR_DLL = 0,
	UART_IER_DLM = 1,
	UART_IIR_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_IER_RDI  0x01	/* received data available */
#define UART_IER_THRI 0x02	/* transmitter holding register empty */
#define UART_IER_RLSI 0x04	/* receiver line status */
#define UART_IER_MSI  0x08	/* modem status */

#define UART_IIR_NONE  0x01
#define UART_IIR_MSI   0x00
#define UART_IIR_THRI  0x02
#define UART_IIR_RDI   0x04
#define UART_IIR_RLSI  0x06
#define UART_IIR_CTI   0x0c
#define UART_IIR_FIFOS 0xc0

#define UART_FCR_ENABLE   0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04
#define UART_FCR_DMA      0x08

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR  0x01
#define UART_MCR_RTS  0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f

#define UART_LSR_DR    0x01
#define UART_LSR_OE    0x02
#define UART_LSR_BI    0x10
#define UART_LSR_THRE  0x20
#define UART_LSR_TEMT  0x40
#define UART_LSR_ERRORS 0x1e

#define UART_MSR_DELTAS 0x0f
#define UART_MSR_TERI   0x04
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80
/* Our console is a terminal that is always there: CTS, DSR and DCD asserted. */
#define UART_MSR_CONSOLE (UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS)

/* One transmitted byte (not in loopback mode). */
typedef void (*uart_tx_fn)(void *ctx, uint8_t byte);

struct uart16550_stats {
	uint64_t tx_bytes;
	uint64_t rx_bytes;		/* bytes received (loopback or uart16550_receive) */
	uint64_t rx_overruns;
	uint64_t ignored_writes;	/* LSR/MSR writes, reserved bits */
};

struct uart16550 {
	struct io_byte_block io;	/* register with io_byte_block_ops */
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t lsr_errors;		/* OE/PE/FE/BI latched until LSR is read */
	uint8_t msr_deltas;		/* DCTS/DDSR/TERI/DDCD latched until MSR is read */
	bool fifo_enabled;
	uint8_t fcr_trigger;		/* FCR bits 7:6 */
	bool fcr_dma;
	bool thre_pending;		/* THRE interrupt latched (see uart16550_intr.c) */
	uint8_t rx[UART_FIFO_SIZE];
	uint8_t rx_head, rx_count;
	uint8_t rbr;			/* last byte read out, what RBR shows when empty */
	struct dev_irq irq;
	uart_tx_fn tx;
	void *tx_ctx;
	uint32_t logged;
	struct uart16550_stats stats;
};

/*
 * Master-reset state (IER, LCR, MCR, FCR zero; LSR 0x60) with the divisor at 1
 * (115200 baud), which the datasheet leaves undefined. Ports [base, base+8).
 */
void uart16550_init(struct uart16550 *u, uint16_t base, unsigned irq,
		    const struct irq_line_sink *irq_sink, uart_tx_fn tx, void *tx_ctx);
/* A byte arriving on the line; false (and OE set) when the receiver is full. */
bool uart16550_receive(struct uart16550 *u, uint8_t byte);

/* uart16550_intr.c: the interrupt identification and the line, kept consistent. */
uint8_t uart16550_pending_iir(const struct uart16550 *u);
void uart16550_update_irq(struct uart16550 *u);
uint8_t uart16550_modem_status(const struct uart16550 *u);

/* uart16550_rx.c: the receive FIFO (loopback and input). */
uint8_t uart16550_rx_pop(struct uart16550 *u);
void uart16550_rx_clear(struct uart16550 *u);
unsigned uart16550_rx_trigger_level(const struct uart16550 *u);

#endif
